package io.aigen.camunda.connector.http;

import java.util.Map;

/** One HTTP request to a provider. {@code field} names where its URL came from, for errors. */
public record OutgoingRequest(
    String method, String url, Map<String, String> headers, byte[] body, String contentType, String field) {

  public OutgoingRequest {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static OutgoingRequest get(String url, String field) {
    return new OutgoingRequest("GET", url, Map.of(), null, null, field);
  }
}
