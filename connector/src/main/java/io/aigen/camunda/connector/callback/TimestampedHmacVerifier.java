package io.aigen.camunda.connector.callback;

import io.aigen.camunda.connector.spec.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A header {@code t=<unix seconds>,<version>=<hex HMAC-SHA256(secret, t + "." + body)>}: ElevenLabs
 * ({@code ElevenLabs-Signature}, {@code v0}, only the past checked, 30 minutes; docs/providers.md §5.4)
 * and the generic scheme for the unified task API and custom specs ({@code v1}, ±5 minutes, like
 * AsyncQueue's {@code X-AsyncQueue-Signature} but with the time checked).
 */
final class TimestampedHmacVerifier implements CallbackVerifier {

  /** How far in the future a timestamp may be (clocks drift). */
  private static final Duration FUTURE = Duration.ofMinutes(5);

  private final String header;
  private final String version;
  private final byte[] secret;
  private final Duration past;
  private final Duration future;

  TimestampedHmacVerifier(String header, String version, String secret, Duration past, Duration future) {
    this.header = header;
    this.version = version;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.past = past;
    this.future = future;
  }

  /** The verifier of {@code scheme}, with the secret's value. */
  static TimestampedHmacVerifier of(Verification.TimestampedHmac scheme, String secret) {
    return new TimestampedHmacVerifier(scheme.header(), scheme.version(), secret, scheme.maxAge(), FUTURE);
  }

  @Override
  public void verify(CallbackRequest request, Instant now) throws CallbackRejected {
    String value = request.requireHeader(header);
    String timestamp = null;
    String signature = null;
    for (String part : value.split(",")) {
      String trimmed = part.trim();
      if (trimmed.startsWith("t=")) {
        timestamp = trimmed.substring(2);
      } else if (trimmed.startsWith(version + "=")) {
        signature = trimmed.substring(version.length() + 1);
      }
    }
    if (timestamp == null || signature == null) {
      throw CallbackRejected.unauthorized(header + " lacks t= or " + version + "=");
    }
    Signatures.within(Signatures.unixSeconds(timestamp, header + " t"), now, past, future, header + " t");
    String expected = HexFormat.of().formatHex(Signatures.hmacSha256(secret, Signatures.concat(timestamp + ".", request.body())));
    if (!Signatures.equal(expected, signature.toLowerCase(java.util.Locale.ROOT))) {
      throw CallbackRejected.unauthorized(header + " does not match");
    }
  }
}
