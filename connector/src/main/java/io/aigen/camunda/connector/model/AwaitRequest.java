package io.aigen.camunda.connector.model;

import jakarta.validation.constraints.NotNull;

/** Waits for a submitted job. */
public record AwaitRequest(
    String apiKey,
    @NotNull Object job,
    String pollInterval,
    String maxDuration,
    Boolean keepOutputs) {

  public AwaitRequest(String apiKey, Object job, String pollInterval, String maxDuration) {
    this(apiKey, job, pollInterval, maxDuration, null);
  }

  public boolean keepsOutputs() {
    return Boolean.TRUE.equals(keepOutputs);
  }
}
