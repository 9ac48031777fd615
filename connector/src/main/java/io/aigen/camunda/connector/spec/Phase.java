package io.aigen.camunda.connector.spec;

/** Where a job stands, whatever words its provider uses for it. */
public enum Phase {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /**
   * The job is over but the provider does not say how it ended (the older Oxen.ai queue forgets a
   * generation once it ends, whatever the outcome).
   */
  OUTCOME_UNKNOWN
}
