package io.aigen.camunda.connector.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * fal's webhook signature (docs/providers.md §1.8): Ed25519 keys made by the JDK, served as a JWKS by a
 * MockWebServer, and callbacks signed here as fal's documentation describes.
 */
class FalWebhookVerifierTest {

  static final String JWKS_PATH = "/.well-known/jwks.json";
  static final String REQUEST_ID = "80e732af-660e-45cd-bd63-580e4f2a94cc";
  static final String USER_ID = "user_2a7c";
  static final String BODY =
      "{\"request_id\":\"" + REQUEST_ID + "\",\"gateway_request_id\":\"" + REQUEST_ID
          + "\",\"status\":\"OK\",\"payload\":{\"images\":[{\"url\":\"https://v3.fal.media/files/cat.png\"}],\"seed\":42}}";

  private MockWebServer jwksServer;
  private JwksServer jwks;
  private MutableClock clock;
  private Ed25519JwksVerifier verifier;
  private KeyPair key;

  @BeforeEach
  void start() throws Exception {
    jwks = new JwksServer();
    jwksServer = jwks.server;
    clock = MutableClock.at("2026-06-01T12:00:00Z");
    verifier = new Ed25519JwksVerifier(new JwksKeys(ProviderHttp.withDefaults(), jwks.url(), clock), "X-Fal-Webhook-");
    key = ed25519();
    jwks.serve(key);
  }

  @AfterEach
  void stop() throws Exception {
    jwksServer.shutdown();
  }

  // ---- fal's side, written from docs/providers.md §1.8 with the JDK only ----

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** The raw 32-byte public key: the last 32 bytes of its X.509 encoding, base64url without padding. */
  static String x(KeyPair pair) {
    byte[] encoded = pair.getPublic().getEncoded();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
  }

  static String jwksJson(KeyPair... pairs) {
    return "{\"keys\":["
        + Arrays.stream(pairs).map(p -> "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x(p) + "\",\"use\":\"sig\"}").collect(Collectors.joining(","))
        + "]}";
  }

  /** Hex Ed25519 signature over {@code request_id \n user_id \n timestamp \n hex(sha256(body))}. */
  static String sign(KeyPair pair, String requestId, String userId, String timestamp, byte[] body) {
    try {
      String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      Signature ed = Signature.getInstance("Ed25519");
      ed.initSign(pair.getPrivate());
      ed.update((requestId + "\n" + userId + "\n" + timestamp + "\n" + bodyHash).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(ed.sign());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, String> headers(KeyPair pair, Instant signedAt, byte[] body) {
    String timestamp = String.valueOf(signedAt.getEpochSecond());
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Fal-Webhook-Request-Id", REQUEST_ID);
    headers.put("X-Fal-Webhook-User-Id", USER_ID);
    headers.put("X-Fal-Webhook-Timestamp", timestamp);
    headers.put("X-Fal-Webhook-Signature", sign(pair, REQUEST_ID, USER_ID, timestamp, body));
    return headers;
  }

  static CallbackRequest signed(KeyPair pair, Instant signedAt, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new CallbackRequest(headers(pair, signedAt, bytes), bytes);
  }

  /** A MockWebServer serving a JWKS that the test can change, and counting the fetches. */
  static final class JwksServer {
    final MockWebServer server = new MockWebServer();
    final AtomicReference<MockResponse> answer = new AtomicReference<>(new MockResponse().setResponseCode(404));

    JwksServer() throws Exception {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return JWKS_PATH.equals(request.getPath()) ? answer.get() : new MockResponse().setResponseCode(404);
            }
          });
      server.start();
    }

    String url() {
      return server.url(JWKS_PATH).toString();
    }

    void serve(KeyPair... pairs) {
      serveJson(jwksJson(pairs));
    }

    void serveJson(String json) {
      answer.set(new MockResponse().setHeader("Content-Type", "application/json").setBody(json));
    }

    int fetches() {
      return server.getRequestCount();
    }
  }

  // ---- assertions ----

  private void accepted(CallbackRequest request) {
    assertThatCode(() -> verifier.verify(request, clock.instant())).doesNotThrowAnyException();
  }

  private CallbackRejected rejected(CallbackRequest request, int status) {
    CallbackRejected rejected = catchThrowableOfType(CallbackRejected.class, () -> verifier.verify(request, clock.instant()));
    assertThat(rejected).as("the callback is refused").isNotNull();
    assertThat(rejected.status()).isEqualTo(status);
    return rejected;
  }

  private Instant now() {
    return clock.instant();
  }

  @Nested
  class Valid {

    @Test
    void aCallbackSignedWithFalsKeyVerifies() {
      accepted(signed(key, now(), BODY));
      assertThat(jwks.fetches()).isEqualTo(1);
    }

    @Test
    void anyKeyOfTheJwksWillDo() {
      KeyPair second = ed25519();
      KeyPair third = ed25519();
      jwks.serve(key, second, third);

      accepted(signed(third, now(), BODY));
      accepted(signed(second, now(), BODY));
      accepted(signed(key, now(), BODY));
      assertThat(jwks.fetches()).isEqualTo(1);
    }

    @Test
    void keysOfOtherTypesInTheJwksAreSkipped() {
      jwks.serveJson(
          "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"},{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" + x(ed25519())
              + "\"},{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x(key) + "\"}]}");

      accepted(signed(key, now(), BODY));
    }

    @Test
    void theJwksIsCachedAcrossCallbacks() {
      accepted(signed(key, now(), BODY));
      clock.advance(Duration.ofHours(1));
      accepted(signed(key, now(), BODY));
      clock.advance(Duration.ofHours(22));
      accepted(signed(key, now(), BODY));

      assertThat(jwks.fetches()).isEqualTo(1);
    }

    @Test
    void aDayOldJwksIsFetchedAgain() {
      accepted(signed(key, now(), BODY));
      clock.advance(Duration.ofHours(25));
      accepted(signed(key, now(), BODY));

      assertThat(jwks.fetches()).isEqualTo(2);
    }

    @Test
    void upperCaseHexIsTheSameSignature() {
      Map<String, String> headers = headers(key, now(), BODY.getBytes(StandardCharsets.UTF_8));
      headers.put("X-Fal-Webhook-Signature", headers.get("X-Fal-Webhook-Signature").toUpperCase());
      accepted(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void withinThreeHundredSecondsEitherSide() {
      accepted(signed(key, now().minusSeconds(299), BODY));
      accepted(signed(key, now().plusSeconds(299), BODY));
      accepted(signed(key, now().minusSeconds(300), BODY));
      accepted(signed(key, now().plusSeconds(300), BODY));
    }
  }

  @Nested
  class KeyRotation {

    @Test
    void aSignatureByANewKeyRefreshesTheCachedJwksOnceAndVerifies() {
      accepted(signed(key, now(), BODY)); // caches the old key
      assertThat(jwks.fetches()).isEqualTo(1);

      KeyPair rotated = ed25519();
      jwks.serve(rotated);
      clock.advance(Duration.ofMinutes(30));

      accepted(signed(rotated, now(), BODY));
      assertThat(jwks.fetches()).isEqualTo(2);

      // the refreshed keys are used from now on, without fetching again
      accepted(signed(rotated, now(), BODY));
      assertThat(jwks.fetches()).isEqualTo(2);
    }

    @Test
    void aSecondUnknownSignatureWithinTenSecondsDoesNotFetchAgain() {
      accepted(signed(key, now(), BODY));
      KeyPair rotated = ed25519();
      jwks.serve(rotated);
      clock.advance(Duration.ofMinutes(30));
      accepted(signed(rotated, now(), BODY));
      assertThat(jwks.fetches()).isEqualTo(2);

      KeyPair forger = ed25519();
      clock.advance(Duration.ofSeconds(9));
      rejected(signed(forger, now(), BODY), 401);
      rejected(signed(forger, now(), BODY), 401);
      assertThat(jwks.fetches()).as("forged callbacks cannot make us hammer the JWKS URL").isEqualTo(2);

      clock.advance(Duration.ofSeconds(2)); // 11 s after the last fetch
      rejected(signed(forger, now(), BODY), 401);
      assertThat(jwks.fetches()).isEqualTo(3);
    }

    @Test
    void whileTheJwksUrlFailsUnknownSignaturesDoNotFetchMoreThanOncePerTenSeconds() {
      accepted(signed(key, now(), BODY));
      jwks.answer.set(new MockResponse().setResponseCode(500));
      clock.advance(Duration.ofMinutes(5));
      KeyPair forger = ed25519();

      rejected(signed(forger, now(), BODY), 503); // the refresh was tried, and failed
      assertThat(jwks.fetches()).isEqualTo(2);
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofSeconds(1));
        rejected(signed(forger, now(), BODY), 401);
      }
      assertThat(jwks.fetches()).as("a failing JWKS URL is not hammered either").isEqualTo(2);
      accepted(signed(key, now(), BODY)); // the cached key still verifies
    }

    @Test
    void anUnknownKeyRightAfterTheFirstFetchDoesNotFetchTwice() {
      rejected(signed(ed25519(), now(), BODY), 401);
      assertThat(jwks.fetches()).isEqualTo(1);
    }

    @Test
    void aKeyDroppedFromTheJwksStopsVerifyingAfterTheRefresh() {
      KeyPair next = ed25519();
      jwks.serve(key, next);
      accepted(signed(key, now(), BODY));
      clock.advance(Duration.ofHours(25));
      jwks.serve(next);

      rejected(signed(key, now(), BODY), 401);
      accepted(signed(next, now(), BODY));
    }
  }

  @Nested
  class Refused {

    @Test
    void tooOld() {
      rejected(signed(key, now().minusSeconds(301), BODY), 401);
    }

    @Test
    void tooFarInTheFuture() {
      rejected(signed(key, now().plusSeconds(301), BODY), 401);
    }

    @Test
    void aStaleTimestampIsRefusedWithoutFetchingTheJwks() {
      rejected(signed(key, now().minus(Duration.ofMinutes(10)), BODY), 401);
      assertThat(jwks.fetches()).isZero();
    }

    @Test
    void tamperedBody() {
      CallbackRequest good = signed(key, now(), BODY);
      byte[] tampered = BODY.replace("cat.png", "dog.png").getBytes(StandardCharsets.UTF_8);
      rejected(new CallbackRequest(good.headers(), tampered), 401);
    }

    @Test
    void tamperedSignedHeader() {
      Map<String, String> headers = new HashMap<>(signed(key, now(), BODY).headers());
      headers.put("x-fal-webhook-request-id", "another-request");
      rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401);
    }

    @Test
    void timestampChangedAfterSigning() {
      Map<String, String> headers = new HashMap<>(signed(key, now(), BODY).headers());
      headers.put("x-fal-webhook-timestamp", String.valueOf(now().getEpochSecond() + 1));
      rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401);
    }

    @Test
    void signedByAKeyNotInTheJwks() {
      rejected(signed(ed25519(), now(), BODY), 401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Fal-Webhook-Request-Id", "X-Fal-Webhook-User-Id", "X-Fal-Webhook-Timestamp", "X-Fal-Webhook-Signature"})
    void missingHeader(String header) {
      Map<String, String> headers = headers(key, now(), BODY.getBytes(StandardCharsets.UTF_8));
      headers.remove(header);
      assertThat(rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401)).hasMessageContaining(header);
      assertThat(jwks.fetches()).isZero();
    }

    @Test
    void nonNumericTimestamp() {
      Map<String, String> headers = headers(key, now(), BODY.getBytes(StandardCharsets.UTF_8));
      String iso = now().toString();
      headers.put("X-Fal-Webhook-Timestamp", iso);
      headers.put("X-Fal-Webhook-Signature", sign(key, REQUEST_ID, USER_ID, iso, BODY.getBytes(StandardCharsets.UTF_8)));
      rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-hex-at-all", "abc", "zz"})
    void nonHexSignature(String signature) {
      Map<String, String> headers = headers(key, now(), BODY.getBytes(StandardCharsets.UTF_8));
      headers.put("X-Fal-Webhook-Signature", signature);
      rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401);
    }

    @Test
    void base64InsteadOfHex() {
      Map<String, String> headers = headers(key, now(), BODY.getBytes(StandardCharsets.UTF_8));
      byte[] raw = HexFormat.of().parseHex(headers.get("X-Fal-Webhook-Signature"));
      headers.put("X-Fal-Webhook-Signature", Base64.getEncoder().encodeToString(raw));
      rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 32, 63, 65, 128})
    void wrongLengthSignature(int bytes) {
      Map<String, String> headers = headers(key, now(), BODY.getBytes(StandardCharsets.UTF_8));
      String good = headers.get("X-Fal-Webhook-Signature");
      String hex = bytes <= 64 ? good.substring(0, bytes * 2) : good + "00".repeat(bytes - 64);
      headers.put("X-Fal-Webhook-Signature", hex);
      rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401);
    }

    @Test
    void allZeroSignature() {
      Map<String, String> headers = headers(key, now(), BODY.getBytes(StandardCharsets.UTF_8));
      headers.put("X-Fal-Webhook-Signature", "00".repeat(64));
      rejected(new CallbackRequest(headers, BODY.getBytes(StandardCharsets.UTF_8)), 401);
    }
  }

  @Nested
  class JwksUnavailable {

    @Test
    void jwksAnswering500Is503() {
      jwks.answer.set(new MockResponse().setResponseCode(500).setBody("oops"));
      rejected(signed(key, now(), BODY), 503);
    }

    @Test
    void jwksUnreachableIs503() throws Exception {
      jwksServer.shutdown();
      assertThat(rejected(signed(key, now(), BODY), 503)).hasMessageContaining("JWKS");
    }

    @Test
    void jwksWithoutEd25519KeysIs503() {
      jwks.serveJson("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}");
      rejected(signed(key, now(), BODY), 503);
    }

    @Test
    void jwksNotJsonIs503() {
      jwks.answer.set(new MockResponse().setHeader("Content-Type", "text/html").setBody("<html>maintenance</html>"));
      rejected(signed(key, now(), BODY), 503);
    }

    @Test
    void aFailedRefreshKeepsTheCachedKeysWorking() {
      accepted(signed(key, now(), BODY));
      jwks.answer.set(new MockResponse().setResponseCode(500));
      clock.advance(Duration.ofMinutes(1));

      accepted(signed(key, now(), BODY));
      assertThat(jwks.fetches()).isEqualTo(1);
    }
  }

  @Test
  void theBodyHashCoversTheExactBytes() {
    // re-serialising the JSON (here: without spaces) must not verify: fal signs the raw bytes
    String spaced = "{ \"request_id\": \"" + REQUEST_ID + "\", \"status\": \"OK\" }";
    CallbackRequest good = signed(key, now(), spaced);
    accepted(good);
    rejected(new CallbackRequest(good.headers(), spaced.replace(" ", "").getBytes(StandardCharsets.UTF_8)), 401);
  }
}
