package io.aigen.camunda.connector.callback;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Standard Webhooks, as Replicate signs (docs/providers.md §2.6): {@code webhook-signature} lists
 * {@code v1,<base64>} signatures, each an HMAC-SHA256 of {@code id.timestamp.body} with the key
 * after {@code whsec_}; any may match. Timestamps older or newer than 5 minutes are refused.
 */
final class StandardWebhooksVerifier implements CallbackVerifier {

  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final byte[] key;

  /** @param secret {@code whsec_<base64>} (the prefix may be left out) */
  public StandardWebhooksVerifier(String secret) {
    String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
    this.key = Base64.getDecoder().decode(encoded.trim());
  }

  @Override
  public void verify(CallbackRequest request, Instant now) throws CallbackRejected {
    String id = request.requireHeader("webhook-id");
    String timestamp = request.requireHeader("webhook-timestamp");
    String signatures = request.requireHeader("webhook-signature");
    Signatures.within(Signatures.unixSeconds(timestamp, "webhook-timestamp"), now, TOLERANCE, TOLERANCE, "webhook-timestamp");
    byte[] expected = Signatures.hmacSha256(key, Signatures.concat(id + "." + timestamp + ".", request.body()));
    for (String candidate : signatures.trim().split(" ")) {
      if (candidate.startsWith("v1,")) {
        byte[] given;
        try {
          given = Base64.getDecoder().decode(candidate.substring(3));
        } catch (IllegalArgumentException notBase64) {
          continue;
        }
        if (Signatures.equal(expected, given)) {
          return;
        }
      }
    }
    throw CallbackRejected.unauthorized("no webhook-signature matches");
  }
}
