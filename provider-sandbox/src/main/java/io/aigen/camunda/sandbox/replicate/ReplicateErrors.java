package io.aigen.camunda.sandbox.replicate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxResponse;

/** Replicate's error answers (docs/providers.md §2.7): RFC 7807-like problems, and the 429 throttle body. */
final class ReplicateErrors {

  private ReplicateErrors() {}

  /** {@code {"type":"about:blank","title":…,"status":…,"detail":…}} */
  static SandboxResponse problem(int status, String title, String detail) {
    ObjectNode body = Json.object()
        .put("type", "about:blank")
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    return SandboxResponse.json(status, body);
  }

  static SandboxResponse invalidInput(String field, String message) {
    return problem(422, "Input validation failed", "- " + field + ": " + message);
  }

  static SandboxResponse invalidVersion() {
    return problem(422, "Invalid version or not permitted",
        "The specified version does not exist (or perhaps you don't have permission to use it?)");
  }

  static SandboxResponse notFound() {
    return problem(404, "Not found", "The requested resource could not be found.");
  }

  static SandboxResponse throttled(int retryAfterSeconds) {
    return SandboxResponse.json(429,
            Json.detail("Request was throttled. Your rate limit resets in ~" + retryAfterSeconds + "s."))
        .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  /** The answer to a create whose input asked for {@code sandbox.submitStatus}. */
  static SandboxResponse forcedSubmitError(int status, int retryAfterSeconds) {
    String detail = "Simulated HTTP " + status + " (sandbox.submitStatus)";
    return switch (status) {
      case 422 -> invalidInput("input", detail);
      case 429 -> throttled(retryAfterSeconds);
      default -> problem(status, status >= 500 ? "Internal server error" : "Request failed", detail);
    };
  }
}
