package io.aigen.camunda.sandbox.fal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.util.List;

/** fal's error answers (docs/providers.md §1.6): FastAPI-style validation errors and flat infrastructure errors. */
final class FalErrors {

  static final String ERROR_TYPE_HEADER = "X-Fal-Error-Type";

  private FalErrors() {}

  /** {@code {"detail": "<message>"}} */
  static SandboxResponse detail(int status, String message) {
    return SandboxResponse.json(status, Json.detail(message));
  }

  /** 422 {@code {"detail":[{"loc":[...],"msg":"...","type":"..."}]}} */
  static SandboxResponse validation(List<String> loc, String message, String type) {
    ArrayNode locNode = Json.array();
    loc.forEach(locNode::add);
    ObjectNode item = Json.object();
    item.set("loc", locNode);
    item.put("msg", message).put("type", type);
    ObjectNode body = Json.object();
    body.set("detail", Json.array().add(item));
    return SandboxResponse.json(422, body);
  }

  /** {@code {"detail": "<message>", "error_type": "<type>"}} plus the {@code X-Fal-Error-Type} header. */
  static SandboxResponse infrastructure(int status, String errorType, String message) {
    return SandboxResponse.json(status, Json.detail(message).put("error_type", errorType))
        .withHeader(ERROR_TYPE_HEADER, errorType);
  }

  static SandboxResponse rateLimited(int retryAfterSeconds) {
    return detail(429, "Rate limited").withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  /** The answer to a submit whose input asked for {@code sandbox.submitStatus}. */
  static SandboxResponse forcedSubmitError(int status, int retryAfterSeconds) {
    String message = "Simulated HTTP " + status + " (sandbox.submitStatus)";
    return switch (status) {
      case 422 -> validation(List.of("body"), message, "value_error");
      case 429 -> rateLimited(retryAfterSeconds);
      case 503 -> infrastructure(status, "runner_scheduling_failure", message);
      case 504 -> infrastructure(status, "request_timeout", message);
      default -> status >= 500 ? infrastructure(status, "internal_server_error", message) : detail(status, message);
    };
  }
}
