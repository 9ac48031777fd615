package io.aigen.camunda.connector.spec;

/** Where a job stands, whatever words its provider uses for it. */
public enum Phase {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this != RUNNING;
  }
}
