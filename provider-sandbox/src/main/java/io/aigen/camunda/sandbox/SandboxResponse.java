package io.aigen.camunda.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer: either a complete body or an {@link EventStream} written while the connection
 * stays open.
 */
record SandboxResponse(int status, Map<String, String> headers, byte[] body, EventStream stream) {

  /** Writes a streamed body; returns when the stream is complete. */
  @FunctionalInterface
  interface EventStream {
    void writeTo(OutputStream out) throws IOException;
  }

  SandboxResponse {
    headers = Map.copyOf(headers);
  }

  static SandboxResponse json(int status, JsonNode body) {
    return bytes(status, "application/json", Json.bytes(body));
  }

  static SandboxResponse bytes(int status, String contentType, byte[] body) {
    return new SandboxResponse(status, Map.of("Content-Type", contentType), body, null);
  }

  static SandboxResponse stream(String contentType, EventStream stream) {
    return new SandboxResponse(200, Map.of("Content-Type", contentType), new byte[0], stream);
  }

  SandboxResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new SandboxResponse(status, more, body, stream);
  }
}
