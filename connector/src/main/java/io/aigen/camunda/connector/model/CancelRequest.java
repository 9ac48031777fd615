package io.aigen.camunda.connector.model;

import jakarta.validation.constraints.NotNull;

/** Cancels a submitted job. */
public record CancelRequest(
    String apiKey,
    @NotNull Object job) {}
