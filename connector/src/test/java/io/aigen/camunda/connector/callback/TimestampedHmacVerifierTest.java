package io.aigen.camunda.connector.callback;

import io.aigen.camunda.connector.spec.Verification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code t=<unix s>,<version>=<hex HMAC-SHA256(secret, t.body)>}: ElevenLabs' {@code v0}
 * (docs/providers.md §5.4) and the generic {@code v1} of the unified task API and custom specs (§8,
 * §9.5), with the HMAC computed here with {@code javax.crypto}.
 */
class TimestampedHmacVerifierTest {

  /** The verifier of a spec's {@code "scheme": "hmac"} (header default {@code X-Webhook-Signature}). */
  static CallbackVerifier generic(String header, String secret) {
    return TimestampedHmacVerifier.of(
        (Verification.TimestampedHmac) SpecReaderVerification.read("{'scheme':'hmac','secret':'S'" + (header == null ? "" : ",'header':'" + header + "'") + "}"), secret);
  }

  /** The verifier of ElevenLabs' signature as a spec declares it: {@code ElevenLabs-Signature}, v0, 30 minutes back. */
  static CallbackVerifier elevenLabs(String secret) {
    return TimestampedHmacVerifier.of(
        (Verification.TimestampedHmac) SpecReaderVerification.read("{'scheme':'hmac','secret':'S','header':'ElevenLabs-Signature','version':'v0','maxAgeSeconds':1800}"), secret);
  }

  private static final String SECRET = "wsec_3f1c0d5e8a9b4c7d";
  private static final String BODY = "{\"task_id\":\"t_42\",\"status\":\"completed\",\"outputs\":[{\"url\":\"https://cdn.example.com/v.mp4\"}]}";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  static String hmacHex(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String header(String version, String secret, Instant signedAt, String body) {
    String t = String.valueOf(signedAt.getEpochSecond());
    return "t=" + t + "," + version + "=" + hmacHex(secret, t, body);
  }

  private static CallbackRequest request(String header, String value, String body) {
    return new CallbackRequest(value == null ? Map.of() : Map.of(header, value), body.getBytes(StandardCharsets.UTF_8));
  }

  private static void accepted(CallbackVerifier verifier, CallbackRequest request, Instant now) {
    assertThatCode(() -> verifier.verify(request, now)).doesNotThrowAnyException();
  }

  private static CallbackRejected rejected(CallbackVerifier verifier, CallbackRequest request, Instant now) {
    CallbackRejected rejected = catchThrowableOfType(CallbackRejected.class, () -> verifier.verify(request, now));
    assertThat(rejected).as("the callback is refused").isNotNull();
    assertThat(rejected.status()).isEqualTo(401);
    return rejected;
  }

  /** Computed outside Java (Python's hmac module) for t=1780315200 and {@link #BODY}. */
  private static final String PYTHON_V1 = "0d3aad7754aebb22b03650839bd51616f1fb4480cd3ad06ce9c9098455c6ff80";

  @Test
  void ourHmacMatchesAVectorComputedOutsideJava() {
    assertThat(NOW.getEpochSecond()).isEqualTo(1780315200L);
    assertThat(hmacHex(SECRET, "1780315200", BODY)).isEqualTo(PYTHON_V1);
  }

  @Test
  void theOutsideVectorVerifiesInBothSchemes() {
    accepted(generic("X-Webhook-Signature", SECRET), request("X-Webhook-Signature", "t=1780315200,v1=" + PYTHON_V1, BODY), NOW);
    accepted(elevenLabs(SECRET), request("ElevenLabs-Signature", "t=1780315200,v0=" + PYTHON_V1, BODY), NOW);
  }

  @Nested
  class ElevenLabs {

    private static final String HEADER = "ElevenLabs-Signature";
    private final CallbackVerifier verifier = elevenLabs(SECRET);

    private CallbackRequest signedAt(Instant at) {
      return request(HEADER, header("v0", SECRET, at, BODY), BODY);
    }

    @Test
    void freshlySigned() {
      accepted(verifier, signedAt(NOW), NOW);
    }

    @Test
    void twentyNineMinutesOldIsStillAccepted() {
      accepted(verifier, signedAt(NOW.minus(Duration.ofMinutes(29))), NOW);
    }

    @Test
    void thirtyOneMinutesOldIsRefused() {
      rejected(verifier, signedAt(NOW.minus(Duration.ofMinutes(31))), NOW);
    }

    @Test
    void farInTheFutureIsRefused() {
      rejected(verifier, signedAt(NOW.plus(Duration.ofMinutes(10))), NOW);
    }

    @Test
    void lowerCaseHeaderName() {
      accepted(verifier, request("elevenlabs-signature", header("v0", SECRET, NOW, BODY), BODY), NOW);
    }

    @Test
    void wrongSecret() {
      rejected(verifier, request(HEADER, header("v0", "another-secret", NOW, BODY), BODY), NOW);
    }

    @Test
    void tamperedBody() {
      rejected(verifier, request(HEADER, header("v0", SECRET, NOW, BODY), BODY.replace("completed", "failed")), NOW);
    }

    @Test
    void v1InsteadOfV0() {
      assertThat(rejected(verifier, request(HEADER, header("v1", SECRET, NOW, BODY), BODY), NOW)).hasMessageContaining("v0=");
    }

    @Test
    void missingHeader() {
      assertThat(rejected(verifier, request(HEADER, null, BODY), NOW)).hasMessageContaining(HEADER);
    }

    @Test
    void onlyTheTimestamp() {
      rejected(verifier, request(HEADER, "t=" + NOW.getEpochSecond(), BODY), NOW);
    }

    @Test
    void onlyTheSignature() {
      String full = header("v0", SECRET, NOW, BODY);
      rejected(verifier, request(HEADER, full.substring(full.indexOf(',') + 1), BODY), NOW);
    }
  }

  @Nested
  class Generic {

    private static final String HEADER = "X-Webhook-Signature";
    private final CallbackVerifier verifier = generic(HEADER, SECRET);

    private CallbackRequest signedAt(Instant at) {
      return request(HEADER, header("v1", SECRET, at, BODY), BODY);
    }

    @Test
    void freshlySigned() {
      accepted(verifier, signedAt(NOW), NOW);
    }

    @Test
    void theDefaultHeaderIsXWebhookSignature() {
      accepted(generic(null, SECRET), signedAt(NOW), NOW);
    }

    @Test
    void anotherHeaderName() {
      CallbackVerifier asyncQueue = generic("X-AsyncQueue-Signature", SECRET);
      accepted(asyncQueue, request("X-AsyncQueue-Signature", header("v1", SECRET, NOW, BODY), BODY), NOW);
      rejected(asyncQueue, signedAt(NOW), NOW);
    }

    @Test
    void withinFiveMinutesEitherSide() {
      accepted(verifier, signedAt(NOW.minus(Duration.ofMinutes(4))), NOW);
      accepted(verifier, signedAt(NOW.plus(Duration.ofMinutes(4))), NOW);
    }

    @Test
    void sixMinutesOldIsRefused() {
      rejected(verifier, signedAt(NOW.minus(Duration.ofMinutes(6))), NOW);
    }

    @Test
    void sixMinutesInTheFutureIsRefused() {
      rejected(verifier, signedAt(NOW.plus(Duration.ofMinutes(6))), NOW);
    }

    @Test
    void partsInAnyOrderWithSpaces() {
      String t = String.valueOf(NOW.getEpochSecond());
      accepted(verifier, request(HEADER, "v1=" + hmacHex(SECRET, t, BODY) + ", t=" + t, BODY), NOW);
    }

    @Test
    void upperCaseHex() {
      String t = String.valueOf(NOW.getEpochSecond());
      accepted(verifier, request(HEADER, "t=" + t + ",v1=" + hmacHex(SECRET, t, BODY).toUpperCase(), BODY), NOW);
    }

    @Test
    void wrongSecret() {
      rejected(verifier, request(HEADER, header("v1", "another-secret", NOW, BODY), BODY), NOW);
    }

    @Test
    void tamperedBody() {
      rejected(verifier, request(HEADER, header("v1", SECRET, NOW, BODY), BODY + " "), NOW);
    }

    @Test
    void timestampChangedAfterSigning() {
      String t = String.valueOf(NOW.getEpochSecond());
      String signature = hmacHex(SECRET, t, BODY);
      rejected(verifier, request(HEADER, "t=" + (NOW.getEpochSecond() - 1) + ",v1=" + signature, BODY), NOW);
    }

    @Test
    void missingHeader() {
      rejected(verifier, request(HEADER, null, BODY), NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "t=", "v1=", "t=1780315200", "v1=00", "garbage", "t=soon,v1=00"})
    void missingOrMalformedParts(String value) {
      rejected(verifier, request(HEADER, value.isEmpty() ? " " : value, BODY), NOW);
    }

    @Test
    void nonNumericTimestampSignedAsIs() {
      rejected(verifier, request(HEADER, "t=now,v1=" + hmacHex(SECRET, "now", BODY), BODY), NOW);
    }

    @Test
    void truncatedSignature() {
      String full = header("v1", SECRET, NOW, BODY);
      rejected(verifier, request(HEADER, full.substring(0, full.length() - 2), BODY), NOW);
    }

    @Test
    void v0InsteadOfV1() {
      rejected(verifier, request(HEADER, header("v0", SECRET, NOW, BODY), BODY), NOW);
    }
  }
}
