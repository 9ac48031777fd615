package io.aigen.camunda.connector.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Standard Webhooks (Replicate, docs/providers.md §2.6) against the specification's published test
 * vector, and against signatures computed here with {@code javax.crypto} directly.
 */
class StandardWebhooksVerifierTest {

  /** The Standard Webhooks specification's example (also checked with Python's hmac module). */
  static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final String SPEC_TIMESTAMP = "1614265330";
  static final String SPEC_PAYLOAD = "{\"test\": 2432232314}";
  static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  static final Instant SPEC_TIME = Instant.ofEpochSecond(1614265330L);

  private static final String OTHER_SECRET = "whsec_" + Base64.getEncoder().encodeToString("another-32-byte-signing-secret!!".getBytes(StandardCharsets.UTF_8));

  private static CallbackRequest request(String id, String timestamp, String signature, String body) {
    Map<String, String> headers = new HashMap<>();
    if (id != null) {
      headers.put("webhook-id", id);
    }
    if (timestamp != null) {
      headers.put("webhook-timestamp", timestamp);
    }
    if (signature != null) {
      headers.put("webhook-signature", signature);
    }
    return new CallbackRequest(headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static CallbackRequest specRequest() {
    return request(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_PAYLOAD);
  }

  /** {@code v1,base64(HMAC-SHA256(base64decode(secret after whsec_), id.timestamp.body))}, computed here. */
  static String sign(String secret, String id, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static void accepted(String secret, CallbackRequest request, Instant now) {
    assertThatCode(() -> new StandardWebhooksVerifier(secret).verify(request, now)).doesNotThrowAnyException();
  }

  private static CallbackRejected rejected(String secret, CallbackRequest request, Instant now) {
    CallbackRejected rejected = catchThrowableOfType(CallbackRejected.class, () -> new StandardWebhooksVerifier(secret).verify(request, now));
    assertThat(rejected).as("the callback is refused").isNotNull();
    assertThat(rejected.status()).isEqualTo(401);
    return rejected;
  }

  @Nested
  class PublishedVector {

    @Test
    void ourOwnHmacReproducesThePublishedSignature() {
      assertThat(sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD)).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void verifiesAtTheSignedTime() {
      accepted(SPEC_SECRET, specRequest(), SPEC_TIME);
    }

    @Test
    void verifiesWithTheSecretWithoutItsWhsecPrefix() {
      accepted(SPEC_SECRET.substring("whsec_".length()), specRequest(), SPEC_TIME);
    }

    @Test
    void headerNamesAreCaseInsensitive() {
      CallbackRequest request =
          new CallbackRequest(
              Map.of("Webhook-Id", SPEC_ID, "Webhook-Timestamp", SPEC_TIMESTAMP, "WEBHOOK-SIGNATURE", SPEC_SIGNATURE),
              SPEC_PAYLOAD.getBytes(StandardCharsets.UTF_8));
      accepted(SPEC_SECRET, request, SPEC_TIME);
    }

    @Test
    void verifiesWithinFiveMinutesEitherSide() {
      accepted(SPEC_SECRET, specRequest(), SPEC_TIME.plus(Duration.ofMinutes(4)));
      accepted(SPEC_SECRET, specRequest(), SPEC_TIME.minus(Duration.ofMinutes(4)));
    }
  }

  @Nested
  class SeveralSignatures {

    @Test
    void anyListedSignatureMayMatchHereOnlyTheSecond() {
      String stale = sign(OTHER_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD);
      accepted(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, stale + " " + SPEC_SIGNATURE, SPEC_PAYLOAD), SPEC_TIME);
    }

    @Test
    void noneMatchingIsRefused() {
      String a = sign(OTHER_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD);
      String b = sign(OTHER_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD + " ");
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, a + " " + b, SPEC_PAYLOAD), SPEC_TIME);
    }

    @Test
    void aMalformedEntryBeforeTheGoodOneIsSkipped() {
      accepted(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, "v1,%%%not-base64%%% " + SPEC_SIGNATURE, SPEC_PAYLOAD), SPEC_TIME);
    }

    @Test
    void theRightDigestUnderAnotherVersionDoesNotCount() {
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE.replace("v1,", "v1a,"), SPEC_PAYLOAD), SPEC_TIME);
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE.substring(3), SPEC_PAYLOAD), SPEC_TIME);
    }
  }

  @Nested
  class Refused {

    @Test
    void tamperedBody() {
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE, "{\"test\": 2432232315}"), SPEC_TIME);
    }

    @Test
    void bodyWithAddedWhitespace() {
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_PAYLOAD + "\n"), SPEC_TIME);
    }

    @Test
    void anotherMessageIdWithTheSameSignature() {
      rejected(SPEC_SECRET, request("msg_other", SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_PAYLOAD), SPEC_TIME);
    }

    @Test
    void wrongSecret() {
      rejected(OTHER_SECRET, specRequest(), SPEC_TIME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
    void missingHeader(String header) {
      CallbackRequest request =
          request(
              header.equals("webhook-id") ? null : SPEC_ID,
              header.equals("webhook-timestamp") ? null : SPEC_TIMESTAMP,
              header.equals("webhook-signature") ? null : SPEC_SIGNATURE,
              SPEC_PAYLOAD);
      assertThat(rejected(SPEC_SECRET, request, SPEC_TIME)).hasMessageContaining(header);
    }

    @Test
    void blankSignatureHeader() {
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, "  ", SPEC_PAYLOAD), SPEC_TIME);
    }

    @Test
    void timestampTenMinutesOld() {
      Instant now = SPEC_TIME.plus(Duration.ofMinutes(10));
      assertThat(rejected(SPEC_SECRET, specRequest(), now)).hasMessageContaining("webhook-timestamp");
    }

    @Test
    void timestampTenMinutesOldEvenWhenFreshlySigned() {
      // the signature is right for its timestamp; the timestamp itself is too old
      Instant now = Instant.parse("2026-06-01T12:00:00Z");
      String old = String.valueOf(now.minus(Duration.ofMinutes(10)).getEpochSecond());
      String body = "{\"id\":\"p1\",\"status\":\"succeeded\"}";
      rejected(SPEC_SECRET, request("msg_1", old, sign(SPEC_SECRET, "msg_1", old, body), body), now);
    }

    @Test
    void timestampTenMinutesInTheFuture() {
      Instant now = Instant.parse("2026-06-01T12:00:00Z");
      String future = String.valueOf(now.plus(Duration.ofMinutes(10)).getEpochSecond());
      String body = "{\"id\":\"p1\",\"status\":\"succeeded\"}";
      rejected(SPEC_SECRET, request("msg_1", future, sign(SPEC_SECRET, "msg_1", future, body), body), now);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "1614265330.5", "2021-02-25T15:02:10Z", "0x603"})
    void nonNumericTimestamp(String timestamp) {
      assertThat(rejected(SPEC_SECRET, request(SPEC_ID, timestamp, sign(SPEC_SECRET, SPEC_ID, timestamp, SPEC_PAYLOAD), SPEC_PAYLOAD), SPEC_TIME))
          .hasMessageContaining("webhook-timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1,%%%", "v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1,", "v1", "garbage"})
    void malformedSignature(String signature) {
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, signature, SPEC_PAYLOAD), SPEC_TIME);
    }

    @Test
    void truncatedDigestDoesNotMatch() {
      byte[] digest = Base64.getDecoder().decode(SPEC_SIGNATURE.substring(3));
      String truncated = "v1," + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(digest, 16));
      rejected(SPEC_SECRET, request(SPEC_ID, SPEC_TIMESTAMP, truncated, SPEC_PAYLOAD), SPEC_TIME);
    }
  }
}
