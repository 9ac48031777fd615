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
    String maxDuration) {

  public SubmitRequest submitRequest() {
    return new SubmitRequest(provider, apiKey, submitUrl, customSpec, model, input, options, false, null);
  }
}
