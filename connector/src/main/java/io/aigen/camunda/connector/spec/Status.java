package io.aigen.camunda.connector.spec;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;

/**
 * How to read a job's status.
 *
 * <p>The HTTP code is looked up first in {@code httpCodes} (for APIs that signal progress by code,
 * like 202 running / 200 done). Otherwise the value at {@code statusPath} is compared, exactly and
 * case-sensitively, with the value lists.
 *
 * @param query parameters added to the status URL unless it has them already (fal's {@code
 *     logs=1}); the URL may come from the provider's answer, query and all
 * @param errorPath error predicate: when the status says success but this path holds a value
 *     (other than one of {@code notErrorValues}), the job failed with that message (fal reports
 *     failures as {@code COMPLETED} + {@code error}; Stability as {@code finish_reason} other than
 *     {@code SUCCESS})
 * @param notErrorValues values at {@code errorPath} that do not mean failure
 * @param errorCodePath the provider's machine-readable failure code, e.g. Runway's {@code
 *     failureCode}
 * @param contentFilteredCodes a regular expression; a failure whose code (or, without a code,
 *     whose message) matches it was the provider's content filter, e.g. {@code SAFETY\..*}
 * @param progress where a running job's answer says how far along it is
 */
public record Status(
    String method,
    String urlTemplate,
    Map<String, String> query,
    String statusPath,
    StatusValues values,
    Map<Integer, Phase> httpCodes,
    String errorPath,
    List<String> notErrorValues,
    String errorCodePath,
    String contentFilteredCodes,
    ProgressPaths progress,
    UnknownStatusPolicy unknownStatus) {

  /**
   * Where a running job's status answer says how far along it is; every path is optional.
   *
   * @param progressPath a number: a share of 1 (Runway's {@code 0.275}) or, with {@code
   *     percentScale}, a percentage
   * @param percentScale whether the value at {@code progressPath} is already 0 to 100
   * @param queuePositionPath jobs ahead in the provider's queue (fal's {@code queue_position})
   * @param logPath the job's log: a list (its last entry, or that entry's {@code message}) or text
   *     (its last line)
   */
  public record ProgressPaths(String progressPath, boolean percentScale, String queuePositionPath, String logPath) {
    public static final ProgressPaths NONE = new ProgressPaths(null, false, null, null);
  }

  public Status {
    method = method == null ? "GET" : method;
    query = query == null ? Map.of() : Map.copyOf(query);
    httpCodes = httpCodes == null ? Map.of() : Map.copyOf(httpCodes);
    notErrorValues = notErrorValues == null ? List.of() : List.copyOf(notErrorValues);
    progress = progress == null ? ProgressPaths.NONE : progress;
    unknownStatus = unknownStatus == null ? UnknownStatusPolicy.RUNNING : unknownStatus;
  }

  /** {@code url} with the {@link #query} parameters it lacks. */
  public String withQuery(String url) {
    StringBuilder full = new StringBuilder(url);
    String existing = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
    for (Map.Entry<String, String> parameter : new TreeMap<>(query).entrySet()) {
      boolean present = Arrays.stream(existing.split("&")).anyMatch(p -> p.equals(parameter.getKey()) || p.startsWith(parameter.getKey() + "="));
      if (!present) {
        full.append(full.indexOf("?") < 0 ? '?' : '&').append(parameter.getKey()).append('=').append(parameter.getValue());
      }
    }
    return full.toString();
  }

  /** The phase a status value names, or {@code null} if no list names it. */
  public Phase phaseOf(String value) {
    return values.phaseOf(value);
  }

}
