package io.aigen.camunda.connector.model;

import jakarta.validation.constraints.NotNull;

/** Waits for a submitted job. */
public record AwaitRequest(
    String apiKey,
    @NotNull Object job,
    String pollInterval,
    String maxDuration) {}
