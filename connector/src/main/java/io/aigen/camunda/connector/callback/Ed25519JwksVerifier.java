package io.aigen.camunda.connector.callback;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * An Ed25519 webhook signature over {@code request_id \n user_id \n timestamp \n
 * hex(sha256(body))}, hex in {@code <prefix>Signature}, valid with any key of the provider's JWKS,
 * within ±300 s (fal: docs/providers.md §1.8, prefix {@code X-Fal-Webhook-}).
 */
final class Ed25519JwksVerifier implements CallbackVerifier {

  static final Duration WINDOW = Duration.ofSeconds(300);

  private final JwksKeys keys;
  private final String headerPrefix;

  /** @param headerPrefix the signature headers' common start, e.g. {@code X-Fal-Webhook-} */
  Ed25519JwksVerifier(JwksKeys keys, String headerPrefix) {
    this.keys = keys;
    this.headerPrefix = headerPrefix;
  }

  @Override
  public void verify(CallbackRequest request, Instant now) throws CallbackRejected {
    String signatureHeader = headerPrefix + "Signature";
    String timestampHeader = headerPrefix + "Timestamp";
    String requestId = request.requireHeader(headerPrefix + "Request-Id");
    String userId = request.requireHeader(headerPrefix + "User-Id");
    String timestamp = request.requireHeader(timestampHeader);
    String signatureHex = request.requireHeader(signatureHeader);
    Signatures.within(Signatures.unixSeconds(timestamp, timestampHeader), now, WINDOW, WINDOW, timestampHeader);
    byte[] signature;
    try {
      signature = HexFormat.of().parseHex(signatureHex.trim());
    } catch (IllegalArgumentException e) {
      throw CallbackRejected.unauthorized(signatureHeader + " is not hex");
    }
    if (signature.length != 64) {
      throw CallbackRejected.unauthorized(signatureHeader + " is not 64 bytes");
    }
    byte[] message = (requestId + "\n" + userId + "\n" + timestamp + "\n" + Signatures.sha256Hex(request.body())).getBytes(StandardCharsets.UTF_8);
    if (anyVerifies(keys.current(), message, signature)) {
      return;
    }
    // the provider may have rotated its keys since they were cached
    if (keys.refreshIfAllowed() && anyVerifies(keys.current(), message, signature)) {
      return;
    }
    throw CallbackRejected.unauthorized(signatureHeader + " matches no key of the provider's JWKS");
  }

  private static boolean anyVerifies(List<PublicKey> candidates, byte[] message, byte[] signature) {
    for (PublicKey key : candidates) {
      if (Ed25519Signatures.verify(key, message, signature)) {
        return true;
      }
    }
    return false;
  }
}
