package io.aigen.camunda.connector.spec;

import java.time.Duration;

/**
 * How the runtime trusts a provider's callback: one record per scheme, each with only its own
 * settings. The callback package gives each its verifier.
 */
public sealed interface Verification {

  /**
   * An Ed25519 signature over {@code <request id>\n<user id>\n<timestamp>\n<hex SHA-256 of the
   * body>}, sent in the headers {@code <prefix>Request-Id}, {@code <prefix>User-Id}, {@code
   * <prefix>Timestamp} and {@code <prefix>Signature}, checked with any key of a JWKS (fal).
   */
  record Ed25519Jwks(String jwksUrl, String headerPrefix) implements Verification {}

  /** Standard Webhooks: HMAC-SHA256 with a {@code whsec_} secret (Replicate). */
  record StandardWebhooks(String secret) implements Verification {}

  /**
   * {@code <header>: t=<unix seconds>,<version>=<hex HMAC-SHA256(secret, t + "." + body)>}.
   *
   * @param maxAge how old the timestamp may be
   * @param refetchWithoutSecret when the runtime has no {@code secret}: the runtime secret with the
   *     API key to re-read the job with instead, as for an unsigned provider; {@code null} refuses
   */
  record TimestampedHmac(String secret, String header, String version, Duration maxAge, String refetchWithoutSecret) implements Verification {}

  /**
   * Unsigned: a callback is only a hint, and the job's status is re-read from the provider.
   *
   * @param apiKeySecret the runtime secret with the API key to re-read with
   */
  record Refetch(String apiKeySecret) implements Verification {}
}
