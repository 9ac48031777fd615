package io.aigen.camunda.sandbox.jobs;

import io.aigen.camunda.sandbox.http.SandboxResponse;

/** A submit the simulated provider refuses: it is answered with {@link #response()} and no job is created. */
public final class SubmitRejected extends Exception {

  private final transient SandboxResponse response;

  public SubmitRejected(SandboxResponse response) {
    super("rejected with HTTP " + response.status(), null, false, false);
    this.response = response;
  }

  public SandboxResponse response() {
    return response;
  }
}
