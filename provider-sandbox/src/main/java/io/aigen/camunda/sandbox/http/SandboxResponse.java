package io.aigen.camunda.sandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer: either a complete body or an {@link EventStream} written while the connection
 * stays open.
 */
public record SandboxResponse(int status, Map<String, String> headers, byte[] body, EventStream stream) {

  /** Writes a streamed body; returns when the stream is complete. */
  @FunctionalInterface
  public interface EventStream {
    void writeTo(OutputStream out) throws IOException;
  }

  public SandboxResponse {
    headers = Map.copyOf(headers);
  }

  public static SandboxResponse json(int status, JsonNode body) {
    return bytes(status, "application/json", Json.bytes(body));
  }

  public static SandboxResponse bytes(int status, String contentType, byte[] body) {
    return new SandboxResponse(status, Map.of("Content-Type", contentType), body, null);
  }

  public static SandboxResponse stream(String contentType, EventStream stream) {
    return new SandboxResponse(200, Map.of("Content-Type", contentType), new byte[0], stream);
  }

  public SandboxResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new SandboxResponse(status, more, body, stream);
  }
}
