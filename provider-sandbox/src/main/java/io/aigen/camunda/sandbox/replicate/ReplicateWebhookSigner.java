package io.aigen.camunda.sandbox.replicate;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs Replicate's webhooks the Standard Webhooks way (docs/providers.md §2.6): {@code webhook-id},
 * {@code webhook-timestamp} and {@code webhook-signature: v1,<base64 HMAC-SHA256>} over {@code
 * "<id>.<timestamp>.<body>"}, keyed with the base64-decoded part of the {@code whsec_} secret.
 */
public final class ReplicateWebhookSigner {

  static final String SECRET_PREFIX = "whsec_";
  static final String ID_HEADER = "webhook-id";
  static final String TIMESTAMP_HEADER = "webhook-timestamp";
  static final String SIGNATURE_HEADER = "webhook-signature";

  private static final int GENERATED_SECRET_BYTES = 24;
  private static final String ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final byte[] key;

  ReplicateWebhookSigner(String secret) {
    this.key = keyOf(secret);
  }

  /** {@code whsec_} and the base64 of 24 random bytes. */
  public static String newSecret() {
    byte[] bytes = new byte[GENERATED_SECRET_BYTES];
    new SecureRandom().nextBytes(bytes);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  /** The HMAC key of a {@code whsec_<base64>} secret; rejects anything else. */
  public static byte[] keyOf(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException("A Replicate webhook secret looks like whsec_<base64>");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("A Replicate webhook secret looks like whsec_<base64>: " + e.getMessage(), e);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("A Replicate webhook secret looks like whsec_<base64>, not empty");
    }
    return key;
  }

  /** A new message id: {@code msg_} and 27 letters or digits. One per event, kept across its retries. */
  static String newMessageId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder("msg_");
    for (int i = 0; i < 27; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  Map<String, String> headers(String messageId, byte[] body, long unixSeconds) {
    String timestamp = Long.toString(unixSeconds);
    byte[] signature;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      signature = mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
    return Map.of(
        ID_HEADER, messageId,
        TIMESTAMP_HEADER, timestamp,
        SIGNATURE_HEADER, "v1," + Base64.getEncoder().encodeToString(signature));
  }
}
