package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A finished job, the same for every provider.
 *
 * @param status {@code SUCCEEDED}, or {@code OUTCOME_UNKNOWN} when the provider forgot the job
 *     without saying how it ended
 * @param outputs the media URLs the job produced (result-store URLs for files the provider sent
 *     as bytes)
 * @param providerResult the provider's own result JSON, unchanged (a list when the job had several
 *     generations; file bytes are replaced by the stored file's description)
 * @param metrics polls, wait time and the provider's own metrics
 * @param warnings things the process should know, e.g. that the provider deletes outputs soon
 * @param originalOutputs with the task option {@code keepOutputs}: the provider's own URLs, in the
 *     order of {@code outputs} (which then holds the copies' URLs); empty otherwise
 */
public record GenerationResult(
    String status,
    String provider,
    String jobId,
    List<String> outputs,
    JsonNode providerResult,
    Map<String, Object> metrics,
    List<String> warnings,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> originalOutputs) {

  public GenerationResult {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    originalOutputs = originalOutputs == null ? List.of() : List.copyOf(originalOutputs);
  }

  public GenerationResult(
      String status, String provider, String jobId, List<String> outputs, JsonNode providerResult, Map<String, Object> metrics, List<String> warnings) {
    this(status, provider, jobId, outputs, providerResult, metrics, warnings, List.of());
  }
}
