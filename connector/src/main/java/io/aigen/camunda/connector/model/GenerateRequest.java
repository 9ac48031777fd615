package io.aigen.camunda.connector.model;

import io.aigen.camunda.connector.provider.ProviderId;
import jakarta.validation.constraints.NotNull;

/** Submits a job and waits for its result, in one task. */
public record GenerateRequest(
    @NotNull ProviderId provider,
    String apiKey,
    String submitUrl,
    Object customSpec,
    String model,
    @NotNull Object input,
    Object options,
    String pollInterval,
    String maxDuration,
    Boolean keepOutputs) {

  public GenerateRequest(
      ProviderId provider, String apiKey, String submitUrl, Object customSpec, String model, Object input, Object options, String pollInterval, String maxDuration) {
    this(provider, apiKey, submitUrl, customSpec, model, input, options, pollInterval, maxDuration, null);
  }

  public boolean keepsOutputs() {
    return Boolean.TRUE.equals(keepOutputs);
  }

  public SubmitRequest submitRequest() {
    return new SubmitRequest(provider, apiKey, submitUrl, customSpec, model, input, options, false, null);
  }
}
