package io.aigen.camunda.sandbox.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.util.Arrays;
import java.util.Map;

/**
 * A fault drawn for one request: its kind, and the answer it makes.
 *
 * @param kind what goes wrong
 * @param draw a second random number for the kind's details (which 5xx)
 * @param plan the plan it came from
 */
public record Fault(FaultKind kind, long draw, FaultPlan plan) {

  /**
   * The answer given instead of the provider's, for kinds the provider does not handle; {@code
   * null} = close the connection. A server error on a read is a gateway's (502, 503, 504): a 500
   * there is a provider's own statement (fal answers its result URL with 500 when the model failed,
   * docs/providers.md §1.4), not a passing fault.
   */
  public SandboxResponse instead(boolean submit) {
    return switch (kind) {
      case SERVER_ERROR -> {
        int status = (submit ? new int[] {500, 502, 503} : new int[] {502, 503, 504})[(int) Math.floorMod(draw, 3)];
        yield SandboxResponse.json(status, Json.detail("Simulated server error (sandbox fault injection)"));
      }
      case RATE_LIMITED ->
          SandboxResponse.json(429, Json.detail("Simulated rate limit (sandbox fault injection)"))
              .withHeader("Retry-After", String.valueOf(plan.retryAfterSeconds()));
      case CONNECTION_RESET -> null;
      default -> throw new IllegalStateException(kind + " spoils the provider's answer");
    };
  }

  /**
   * The provider's answer spoiled, for kinds the provider handles; {@code null} when this answer
   * cannot carry the fault (not a success, or no status to replace): then it goes out unchanged.
   */
  public SandboxResponse spoil(SandboxResponse answer) {
    if (answer.status() < 200 || answer.status() > 299 || answer.stream() != null) {
      return null;
    }
    return switch (kind) {
      case READ_TIMEOUT -> answer;
      case MALFORMED_JSON -> {
        byte[] body = answer.body();
        byte[] half = body.length < 4 ? "{\"".getBytes() : Arrays.copyOf(body, body.length / 2);
        yield new SandboxResponse(answer.status(), answer.headers(), half, null);
      }
      case EMPTY_BODY -> new SandboxResponse(200, Map.of(), new byte[0], null);
      case CREATED_THEN_ERROR -> SandboxResponse.json(500, Json.detail("Simulated error after the job was created (sandbox fault injection)"));
      case UNKNOWN_STATUS -> withUnknownStatus(answer);
      default -> throw new IllegalStateException(kind + " answers instead of the provider");
    };
  }

  private static SandboxResponse withUnknownStatus(SandboxResponse answer) {
    JsonNode body;
    try {
      body = Json.parse(answer.body());
    } catch (Exception notJson) {
      return null;
    }
    if (!(body instanceof ObjectNode object)) {
      return null;
    }
    for (String field : new String[] {"status", "state"}) {
      if (object.path(field).isTextual()) {
        object.put(field, FaultKind.UNKNOWN_STATUS_VALUE);
        return new SandboxResponse(answer.status(), answer.headers(), Json.bytes(object), null);
      }
    }
    return null;
  }
}
