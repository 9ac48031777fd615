package io.aigen.camunda.sandbox.stability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.util.List;
import java.util.UUID;

/**
 * Stability's error answers (docs/providers.md §6.3): {@code {"id":"<hex>","name":"<name>","errors":["…"]}}.
 * Each answer gets a fresh 32-hex-digit error id.
 */
final class StabilityErrors {

  private StabilityErrors() {}

  static SandboxResponse error(int httpStatus, List<String> errors) {
    ObjectNode body = Json.object()
        .put("id", UUID.randomUUID().toString().replace("-", ""))
        .put("name", name(httpStatus));
    errors.forEach(body.putArray("errors")::add);
    return SandboxResponse.json(httpStatus, body);
  }

  static SandboxResponse error(int httpStatus, String error) {
    return error(httpStatus, List.of(error));
  }

  static SandboxResponse rateLimited(int retryAfterSeconds) {
    return error(429, "You have exceeded the rate limit of 150 requests within a 10 second period")
        .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  /** The answer to a submit whose {@code sandbox} field asked for {@code submitStatus}. */
  static SandboxResponse forcedSubmitError(int httpStatus, int retryAfterSeconds) {
    return httpStatus == 429
        ? rateLimited(retryAfterSeconds)
        : error(httpStatus, "Simulated HTTP " + httpStatus + " (sandbox.submitStatus)");
  }

  /** Stability documents no list of names; the sandbox names errors by HTTP status. */
  static String name(int httpStatus) {
    return switch (httpStatus) {
      case 401 -> "unauthorized";
      case 403 -> "content_moderation";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 429 -> "rate_limit_exceeded";
      default -> httpStatus >= 500 ? "internal_error" : "bad_request";
    };
  }
}
