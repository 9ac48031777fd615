package io.aigen.camunda.connector.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The small pieces the verifiers share: HMAC, hashing, constant-time comparison, time windows. */
final class Signatures {

  private Signatures() {}

  static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Compares in time independent of where the inputs differ. */
  static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  static boolean equal(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(String prefix, byte[] body) {
    byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[head.length + body.length];
    System.arraycopy(head, 0, message, 0, head.length);
    System.arraycopy(body, 0, message, head.length, body.length);
    return message;
  }

  /** Unix seconds from a header; rejects what is not a number. */
  static Instant unixSeconds(String value, String header) throws CallbackRejected {
    try {
      return Instant.ofEpochSecond(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw CallbackRejected.unauthorized(header + " is not a Unix time");
    }
  }

  /** Rejects a timestamp further than {@code past} before or {@code future} after now. */
  static void within(Instant signedAt, Instant now, Duration past, Duration future, String header) throws CallbackRejected {
    if (signedAt.isBefore(now.minus(past)) || signedAt.isAfter(now.plus(future))) {
      throw CallbackRejected.unauthorized(header + " " + signedAt + " is outside the accepted window (now " + now + ")");
    }
  }
}
