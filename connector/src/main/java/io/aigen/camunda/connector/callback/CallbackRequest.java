package io.aigen.camunda.connector.callback;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A callback as it arrived: the raw body bytes (signatures cover exactly these) and the headers,
 * whose names are kept in lower case.
 */
public record CallbackRequest(Map<String, String> headers, byte[] body) {

  public CallbackRequest {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    headers = Map.copyOf(lower);
    body = body == null ? new byte[0] : body;
  }

  /** A header's value, or {@code null}. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** A header that must be there. */
  public String requireHeader(String name) throws CallbackRejected {
    String value = header(name);
    if (value == null || value.isBlank()) {
      throw CallbackRejected.unauthorized("missing header " + name);
    }
    return value;
  }
}
