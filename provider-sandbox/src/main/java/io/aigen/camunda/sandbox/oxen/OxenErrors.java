package io.aigen.camunda.sandbox.oxen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxResponse;

/**
 * Oxen.ai's error answers (docs/providers.md §7.1): {@code {"error":{"type","title"},"status":"error",
 * "status_message":"<type>"}}. The older docs (§7.2) show the same body without {@code
 * status_message}, so the legacy simulation leaves it out.
 */
final class OxenErrors {

  static final String NOT_FOUND_TITLE = "The requested resource could not be found";

  private final boolean withStatusMessage;

  OxenErrors(boolean withStatusMessage) {
    this.withStatusMessage = withStatusMessage;
  }

  SandboxResponse error(int status, String type, String title) {
    ObjectNode body = Json.object();
    body.putObject("error").put("type", type).put("title", title);
    body.put("status", "error");
    if (withStatusMessage) {
      body.put("status_message", type);
    }
    return SandboxResponse.json(status, body);
  }

  SandboxResponse badRequest(String title) {
    return error(400, "bad_request", title);
  }

  SandboxResponse notFound() {
    return error(404, "resource_not_found", NOT_FOUND_TITLE);
  }

  SandboxResponse unauthorized(String title) {
    return error(401, "unauthorized", title);
  }

  SandboxResponse rateLimited(int retryAfterSeconds) {
    return error(429, "too_many_requests", "Too many requests")
        .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  /** The answer to an enqueue whose body asked for {@code sandbox.submitStatus}. */
  SandboxResponse forcedSubmitError(int status, int retryAfterSeconds) {
    if (status == 429) {
      return rateLimited(retryAfterSeconds);
    }
    String type = switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 402 -> "payment_required";
      case 403 -> "forbidden";
      case 404 -> "resource_not_found";
      default -> status >= 500 ? "internal_server_error" : "error";
    };
    return error(status, type, "Simulated HTTP " + status + " (sandbox.submitStatus)");
  }
}
