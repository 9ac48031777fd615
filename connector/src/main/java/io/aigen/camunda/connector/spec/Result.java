package io.aigen.camunda.connector.spec;

import java.util.List;

/**
 * Where the finished job's output is.
 *
 * @param urlTemplate a separate result request (fal's {@code response_url}); {@code null} means
 *     the final status body holds the result
 * @param resultPath the part of that body that is the result; empty means all of it
 * @param outputsPath JSONPath collecting the output media URLs, e.g. {@code $..url}
 * @param metricsPath where the final status body carries the provider's metrics, if anywhere
 * @param notReadyCodes HTTP codes of the result request that mean "not yet, ask again"
 *     (ElevenLabs answers 425 Too Early)
 * @param file set when the result is a file rather than JSON; it goes to the result store and the
 *     process gets its URL
 * @param notice a warning carried into every result, e.g. that the provider deletes outputs soon
 * @param failureDetailFromResult a failed job's result request answers the failure's detail (fal:
 *     the status says "Invalid status code: 422", the result URL the model's own error)
 */
public record Result(
    String urlTemplate,
    String resultPath,
    String outputsPath,
    String metricsPath,
    List<Integer> notReadyCodes,
    ResultFile file,
    String notice,
    boolean failureDetailFromResult) {

  public Result {
    resultPath = resultPath == null ? "" : resultPath;
    notReadyCodes = notReadyCodes == null ? List.of() : List.copyOf(notReadyCodes);
  }

  /**
   * A result that is a file.
   *
   * @param base64Path where a JSON body holds the file as base64 (Stability's {@code video});
   *     {@code null} means the whole answer body is the file
   * @param contentType used when the answer does not say
   */
  public record ResultFile(String base64Path, String contentType) {}
}
