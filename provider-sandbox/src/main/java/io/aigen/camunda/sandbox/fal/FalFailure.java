package io.aigen.camunda.sandbox.fal;

import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.util.List;

/**
 * Why a fal job ended without output. fal has no FAILED status: the status says {@code COMPLETED}
 * with {@code error} and {@code error_type}, and the result endpoint answers the model's error
 * (docs/providers.md §1.3, §1.4).
 *
 * @param loc where a validation error points, e.g. {@code ["body","prompt"]}; {@code null} for
 *     other failures
 * @param userDeadline the caller's {@code x-fal-request-timeout} expired before a runner started
 */
record FalFailure(String message, String errorType, List<String> loc, boolean userDeadline) {

  static final String VALIDATION_ERROR = "validation_error";
  static final String CANCELLED = "cancelled";
  static final String REQUEST_TIMEOUT = "request_timeout";

  static FalFailure of(String message, String errorType) {
    List<String> loc = errorType.equals(VALIDATION_ERROR) ? List.of("body", "prompt") : null;
    return new FalFailure(message, errorType, loc, false);
  }

  static FalFailure invalidInput(String field, String message) {
    return new FalFailure(message, VALIDATION_ERROR, List.of("body", field), false);
  }

  // fal documents no outcome for a cancelled request; the sandbox reports it as COMPLETED with
  // this error, and the result endpoint answers 400.
  static FalFailure cancelled() {
    return new FalFailure("Request was cancelled", CANCELLED, null, false);
  }

  static FalFailure startDeadlineExceeded() {
    return new FalFailure("Request timed out", REQUEST_TIMEOUT, null, true);
  }

  /** What {@code GET response_url} answers for this failure. */
  SandboxResponse resultResponse() {
    if (loc != null) {
      return FalErrors.validation(loc, message, "value_error");
    }
    SandboxResponse response = FalErrors.infrastructure(httpStatus(), errorType, message);
    return userDeadline ? response.withHeader("X-Fal-Request-Timeout-Type", "user") : response;
  }

  int httpStatus() {
    return switch (errorType) {
      case VALIDATION_ERROR -> 422;
      case CANCELLED -> 400;
      case REQUEST_TIMEOUT, "startup_timeout" -> 504;
      case "runner_scheduling_failure", "runner_connection_timeout", "runner_disconnected",
          "runner_connection_refused" -> 503;
      default -> 500;
    };
  }
}
