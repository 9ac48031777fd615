package io.aigen.camunda.connector.callback;

import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.spec.Verification;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Gives each verification scheme its check, with the runtime's secrets and one cached key set per
 * JWKS URL.
 */
final class CallbackVerifiers {

  /** How far a callback was trusted. */
  sealed interface Trust {}

  /** Its signature holds: what it says may be read. */
  record Signed() implements Trust {}

  /** Nobody signed it: it only says that something happened; ask the provider, with this key. */
  record Hint(String apiKeySecret) implements Trust {}

  private final ProviderHttp http;
  private final Function<String, String> secrets;
  private final Clock clock;
  private final Map<String, JwksKeys> keySets = new ConcurrentHashMap<>();

  /** @param secrets looks up a runtime secret by name ({@code null} when undefined) */
  CallbackVerifiers(ProviderHttp http, Function<String, String> secrets, Clock clock) {
    this.http = http;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * Checks {@code request} as {@code verification} says.
   *
   * @param provider names the provider in messages
   * @param custom a custom spec's callback: it must be signed, since its spec travels in the URL
   *     and a re-read with a runtime secret could be sent anywhere
   * @throws CallbackRejected 401 for a wrong or missing signature, 503 when the runtime lacks what
   *     it needs to check
   */
  Trust check(String provider, Verification verification, CallbackRequest request, boolean custom) throws CallbackRejected {
    switch (verification) {
      case Verification.Ed25519Jwks keys ->
          new Ed25519JwksVerifier(keySets.computeIfAbsent(keys.jwksUrl(), url -> new JwksKeys(http, url, clock)), keys.headerPrefix())
              .verify(request, clock.instant());
      case Verification.StandardWebhooks webhooks -> standardWebhooks(provider, webhooks.secret()).verify(request, clock.instant());
      case Verification.TimestampedHmac hmac -> {
        if (secrets.apply(hmac.secret()) == null && hmac.refetchWithoutSecret() != null && !custom) {
          // no signing secret configured for this provider: treat the callback as a hint
          return new Hint(hmac.refetchWithoutSecret());
        }
        TimestampedHmacVerifier.of(hmac, secret(provider, hmac.secret())).verify(request, clock.instant());
      }
      case Verification.Refetch refetch -> {
        if (custom) {
          throw CallbackRejected.unauthorized("custom specs must sign their callbacks (scheme hmac)");
        }
        return new Hint(refetch.apiKeySecret());
      }
    }
    return new Signed();
  }

  /** A runtime secret's value, or {@code null}. */
  String secretOrNull(String name) {
    return secrets.apply(name);
  }

  private StandardWebhooksVerifier standardWebhooks(String provider, String secretName) throws CallbackRejected {
    try {
      return new StandardWebhooksVerifier(secret(provider, secretName));
    } catch (IllegalArgumentException e) {
      throw CallbackRejected.unavailable("the secret " + secretName + " is not a whsec_<base64> key; fix it in the runtime");
    }
  }

  private String secret(String provider, String name) throws CallbackRejected {
    String value = secrets.apply(name);
    if (value == null || value.isBlank()) {
      throw CallbackRejected.unavailable(
          "the runtime has no secret " + name + " to verify " + provider + " callbacks; define " + name
              + " in the runtime's secret provider (this project's runtime reads the environment variable AIGEN_SECRET_" + name + ")");
    }
    return value;
  }
}
