package io.aigen.camunda.connector.model;

import io.aigen.camunda.connector.provider.ProviderId;
import jakarta.validation.constraints.NotNull;

/**
 * Starts a job and returns its handle without waiting. The element templates
 * ({@code template.ElementTemplates}) bind these fields as the task's input variables.
 */
public record SubmitRequest(
    @NotNull ProviderId provider,
    String apiKey,
    String submitUrl,
    Object customSpec,
    String model,
    @NotNull Object input,
    Object options,
    Boolean waitForCallback,
    String callbackUrl) {}
