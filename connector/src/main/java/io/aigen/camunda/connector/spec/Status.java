package io.aigen.camunda.connector.spec;

import java.util.List;
import java.util.Map;

/**
 * How to read a job's status.
 *
 * <p>The HTTP code is looked up first in {@code httpCodes} (for APIs that signal progress by code,
 * like 202 running / 200 done). Otherwise the value at {@code statusPath} is compared, exactly and
 * case-sensitively, with the value lists.
 *
 * @param errorPath error predicate: when the status says success but this path holds a value
 *     (other than one of {@code notErrorValues}), the job failed with that message (fal reports
 *     failures as {@code COMPLETED} + {@code error}; Stability as {@code finish_reason} other than
 *     {@code SUCCESS})
 * @param notErrorValues values at {@code errorPath} that do not mean failure
 * @param errorCodePath the provider's machine-readable failure code, e.g. Runway's {@code
 *     failureCode}
 * @param contentFilteredCodes a regular expression; a failure whose code (or, without a code,
 *     whose message) matches it was the provider's content filter, e.g. {@code SAFETY\..*}
 * @param progressPath optional progress (0..1 or percent) reported while running
 */
public record Status(
    String method,
    String urlTemplate,
    String statusPath,
    List<String> doneValues,
    List<String> failValues,
    List<String> cancelledValues,
    List<String> runningValues,
    Map<Integer, Phase> httpCodes,
    String errorPath,
    List<String> notErrorValues,
    String errorCodePath,
    String contentFilteredCodes,
    String progressPath,
    UnknownStatusPolicy unknownStatus) {

  public Status {
    method = method == null ? "GET" : method;
    doneValues = doneValues == null ? List.of() : List.copyOf(doneValues);
    failValues = failValues == null ? List.of() : List.copyOf(failValues);
    cancelledValues = cancelledValues == null ? List.of() : List.copyOf(cancelledValues);
    runningValues = runningValues == null ? List.of() : List.copyOf(runningValues);
    httpCodes = httpCodes == null ? Map.of() : Map.copyOf(httpCodes);
    notErrorValues = notErrorValues == null ? List.of() : List.copyOf(notErrorValues);
    unknownStatus = unknownStatus == null ? UnknownStatusPolicy.RUNNING : unknownStatus;
  }

  /** The phase a status value names, or {@code null} if no list names it. */
  public Phase phaseOf(String value) {
    if (value == null) {
      return null;
    }
    if (doneValues.contains(value)) {
      return Phase.SUCCEEDED;
    }
    if (failValues.contains(value)) {
      return Phase.FAILED;
    }
    if (cancelledValues.contains(value)) {
      return Phase.CANCELLED;
    }
    if (runningValues.contains(value)) {
      return Phase.RUNNING;
    }
    return null;
  }
}
