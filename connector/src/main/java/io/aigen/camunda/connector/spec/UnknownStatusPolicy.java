package io.aigen.camunda.connector.spec;

/** What a status value that none of the spec's lists names means. */
public enum UnknownStatusPolicy {
  /** Keep polling; the max duration still ends the wait. */
  RUNNING,
  /** Stop and report a failure naming the value. */
  FAIL
}
