package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.spec.Phase;

/**
 * One status reading.
 *
 * @param providerStatus the provider's own word (or HTTP code) for the state
 * @param error the failure message, when the job failed
 * @param body the status answer, kept for the result and metrics
 */
public record JobStatus(Phase phase, String providerStatus, Double progress, String error, JsonNode body) {}
