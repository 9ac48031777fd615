package io.aigen.camunda.connector.callback;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A callback as it arrived: the raw body bytes (signatures cover exactly these), the headers, whose
 * names are kept in lower case, and the callback URL's query parameters (what the submit put there,
 * see {@code callback.urlQuery}; not covered by any signature).
 */
public record CallbackRequest(Map<String, String> headers, byte[] body, Map<String, String> query) {

  public CallbackRequest {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    headers = Map.copyOf(lower);
    body = body == null ? new byte[0] : body;
    Map<String, String> parameters = new HashMap<>();
    if (query != null) {
      query.forEach((name, value) -> {
        if (name != null && value != null) {
          parameters.put(name, value);
        }
      });
    }
    query = Map.copyOf(parameters);
  }

  public CallbackRequest(Map<String, String> headers, byte[] body) {
    this(headers, body, Map.of());
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
