package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A finished job, the same for every provider.
 *
 * @param status {@code SUCCEEDED}
 * @param outputs the media URLs the job produced
 * @param providerResult the provider's own result JSON, unchanged
 * @param metrics polls, wait time and the provider's own metrics
 */
public record GenerationResult(
    String status, String provider, String jobId, List<String> outputs, JsonNode providerResult, Map<String, Object> metrics) {}
