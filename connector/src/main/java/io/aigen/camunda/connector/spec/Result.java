package io.aigen.camunda.connector.spec;

/**
 * Where the finished job's output is.
 *
 * @param urlTemplate a separate result request (fal's {@code response_url}); {@code null} means
 *     the final status body holds the result
 * @param resultPath the part of that body that is the result; empty means all of it
 * @param outputsPath JSONPath collecting the output media URLs, e.g. {@code $..url}
 * @param metricsPath where the final status body carries the provider's metrics, if anywhere
 */
public record Result(String urlTemplate, String resultPath, String outputsPath, String metricsPath) {}
