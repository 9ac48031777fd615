package io.aigen.camunda.connector.callback;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The callback URL a submit gives the provider: {@code <publicBaseUrl>/callbacks/<provider>}. For a
 * custom spec the spec itself rides along ({@code ?spec=<base64url JSON>}), so the runtime needs no
 * state to read the callback; it holds no secret (secrets are named, never included).
 */
public record CallbackUrls(String publicBaseUrl) {

  public static final String PATH = "/callbacks/";

  public CallbackUrls {
    publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.replaceAll("/+$", "");
  }

  public boolean configured() {
    return publicBaseUrl != null;
  }

  public String forPreset(String providerId) {
    return publicBaseUrl + PATH + providerId;
  }

  public String forCustom(JsonNode spec) {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(spec.toString().getBytes(StandardCharsets.UTF_8));
    return publicBaseUrl + PATH + "custom?spec=" + encoded;
  }
}
