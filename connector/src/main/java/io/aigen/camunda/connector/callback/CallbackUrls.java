package io.aigen.camunda.connector.callback;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The callback URL a submit gives the provider: {@code <publicBaseUrl>/callbacks/<provider>}. For a
 * custom spec the spec itself rides along ({@code ?spec=<base64url JSON>.<signature>}), so the
 * runtime needs no state to read the callback. The spec is signed with a key only the runtimes
 * hold: it names the secret that verifies the callback, so an unsigned one would let anybody choose
 * a secret they can guess.
 *
 * @param signingKey signs custom specs; {@code null} refuses custom callbacks
 */
public record CallbackUrls(String publicBaseUrl, String signingKey) {

  public static final String PATH = "/callbacks/";

  public CallbackUrls {
    publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.replaceAll("/+$", "");
    signingKey = signingKey == null || signingKey.isBlank() ? null : signingKey;
  }

  public CallbackUrls(String publicBaseUrl) {
    this(publicBaseUrl, null);
  }

  public boolean configured() {
    return publicBaseUrl != null;
  }

  public boolean signsCustomSpecs() {
    return signingKey != null;
  }

  public String forPreset(String providerId) {
    return publicBaseUrl + PATH + providerId;
  }

  public String forCustom(JsonNode spec) {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(spec.toString().getBytes(StandardCharsets.UTF_8));
    return publicBaseUrl + PATH + "custom?spec=" + encoded + "." + sign(encoded);
  }

  /**
   * The custom spec's JSON from a callback URL's {@code spec} parameter.
   *
   * @throws CallbackRejected (404) when it is missing, unsigned or altered
   */
  public String openCustom(String parameter) throws CallbackRejected {
    if (signingKey == null) {
      throw new CallbackRejected(404, "custom callbacks are off: the runtime has no aigen.callbacks.url-signing-key");
    }
    int dot = parameter == null ? -1 : parameter.lastIndexOf('.');
    if (dot < 0) {
      throw new CallbackRejected(404, "a custom callback URL carries its signed spec");
    }
    String encoded = parameter.substring(0, dot);
    if (!Signatures.equal(sign(encoded), parameter.substring(dot + 1))) {
      throw new CallbackRejected(404, "the callback URL's spec is not signed by this runtime");
    }
    try {
      return new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new CallbackRejected(404, "the callback URL's spec is not base64url");
    }
  }

  private String sign(String encoded) {
    byte[] mac = Signatures.hmacSha256(signingKey.getBytes(StandardCharsets.UTF_8), encoded.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }
}
