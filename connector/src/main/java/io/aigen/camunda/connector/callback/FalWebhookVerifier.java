package io.aigen.camunda.connector.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * fal's webhook signature (providers.md §1.8): Ed25519 over {@code request_id \n user_id \n
 * timestamp \n hex(sha256(body))}, hex in {@code X-Fal-Webhook-Signature}, valid with any key of
 * fal's JWKS, within ±300 s.
 */
public final class FalWebhookVerifier implements CallbackVerifier {

  public static final Duration WINDOW = Duration.ofSeconds(300);

  private final JwksKeys keys;

  public FalWebhookVerifier(JwksKeys keys) {
    this.keys = keys;
  }

  @Override
  public void verify(CallbackRequest request, Instant now) throws CallbackRejected {
    String requestId = request.requireHeader("X-Fal-Webhook-Request-Id");
    String userId = request.requireHeader("X-Fal-Webhook-User-Id");
    String timestamp = request.requireHeader("X-Fal-Webhook-Timestamp");
    String signatureHex = request.requireHeader("X-Fal-Webhook-Signature");
    Signatures.within(Signatures.unixSeconds(timestamp, "X-Fal-Webhook-Timestamp"), now, WINDOW, WINDOW, "X-Fal-Webhook-Timestamp");
    byte[] signature;
    try {
      signature = HexFormat.of().parseHex(signatureHex.trim());
    } catch (IllegalArgumentException e) {
      throw CallbackRejected.unauthorized("X-Fal-Webhook-Signature is not hex");
    }
    if (signature.length != 64) {
      throw CallbackRejected.unauthorized("X-Fal-Webhook-Signature is not 64 bytes");
    }
    byte[] message = (requestId + "\n" + userId + "\n" + timestamp + "\n" + Signatures.sha256Hex(request.body())).getBytes(StandardCharsets.UTF_8);
    if (anyVerifies(keys.current(), message, signature)) {
      return;
    }
    // fal may have rotated its keys since they were cached
    if (keys.refreshIfAllowed() && anyVerifies(keys.current(), message, signature)) {
      return;
    }
    throw CallbackRejected.unauthorized("X-Fal-Webhook-Signature matches no key of fal's JWKS");
  }

  private static boolean anyVerifies(List<PublicKey> candidates, byte[] message, byte[] signature) {
    for (PublicKey key : candidates) {
      try {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(key);
        ed25519.update(message);
        if (ed25519.verify(signature)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // a malformed signature for this key: try the next
      }
    }
    return false;
  }
}
