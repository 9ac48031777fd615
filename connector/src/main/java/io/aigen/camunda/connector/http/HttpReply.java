package io.aigen.camunda.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A provider's answer. Header names are lower case. */
public record HttpReply(int code, Map<String, String> headers, byte[] body, String contentType) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public HttpReply {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  public boolean ok() {
    return code >= 200 && code < 300;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body as JSON, or a missing node when it is empty or not JSON. */
  public JsonNode json() {
    if (body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? MissingNode.getInstance() : node;
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /** A short excerpt of the body for error messages. */
  public String excerpt() {
    String text = text().strip();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
