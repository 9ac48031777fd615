package io.aigen.camunda.sandbox.elevenlabs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.util.List;

/**
 * ElevenLabs' error answers (docs/providers.md §5.5): {@code {"detail":{"status":"<code>","message":"…"}}},
 * and FastAPI's list form for request validation.
 */
final class ElevenLabsErrors {

  static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";

  private ElevenLabsErrors() {}

  /** {@code {"detail":{"status":"<code>","message":"<message>"}}} */
  static SandboxResponse detail(int httpStatus, String code, String message) {
    ObjectNode body = Json.object();
    body.putObject("detail").put("status", code).put("message", message);
    return SandboxResponse.json(httpStatus, body);
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

  static SandboxResponse rateLimited(int retryAfterSeconds) {
    return detail(429, RATE_LIMIT_EXCEEDED, "Too many requests; slow down and retry later.")
        .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  /** The answer to a submit whose {@code sandbox} field asked for {@code submitStatus}. */
  static SandboxResponse forcedSubmitError(int httpStatus, int retryAfterSeconds) {
    String message = "Simulated HTTP " + httpStatus + " (sandbox.submitStatus)";
    return switch (httpStatus) {
      case 401 -> detail(httpStatus, "invalid_api_key", message);
      case 422 -> validation(List.of("body"), message, "value_error");
      case 429 -> rateLimited(retryAfterSeconds);
      default -> detail(httpStatus, httpStatus >= 500 ? "internal_server_error" : "invalid_request", message);
    };
  }
}
