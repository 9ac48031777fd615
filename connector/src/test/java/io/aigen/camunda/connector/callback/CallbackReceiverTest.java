package io.aigen.camunda.connector.callback;

import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.support.MutableClock;
import io.aigen.camunda.connector.support.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The callback receiver end to end at unit level: the real provider specs and clients, with the
 * presets moved to a MockWebServer (the "provider"), fal's JWKS on another, callbacks signed here
 * as each provider signs them (docs/providers.md §1.8, §2.6, §4.5, §8), and the attacks a public
 * callback URL invites. A rejection means nothing is published: {@link #rejected} fails when
 * {@code receive} returns an outcome instead.
 */
class CallbackReceiverTest {

  /** The runtime signs custom specs in callback URLs with a key of its own. */
  static final CallbackUrls URLS = new CallbackUrls("https://hooks.example.com/", "runtime-url-signing-key");

  private static final String FAL_ID = "80e732af-660e-45cd-bd63-580e4f2a94cc";
  private static final String FAL_IMAGE = "https://v3.fal.media/files/koala/cat.png";
  private static final String REPLICATE_ID = "ufawqhfynnddngldkgtslldrkq";
  private static final String REPLICATE_OUTPUT = "https://replicate.delivery/xezq/abc123/out-0.webp";
  private static final String REPLICATE_SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("replicate-signing-key-32-bytes!!".getBytes(StandardCharsets.UTF_8));
  private static final String LUMA_ID = "123e4567-e89b-12d3-a456-426614174000";
  private static final String LUMA_KEY = "luma-runtime-key";
  private static final String LUMA_BASE = "/dream-machine/v1";
  private static final String LUMA_VIDEO = "https://storage.cdn-luma.com/dream_machine/123e4567/video.mp4";
  private static final String UNIFIED_ID = "task_01HZX3";
  private static final String UNIFIED_SECRET = "unified-hook-secret";
  private static final String UNIFIED_KEY = "unified-runtime-key";
  private static final String UNIFIED_VIDEO = "https://cdn.elkapi.com/out/task_01HZX3.mp4";

  @TempDir Path results;
  private MockWebServer provider;
  private FalWebhookVerifierTest.JwksServer jwks;
  private MutableClock clock;
  private KeyPair falKey;
  private Map<String, String> secrets;
  private CallbackReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    provider = ProviderFixture.server();
    jwks = new FalWebhookVerifierTest.JwksServer();
    falKey = FalWebhookVerifierTest.ed25519();
    jwks.serve(falKey);
    clock = MutableClock.at("2026-06-01T12:00:00Z");
    ProviderSettings settings =
        new ProviderSettings(
            Map.of(
                "fal", ProviderFixture.baseUrl(ProviderId.FAL, provider),
                "replicate", ProviderFixture.baseUrl(ProviderId.REPLICATE, provider),
                "luma", ProviderFixture.baseUrl(ProviderId.LUMA, provider),
                "unified-task", ProviderFixture.baseUrl(ProviderId.UNIFIED_TASK, provider)),
            Map.of("fal", jwks.url()));
    secrets = new HashMap<>();
    secrets.put("REPLICATE_WEBHOOK_SECRET", REPLICATE_SECRET);
    secrets.put("LUMA_API_KEY", LUMA_KEY);
    receiver =
        new CallbackReceiver(
            new ProviderSpecs(settings), new GenerationClients(ProviderFixture.http(), new LocalResultStore(results, null), clock), ProviderFixture.http(), secrets::get, URLS, clock, Json.mapper());
  }

  @AfterEach
  void stop() throws Exception {
    provider.shutdown();
    jwks.server.shutdown();
  }

  // ---- receiving ----

  private CallbackOutcome receive(String providerId, String spec, CallbackRequest request) {
    try {
      return receiver.receive(providerId, spec, request);
    } catch (CallbackRejected e) {
      throw new AssertionError("refused with " + e.status() + ": " + e.getMessage(), e);
    }
  }

  private CallbackOutcome receive(String providerId, CallbackRequest request) {
    return receive(providerId, null, request);
  }

  /** The callback is refused with {@code status}, so nothing is published. */
  private CallbackRejected rejected(int status, String providerId, String spec, CallbackRequest request) {
    CallbackOutcome outcome;
    try {
      outcome = receiver.receive(providerId, spec, request);
    } catch (CallbackRejected e) {
      assertThat(e.status()).as("status of the rejection '%s'", e.getMessage()).isEqualTo(status);
      return e;
    }
    throw new AssertionError("expected a rejection with HTTP " + status + " (nothing published), but got " + outcome);
  }

  private CallbackRejected rejected(int status, String providerId, CallbackRequest request) {
    return rejected(status, providerId, null, request);
  }

  private static CallbackOutcome.Publish published(CallbackOutcome outcome) {
    assertThat(outcome).isInstanceOf(CallbackOutcome.Publish.class);
    return (CallbackOutcome.Publish) outcome;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> generation(CallbackOutcome.Publish publish) {
    assertThat(publish.variables()).containsOnlyKeys("generation");
    return (Map<String, Object>) publish.variables().get("generation");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(CallbackOutcome.Publish publish) {
    return (Map<String, Object>) generation(publish).get("error");
  }

  private void assertNothingSentToTheProvider() {
    assertThat(provider.getRequestCount()).as("requests to the provider").isZero();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // ---- fal (docs/providers.md §1.8) ----

  private static String falOk(String id, String imageUrl) {
    return "{\"request_id\":\"" + id + "\",\"gateway_request_id\":\"" + id + "\",\"status\":\"OK\","
        + "\"payload\":{\"images\":[{\"url\":\"" + imageUrl + "\",\"content_type\":\"image/png\",\"width\":1024,\"height\":1024}],\"seed\":42}}";
  }

  private static String falError(String id) {
    return "{\"request_id\":\"" + id + "\",\"gateway_request_id\":\"" + id + "\",\"status\":\"ERROR\",\"error\":\"Invalid status code: 422\","
        + "\"payload\":{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}]}}";
  }

  private CallbackRequest falSigned(KeyPair key, Instant at, byte[] body) {
    return new CallbackRequest(FalWebhookVerifierTest.headers(key, at, body), body);
  }

  private CallbackRequest falSigned(String body) {
    return falSigned(falKey, clock.instant(), bytes(body));
  }

  // ---- Replicate (§2.6) ----

  private static String prediction(String id, String status, String output, String error) {
    return "{\"id\":\"" + id + "\",\"model\":\"black-forest-labs/flux-schnell\",\"version\":\"dp-4d0bcc010b3049749a251855f12800be\","
        + "\"input\":{\"prompt\":\"a cat\"},\"logs\":\"\",\"output\":" + output + ",\"data_removed\":false,\"error\":" + error + ",\"status\":\"" + status + "\","
        + "\"created_at\":\"2026-06-01T11:59:50.000Z\",\"urls\":{\"cancel\":\"https://api.replicate.com/v1/predictions/" + id + "/cancel\","
        + "\"get\":\"https://api.replicate.com/v1/predictions/" + id + "\"},\"metrics\":{\"predict_time\":1.2}}";
  }

  private static CallbackRequest replicateSigned(String secret, String messageId, Instant at, byte[] body) {
    String timestamp = String.valueOf(at.getEpochSecond());
    String signature = StandardWebhooksVerifierTest.sign(secret, messageId, timestamp, new String(body, StandardCharsets.UTF_8));
    return new CallbackRequest(Map.of("webhook-id", messageId, "webhook-timestamp", timestamp, "webhook-signature", signature), body);
  }

  private CallbackRequest replicateSigned(String body) {
    return replicateSigned(REPLICATE_SECRET, "msg_2Lh9KRb0pzN4Lm2kPx1", clock.instant(), bytes(body));
  }

  // ---- Luma (§4) ----

  private static String lumaGeneration(String id, String state, String video, String failureReason) {
    return "{\"id\":\"" + id + "\",\"generation_type\":\"video\",\"state\":\"" + state + "\",\"failure_reason\":"
        + (failureReason == null ? "null" : "\"" + failureReason + "\"") + ",\"created_at\":\"2026-06-01T11:58:00Z\",\"model\":\"ray-2\","
        + "\"assets\":{\"video\":" + (video == null ? "null" : "\"" + video + "\"") + ",\"image\":null,\"progress_video\":null},"
        + "\"request\":{\"model\":\"ray-2\",\"prompt\":\"A teddy bear playing guitar\"}}";
  }

  private static CallbackRequest unsigned(String body) {
    return new CallbackRequest(Map.of("Content-Type", "application/json"), bytes(body));
  }

  // ---- unified task API (§8) ----

  private static String unifiedTask(String id, String status, String outputs, String error) {
    return "{\"task_id\":\"" + id + "\",\"status\":\"" + status + "\",\"outputs\":" + outputs + ",\"error\":" + error
        + ",\"created_at\":\"2026-06-01T11:58:00Z\",\"completed_at\":\"2026-06-01T11:59:58Z\"}";
  }

  private static CallbackRequest hmacSigned(String header, String version, String secret, Instant at, String body) {
    return new CallbackRequest(Map.of(header, TimestampedHmacVerifierTest.header(version, secret, at, body)), bytes(body));
  }

  @Nested
  class Fal {

    @Test
    void aSignedOkPublishesSucceededWithTheImageUrl() {
      CallbackOutcome.Publish publish = published(receive("fal", falSigned(falOk(FAL_ID, FAL_IMAGE))));

      assertThat(publish.provider()).isEqualTo("fal");
      assertThat(publish.jobId()).isEqualTo(FAL_ID);
      assertThat(publish.correlationKey()).isEqualTo(FAL_ID);
      assertThat(publish.state()).isEqualTo("SUCCEEDED");
      assertThat(publish.messageId()).isEqualTo("fal:" + FAL_ID + ":SUCCEEDED");
      Map<String, Object> generation = generation(publish);
      assertThat(generation).containsEntry("status", "SUCCEEDED").containsEntry("provider", "fal").containsEntry("jobId", FAL_ID);
      assertThat(generation.get("outputs")).isEqualTo(List.of(FAL_IMAGE));
      assertThat(Json.mapper().valueToTree(generation.get("providerResult")).path("seed").asInt()).isEqualTo(42);
      assertNothingSentToTheProvider();
      assertThat(jwks.fetches()).isEqualTo(1);
    }

    @Test
    void aSignedErrorPublishesFailedWithFalsMessage() {
      CallbackOutcome.Publish publish = published(receive("fal", falSigned(falError(FAL_ID))));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat(publish.messageId()).isEqualTo("fal:" + FAL_ID + ":FAILED");
      Map<String, Object> generation = generation(publish);
      assertThat(generation).containsEntry("status", "FAILED").containsEntry("jobId", FAL_ID);
      assertThat(generation.get("outputs")).isEqualTo(List.of());
      assertThat(error(publish)).containsEntry("code", "AI_GENERATION_FAILED");
      assertThat((String) error(publish).get("message")).contains(FAL_ID).contains("Invalid status code: 422");
      assertNothingSentToTheProvider();
    }

    @Test
    void theSameCallbackTwicePublishesTheSameMessageId() {
      CallbackRequest request = falSigned(falOk(FAL_ID, FAL_IMAGE));
      String first = published(receive("fal", request)).messageId();
      clock.advance(Duration.ofSeconds(30));
      assertThat(published(receive("fal", request)).messageId()).isEqualTo(first);
    }

    @Test
    void theProviderSegmentMayBeTheTemplatesValue() {
      assertThat(published(receive("FAL", falSigned(falOk(FAL_ID, FAL_IMAGE)))).provider()).isEqualTo("fal");
    }
  }

  /** fal's {@code OK} with {@code payload: null} and {@code payload_error} (docs/providers.md §1.8). */
  @Nested
  class FalPayloadError {

    private static final String APP = "fal-ai/flux";

    private String falPayloadError(String id) {
      return "{\"request_id\":\"" + id + "\",\"gateway_request_id\":\"" + id + "\",\"status\":\"OK\","
          + "\"payload\":null,\"payload_error\":\"Response payload is not JSON serializable\"}";
    }

    private CallbackRequest withApp(CallbackRequest signed, String app) {
      return new CallbackRequest(signed.headers(), signed.body(), app == null ? Map.of() : Map.of("app", app));
    }

    @Test
    void theResultIsReadFromFalWithTheRuntimesKeyAndPublished() {
      secrets.put("FAL_KEY", "fal-runtime-key");
      provider.enqueue(json(200, "{\"images\":[{\"url\":\"" + FAL_IMAGE + "\",\"content_type\":\"image/png\"}],\"seed\":7}"));

      CallbackOutcome.Publish publish = published(receive("fal", withApp(falSigned(falPayloadError(FAL_ID)), APP)));

      RecordedRequest get = next(provider);
      assertThat(get.getMethod()).isEqualTo("GET");
      assertThat(get.getPath()).isEqualTo("/" + APP + "/requests/" + FAL_ID);
      assertThat(get.getHeader("Authorization")).isEqualTo("Key fal-runtime-key");
      assertThat(publish.state()).isEqualTo("SUCCEEDED");
      assertThat(generation(publish)).containsEntry("status", "SUCCEEDED").containsEntry("jobId", FAL_ID);
      assertThat(generation(publish).get("outputs")).isEqualTo(List.of(FAL_IMAGE));
      assertThat(provider.getRequestCount()).isEqualTo(1);
    }

    @Test
    void falHasNoResultPublishesFailedNamingThePayloadError() {
      secrets.put("FAL_KEY", "fal-runtime-key");
      provider.enqueue(json(404, "{\"detail\":\"Request not found\"}"));

      CallbackOutcome.Publish publish = published(receive("fal", withApp(falSigned(falPayloadError(FAL_ID)), APP)));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat(publish.messageId()).isEqualTo("fal:" + FAL_ID + ":FAILED");
      assertThat(generation(publish).get("outputs")).isEqualTo(List.of());
      assertThat(error(publish)).containsEntry("code", "AI_GENERATION_FAILED");
      assertThat((String) error(publish).get("message")).contains("Response payload is not JSON serializable").contains("HTTP 404");
    }

    @Test
    void falUnavailableIs503SoTheWebhookIsSentAgain() {
      secrets.put("FAL_KEY", "fal-runtime-key");
      provider.enqueue(json(503, "{\"detail\":\"busy\"}"));

      rejected(503, "fal", withApp(falSigned(falPayloadError(FAL_ID)), APP));
    }

    @Test
    void withoutTheFalKeySecretItIsFailedNamingThePayloadErrorAndTheSecret() {
      CallbackOutcome.Publish publish = published(receive("fal", withApp(falSigned(falPayloadError(FAL_ID)), APP)));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat((String) error(publish).get("message")).contains("Response payload is not JSON serializable").contains("FAL_KEY");
      assertNothingSentToTheProvider();
    }

    @Test
    void aCallbackUrlWithoutTheAppIsFailedNamingTheParameter() {
      secrets.put("FAL_KEY", "fal-runtime-key");

      CallbackOutcome.Publish publish = published(receive("fal", withApp(falSigned(falPayloadError(FAL_ID)), null)));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat((String) error(publish).get("message")).contains("Response payload is not JSON serializable").contains("'app'");
      assertNothingSentToTheProvider();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../admin", "fal-ai/flux?x=1", "https://evil.example/x", "a//b"})
    void anAppThatIsNotAPlainPathIsRefusedWithoutReading(String app) {
      secrets.put("FAL_KEY", "fal-runtime-key");

      rejected(400, "fal", withApp(falSigned(falPayloadError(FAL_ID)), app));
      assertNothingSentToTheProvider();
    }

    @Test
    void anOkWithItsPayloadIsNotReadAgain() {
      secrets.put("FAL_KEY", "fal-runtime-key");

      published(receive("fal", withApp(falSigned(falOk(FAL_ID, FAL_IMAGE)), APP)));

      assertNothingSentToTheProvider();
    }
  }

  @Nested
  class Replicate {

    @Test
    void succeededPublishesTheOutputs() {
      CallbackOutcome.Publish publish =
          published(receive("replicate", replicateSigned(prediction(REPLICATE_ID, "succeeded", "[\"" + REPLICATE_OUTPUT + "\"]", "null"))));

      assertThat(publish.messageId()).isEqualTo("replicate:" + REPLICATE_ID + ":SUCCEEDED");
      assertThat(publish.correlationKey()).isEqualTo(REPLICATE_ID);
      Map<String, Object> generation = generation(publish);
      assertThat(generation).containsEntry("status", "SUCCEEDED").containsEntry("provider", "replicate");
      assertThat(generation.get("outputs")).isEqualTo(List.of(REPLICATE_OUTPUT));
      assertThat((List<?>) generation.get("warnings")).anySatisfy(w -> assertThat((String) w).contains("1 hour"));
      assertNothingSentToTheProvider();
    }

    @Test
    void aSingleUrlOutputIsAnOutputToo() {
      CallbackOutcome.Publish publish =
          published(receive("replicate", replicateSigned(prediction(REPLICATE_ID, "succeeded", "\"" + REPLICATE_OUTPUT + "\"", "null"))));
      assertThat(generation(publish).get("outputs")).isEqualTo(List.of(REPLICATE_OUTPUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"canceled", "aborted"})
    void canceledAndAbortedPublishCancelled(String status) {
      CallbackOutcome.Publish publish = published(receive("replicate", replicateSigned(prediction(REPLICATE_ID, status, "null", "null"))));

      assertThat(publish.state()).isEqualTo("CANCELLED");
      assertThat(publish.messageId()).isEqualTo("replicate:" + REPLICATE_ID + ":CANCELLED");
      assertThat(generation(publish)).containsEntry("status", "CANCELLED");
      assertThat(error(publish)).containsEntry("code", "AI_GENERATION_CANCELLED");
      assertThat((String) error(publish).get("message")).contains("was cancelled").contains(status);
    }

    @Test
    void failedPublishesFailedWithReplicatesError() {
      CallbackOutcome.Publish publish =
          published(receive("replicate", replicateSigned(prediction(REPLICATE_ID, "failed", "null", "\"CUDA out of memory\""))));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat(error(publish)).containsEntry("code", "AI_GENERATION_FAILED");
      assertThat((String) error(publish).get("message")).contains("CUDA out of memory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"starting", "processing"})
    void aStartOrProgressEventIsIgnored(String status) {
      CallbackOutcome outcome = receive("replicate", replicateSigned(prediction(REPLICATE_ID, status, "null", "null")));

      assertThat(outcome).isEqualTo(new CallbackOutcome.Ignored("replicate", REPLICATE_ID, status));
      assertNothingSentToTheProvider();
    }

    @Test
    void withoutTheSigningSecretTheRuntimeAnswers503() {
      secrets.remove("REPLICATE_WEBHOOK_SECRET");
      assertThat(rejected(503, "replicate", replicateSigned(prediction(REPLICATE_ID, "succeeded", "[]", "null"))))
          .hasMessageContaining("REPLICATE_WEBHOOK_SECRET");
    }
  }

  @Nested
  class LumaRefetch {

    @Test
    void anUnsignedCallbackIsOnlyAHintTheStatusIsReadFromLuma() {
      provider.enqueue(json(200, lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null)));

      CallbackOutcome.Publish publish = published(receive("luma", unsigned(lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null))));

      RecordedRequest get = next(provider);
      assertThat(get.getMethod()).isEqualTo("GET");
      assertThat(get.getPath()).isEqualTo(LUMA_BASE + "/generations/" + LUMA_ID);
      assertThat(get.getHeader("Authorization")).isEqualTo("Bearer " + LUMA_KEY);
      assertThat(publish.messageId()).isEqualTo("luma:" + LUMA_ID + ":SUCCEEDED");
      assertThat(generation(publish)).containsEntry("status", "SUCCEEDED").containsEntry("provider", "luma").containsEntry("jobId", LUMA_ID);
      assertThat(generation(publish).get("outputs")).isEqualTo(List.of(LUMA_VIDEO));
      assertThat(provider.getRequestCount()).isEqualTo(1);
    }

    @Test
    void onlyWhatLumaSaysIsPublishedNotWhatTheCallbackClaims() {
      provider.enqueue(json(200, lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null)));

      CallbackOutcome.Publish publish =
          published(receive("luma", unsigned(lumaGeneration(LUMA_ID, "completed", "https://evil.example/malware.mp4", null))));

      assertThat(generation(publish).get("outputs")).isEqualTo(List.of(LUMA_VIDEO));
    }

    @Test
    void aForgedCompletedWhileLumaSaysDreamingIsIgnored() {
      provider.enqueue(json(200, lumaGeneration(LUMA_ID, "dreaming", null, null)));

      CallbackOutcome outcome = receive("luma", unsigned(lumaGeneration(LUMA_ID, "completed", "https://evil.example/x.mp4", null)));

      assertThat(outcome).isEqualTo(new CallbackOutcome.Ignored("luma", LUMA_ID, "dreaming"));
      assertThat(next(provider).getPath()).isEqualTo(LUMA_BASE + "/generations/" + LUMA_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"queued", "dreaming"})
    void aCallbackAboutAStateThatIsNotAnEndIsAnsweredWithoutReadingLuma(String state) {
      CallbackOutcome outcome = receive("luma", unsigned(lumaGeneration(LUMA_ID, state, null, null)));

      assertThat(outcome).isEqualTo(new CallbackOutcome.Ignored("luma", LUMA_ID, state));
      assertNothingSentToTheProvider();
    }

    @Test
    void failedAtLumaPublishesFailedWithLumasReason() {
      provider.enqueue(json(200, lumaGeneration(LUMA_ID, "failed", null, "400: prompt not allowed")));

      CallbackOutcome.Publish publish = published(receive("luma", unsigned("{\"id\":\"" + LUMA_ID + "\",\"state\":\"failed\"}")));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat(error(publish)).containsEntry("code", "AI_GENERATION_FAILED");
      assertThat((String) error(publish).get("message")).contains("prompt not allowed");
    }

    @Test
    void lumaDoesNotKnowTheJobIs400() {
      provider.enqueue(json(404, "{\"detail\":\"Generation not found\"}"));

      rejected(400, "luma", unsigned(lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null)));
      assertThat(provider.getRequestCount()).isEqualTo(1);
    }

    @Test
    void lumaUnavailableIs503SoTheCallbackIsSentAgain() {
      provider.enqueue(json(503, "{\"detail\":\"Service Unavailable\"}"));

      rejected(503, "luma", unsigned(lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null)));
    }

    @Test
    void lumaUnreachableIs503() throws Exception {
      provider.shutdown();

      rejected(503, "luma", unsigned(lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null)));
    }

    @Test
    void withoutTheLumaApiKeySecretItIs503AndNothingIsFetched() {
      secrets.remove("LUMA_API_KEY");

      assertThat(rejected(503, "luma", unsigned(lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null)))).hasMessageContaining("LUMA_API_KEY");
      assertNothingSentToTheProvider();
    }

    @Test
    void signatureHeadersOnALumaCallbackChangeNothing() {
      provider.enqueue(json(200, lumaGeneration(LUMA_ID, "dreaming", null, null)));
      CallbackRequest withHeaders =
          new CallbackRequest(Map.of("X-Webhook-Signature", "t=1,v1=00", "webhook-signature", "v1,AAAA"), bytes(lumaGeneration(LUMA_ID, "completed", LUMA_VIDEO, null)));

      assertThat(receive("luma", withHeaders)).isInstanceOf(CallbackOutcome.Ignored.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../credits", "..", "a/b", "x?y=1", "x#y", "%2e%2e%2fcredits", "a b"})
    void aJobIdThatIsNotOnePathSegmentIsRefusedWithoutFetching(String id) {
      rejected(400, "luma", unsigned("{\"id\":\"" + id + "\",\"state\":\"completed\"}"));
      assertNothingSentToTheProvider();
    }
  }

  @Nested
  class UnifiedTask {

    private static final String HEADER = "X-Webhook-Signature";

    private String completed(String outputs) {
      return unifiedTask(UNIFIED_ID, "completed", outputs, "null");
    }

    @Test
    void withTheWebhookSecretASignedCallbackIsTrustedAsIs() {
      secrets.put("UNIFIED_WEBHOOK_SECRET", UNIFIED_SECRET);
      secrets.put("UNIFIED_API_KEY", UNIFIED_KEY);

      CallbackOutcome.Publish publish =
          published(receive("unified-task", hmacSigned(HEADER, "v1", UNIFIED_SECRET, clock.instant(), completed("[{\"url\":\"" + UNIFIED_VIDEO + "\"}]"))));

      assertThat(publish.messageId()).isEqualTo("unified-task:" + UNIFIED_ID + ":SUCCEEDED");
      assertThat(generation(publish).get("outputs")).isEqualTo(List.of(UNIFIED_VIDEO));
      assertNothingSentToTheProvider();
    }

    @Test
    void withTheWebhookSecretAnUnsignedCallbackIs401EvenWithAnApiKey() {
      secrets.put("UNIFIED_WEBHOOK_SECRET", UNIFIED_SECRET);
      secrets.put("UNIFIED_API_KEY", UNIFIED_KEY);

      rejected(401, "unified-task", unsigned(completed("[{\"url\":\"https://evil.example/x.mp4\"}]")));
      assertNothingSentToTheProvider();
    }

    @Test
    void withTheWebhookSecretAWronglySignedCallbackIs401() {
      secrets.put("UNIFIED_WEBHOOK_SECRET", UNIFIED_SECRET);

      rejected(401, "unified-task", hmacSigned(HEADER, "v1", "guessed", clock.instant(), completed("[]")));
    }

    @Test
    void aSignedFailureWithAnErrorObjectPublishesItsMessage() {
      secrets.put("UNIFIED_WEBHOOK_SECRET", UNIFIED_SECRET);
      String body = unifiedTask(UNIFIED_ID, "failed", "[]", "{\"code\":\"content_policy\",\"message\":\"the prompt was refused\"}");

      CallbackOutcome.Publish publish = published(receive("unified-task", hmacSigned(HEADER, "v1", UNIFIED_SECRET, clock.instant(), body)));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat((String) error(publish).get("message")).contains("the prompt was refused (content_policy)");
    }

    @Test
    void withoutTheWebhookSecretACallbackAboutAnUnfinishedTaskReadsNothing() {
      secrets.put("UNIFIED_API_KEY", UNIFIED_KEY);

      CallbackOutcome outcome = receive("unified-task", unsigned(unifiedTask(UNIFIED_ID, "in_progress", "[]", "null")));

      assertThat(outcome).isEqualTo(new CallbackOutcome.Ignored("unified-task", UNIFIED_ID, "in_progress"));
      assertNothingSentToTheProvider();
    }

    @Test
    void withoutTheWebhookSecretTheCallbackIsAHintAndTheTaskIsRead() {
      secrets.put("UNIFIED_API_KEY", UNIFIED_KEY);
      provider.enqueue(json(200, completed("[{\"url\":\"" + UNIFIED_VIDEO + "\"}]")));

      CallbackOutcome.Publish publish = published(receive("unified-task", unsigned(completed("[{\"url\":\"https://evil.example/x.mp4\"}]"))));

      RecordedRequest get = next(provider);
      assertThat(get.getMethod()).isEqualTo("GET");
      assertThat(get.getPath()).isEqualTo("/v1/task/" + UNIFIED_ID);
      assertThat(get.getHeader("Authorization")).isEqualTo("Bearer " + UNIFIED_KEY);
      assertThat(generation(publish).get("outputs")).isEqualTo(List.of(UNIFIED_VIDEO));
    }

    @Test
    void withoutTheWebhookSecretAStillRunningTaskIsIgnored() {
      secrets.put("UNIFIED_API_KEY", UNIFIED_KEY);
      provider.enqueue(json(200, unifiedTask(UNIFIED_ID, "in_progress", "[]", "null")));

      assertThat(receive("unified-task", unsigned(completed("[]")))).isEqualTo(new CallbackOutcome.Ignored("unified-task", UNIFIED_ID, "in_progress"));
    }

    @Test
    void withNeitherSecretItIs503AndNothingIsFetched() {
      rejected(503, "unified-task", unsigned(completed("[]")));
      assertNothingSentToTheProvider();
    }
  }

  @Nested
  class Custom {

    private static final String SECRET_NAME = "ACME_HOOK_SECRET";
    private static final String SECRET = "acme-signing-secret";
    private static final String HEADER = "X-Acme-Signature";

    private String spec(String id, String verify) {
      return ("{" + (id == null ? "" : "'id':'" + id + "',") + "'targetUrl':'@BASE/v1/jobs',"
              + "'pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],'failValues':['error'],'resultPath':'result','outputsPath':'$..url'},"
              + "'callback':{'body':{'webhook':'{callbackUrl}'},'verify':" + verify + ",'jobIdPath':'job.id','statusPath':'job.status',"
              + "'doneValues':['done'],'failValues':['error'],'cancelledValues':['stopped'],'resultPath':'job.result','errorPath':'job.error'}}")
          .replace('\'', '"')
          .replace("@BASE", ProviderFixture.baseUrl(ProviderId.UNIFIED_TASK, provider));
    }

    private String hmacSpec(String id) {
      return spec(id, "{'scheme':'hmac','secret':'" + SECRET_NAME + "','header':'" + HEADER + "'}");
    }

    /** The {@code spec} parameter of the callback URL a submit would hand out. */
    private String specParameter(String specJson) {
      HttpUrl url = HttpUrl.get(URLS.forCustom(parse(specJson)));
      assertThat(url.pathSegments()).containsExactly("callbacks", "custom");
      return url.queryParameter("spec");
    }

    private static String job(String id, String status, String result, String error) {
      return "{\"job\":{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"result\":" + result + ",\"error\":" + error + "}}";
    }

    @Test
    void theSpecTravelsInTheCallbackUrlAndIsReadBack() {
      secrets.put(SECRET_NAME, SECRET);
      String body = job("j-7", "done", "{\"files\":[{\"url\":\"https://cdn.acme.example/j-7.mp4\"}]}", "null");

      CallbackOutcome.Publish publish =
          published(receive("custom", specParameter(hmacSpec("custom")), hmacSigned(HEADER, "v1", SECRET, clock.instant(), body)));

      assertThat(publish.jobId()).isEqualTo("j-7");
      assertThat(publish.messageId()).isEqualTo("custom:j-7:SUCCEEDED");
      assertThat(generation(publish).get("outputs")).isEqualTo(List.of("https://cdn.acme.example/j-7.mp4"));
      assertNothingSentToTheProvider();
    }

    @Test
    void aSpecWithItsOwnIdWorksTheSame() {
      secrets.put(SECRET_NAME, SECRET);
      String body = job("j-8", "error", "null", "\"out of credits\"");

      CallbackOutcome.Publish publish =
          published(receive("custom", specParameter(hmacSpec("acme-video")), hmacSigned(HEADER, "v1", SECRET, clock.instant(), body)));

      assertThat(publish.state()).isEqualTo("FAILED");
      assertThat((String) error(publish).get("message")).contains("out of credits");
    }

    @Test
    void aSpecSignedByAnotherKeyIsRefusedBeforeItIsRead() {
      secrets.put(SECRET_NAME, SECRET);
      String foreign = HttpUrl.get(new CallbackUrls("https://hooks.example.com", "attackers-key").forCustom(parse(hmacSpec("custom")))).queryParameter("spec");
      String body = job("j-9", "done", "null", "null");
      assertThat(rejected(404, "custom", foreign, hmacSigned(HEADER, "v1", SECRET, clock.instant(), body)).getMessage()).contains("not signed by this runtime");
      assertNothingSentToTheProvider();
    }

    @Test
    void aSpecAlteredAfterSigningIsRefused() {
      String signed = specParameter(hmacSpec("custom"));
      String altered = "e30" + signed.substring(signed.indexOf('.'));
      rejected(404, "custom", altered, hmacSigned(HEADER, "v1", SECRET, clock.instant(), "{}"));
    }

    @Test
    void anUnsignedCallbackIs401() {
      secrets.put(SECRET_NAME, SECRET);
      rejected(401, "custom", specParameter(hmacSpec("custom")), unsigned(job("j-7", "done", "null", "null")));
    }

    @Test
    void withoutItsSecretItIs503() {
      rejected(503, "custom", specParameter(hmacSpec("custom")), hmacSigned(HEADER, "v1", SECRET, clock.instant(), job("j-7", "done", "null", "null")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom", "acme-video", "luma"})
    void aRefetchSpecIsRefusedAndNothingIsFetchedWhateverItsId(String id) {
      provider.enqueue(json(200, "{\"status\":\"done\",\"result\":{\"url\":\"https://evil.example/x.mp4\"}}"));
      String spec = spec(id, "{'scheme':'refetch','apiKeySecret':'LUMA_API_KEY'}");

      rejected(401, "custom", specParameter(spec), unsigned(job("j-7", "done", "null", "null")));
      assertNothingSentToTheProvider();
    }

    @Test
    void aRefetchSpecWithoutAnIdIsRefusedToo() {
      String spec = spec(null, "{'scheme':'refetch','apiKeySecret':'LUMA_API_KEY'}");

      rejected(401, "custom", specParameter(spec), unsigned(job("j-7", "done", "null", "null")));
      assertNothingSentToTheProvider();
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom", "acme-video"})
    void anHmacSpecWithoutItsSecretDoesNotFallBackToRefetching(String id) {
      // the unified-task preset re-reads when its signing secret is undefined; a custom spec must not
      String spec = spec(id, "{'scheme':'hmac','secret':'UNDEFINED_SECRET','apiKeySecret':'LUMA_API_KEY'}");
      provider.enqueue(json(200, "{\"status\":\"done\",\"result\":{\"url\":\"https://evil.example/x.mp4\"}}"));

      rejected(503, "custom", specParameter(spec), unsigned(job("j-7", "done", "null", "null")));
      assertNothingSentToTheProvider();
    }

    @Test
    void withoutTheSpecParameterIt404s() {
      rejected(404, "custom", null, unsigned(job("j-7", "done", "null", "null")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!not-base64!!!", "bm90IGpzb24", "WzEsMl0", "eyJwb2xsQ29uZmlnIjp7fX0", "eyJ0YXJnZXRVcmwiOiJodHRwczovL2EuYi92MS9qb2JzIiwicG9sbENvbmZpZyI6e30sImV2aWwiOjF9"})
    void aGarbageSpecIs404(String spec) {
      // "not json", "[1,2]", {"pollConfig":{}} and a spec with an unknown key
      rejected(404, "custom", spec, unsigned(job("j-7", "done", "null", "null")));
      assertNothingSentToTheProvider();
    }

    @Test
    void aValidSpecWithoutCallbackIs404() {
      String spec = "{\"targetUrl\":\"https://api.acme.example/v1/jobs\",\"pollConfig\":{\"urlTemplate\":\"{baseUrl}/v1/jobs/{id}\",\"statusPath\":\"status\"}}";
      rejected(404, "custom", specParameter(spec), unsigned(job("j-7", "done", "null", "null")));
    }
  }

  /** Each attack is refused with the right status, and nothing is published. */
  @Nested
  class Attacks {

    private final String falBody = falOk(FAL_ID, FAL_IMAGE);
    private final String replicateBody = prediction(REPLICATE_ID, "succeeded", "[\"" + REPLICATE_OUTPUT + "\"]", "null");

    @Test
    void forgedFalSignature() {
      Map<String, String> headers = new HashMap<>(falSigned(falBody).headers());
      headers.put("x-fal-webhook-signature", "ab".repeat(64));
      rejected(401, "fal", new CallbackRequest(headers, bytes(falBody)));
    }

    @Test
    void forgedReplicateSignature() {
      Map<String, String> headers = new HashMap<>(replicateSigned(replicateBody).headers());
      headers.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(new byte[32]));
      rejected(401, "replicate", new CallbackRequest(headers, bytes(replicateBody)));
    }

    @Test
    void forgedUnifiedSignature() {
      secrets.put("UNIFIED_WEBHOOK_SECRET", UNIFIED_SECRET);
      String body = unifiedTask(UNIFIED_ID, "completed", "[]", "null");
      rejected(401, "unified-task", new CallbackRequest(Map.of("X-Webhook-Signature", "t=" + clock.instant().getEpochSecond() + ",v1=" + "0".repeat(64)), bytes(body)));
      assertNothingSentToTheProvider();
    }

    @Test
    void tamperedFalBody() {
      CallbackRequest good = falSigned(falBody);
      rejected(401, "fal", new CallbackRequest(good.headers(), bytes(falBody.replace(FAL_IMAGE, "https://evil.example/x.png"))));
    }

    @Test
    void tamperedReplicateBody() {
      CallbackRequest good = replicateSigned(replicateBody);
      rejected(401, "replicate", new CallbackRequest(good.headers(), bytes(replicateBody.replace(REPLICATE_OUTPUT, "https://evil.example/x.png"))));
    }

    @Test
    void anotherJobIdInASignedFalBody() {
      CallbackRequest good = falSigned(falBody);
      rejected(401, "fal", new CallbackRequest(good.headers(), bytes(falBody.replace(FAL_ID, "11111111-2222-3333-4444-555555555555"))));
    }

    @Test
    void falCallbackSignedWithAKeyNotInTheJwks() {
      rejected(401, "fal", falSigned(FalWebhookVerifierTest.ed25519(), clock.instant(), bytes(falBody)));
    }

    @Test
    void replicateCallbackSignedWithAnotherSecret() {
      String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
      rejected(401, "replicate", replicateSigned(other, "msg_1", clock.instant(), bytes(replicateBody)));
    }

    @Test
    void aFalSignatureSentToTheReplicateUrl() {
      rejected(401, "replicate", falSigned(prediction(REPLICATE_ID, "succeeded", "[]", "null")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Fal-Webhook-Request-Id", "X-Fal-Webhook-User-Id", "X-Fal-Webhook-Timestamp", "X-Fal-Webhook-Signature"})
    void missingFalHeader(String header) {
      Map<String, String> headers = new HashMap<>(falSigned(falBody).headers());
      headers.remove(header.toLowerCase());
      assertThat(rejected(401, "fal", new CallbackRequest(headers, bytes(falBody)))).hasMessageContaining(header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
    void missingReplicateHeader(String header) {
      Map<String, String> headers = new HashMap<>(replicateSigned(replicateBody).headers());
      headers.remove(header);
      assertThat(rejected(401, "replicate", new CallbackRequest(headers, bytes(replicateBody)))).hasMessageContaining(header);
    }

    @Test
    void falTimestampTenMinutesOld() {
      rejected(401, "fal", falSigned(falKey, clock.instant().minus(Duration.ofMinutes(10)), bytes(falBody)));
      assertThat(jwks.fetches()).isZero();
    }

    @Test
    void replicateTimestampTenMinutesOld() {
      rejected(401, "replicate", replicateSigned(REPLICATE_SECRET, "msg_1", clock.instant().minus(Duration.ofMinutes(10)), bytes(replicateBody)));
    }

    @Test
    void unifiedTimestampTenMinutesOld() {
      secrets.put("UNIFIED_WEBHOOK_SECRET", UNIFIED_SECRET);
      rejected(401, "unified-task", hmacSigned("X-Webhook-Signature", "v1", UNIFIED_SECRET, clock.instant().minus(Duration.ofMinutes(10)), unifiedTask(UNIFIED_ID, "completed", "[]", "null")));
    }

    @Test
    void replayingAValidReplicateCallbackAfterTheWindow() {
      CallbackRequest valid = replicateSigned(replicateBody);
      published(receive("replicate", valid));

      clock.advance(Duration.ofMinutes(6));

      rejected(401, "replicate", valid);
    }

    @Test
    void replayingAValidFalCallbackAfterTheWindow() {
      CallbackRequest valid = falSigned(falBody);
      published(receive("fal", valid));

      clock.advance(Duration.ofMinutes(6));

      rejected(401, "fal", valid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fal", "replicate", "luma", "unified-task", "custom", "runway", "no-such-provider"})
    void aTwoMegabyteBodyIs413BeforeAnythingElse(String providerId) {
      byte[] huge = new byte[2 * 1024 * 1024];
      Arrays.fill(huge, (byte) ' ');
      rejected(413, providerId, new CallbackRequest(Map.of(), huge));
      assertNothingSentToTheProvider();
      assertThat(jwks.fetches()).isZero();
    }

    @Test
    void oneByteOverTheLimitIs413() {
      String body = replicateBody + " ".repeat(CallbackReceiver.MAX_BODY_BYTES + 1 - replicateBody.length());
      rejected(413, "replicate", replicateSigned(body));
    }

    @Test
    void aSignedBodyOfExactlyTheLimitIsRead() {
      String body = replicateBody + " ".repeat(CallbackReceiver.MAX_BODY_BYTES - replicateBody.length());
      assertThat(bytes(body)).hasSize(CallbackReceiver.MAX_BODY_BYTES);
      assertThat(published(receive("replicate", replicateSigned(body))).state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void malformedJsonIs400OnlyAfterTheSignatureChecks() {
      String malformed = "{\"id\":\"" + REPLICATE_ID + "\",\"status\":\"succeeded\",";

      assertThat(rejected(400, "replicate", replicateSigned(malformed))).hasMessageContaining("JSON");
      // the same bytes without a valid signature never reach the parser
      rejected(401, "replicate", new CallbackRequest(Map.of(), bytes(malformed)));
      String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
      rejected(401, "replicate", replicateSigned(other, "msg_1", clock.instant(), bytes(malformed)));
    }

    @Test
    void malformedJsonSignedByFalIs400() {
      rejected(400, "fal", falSigned("{\"request_id\": "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"id\":\"ufawqhfynnddngldkgtslldrkq\",\"status\":\"succeeded\"}]", "\"succeeded\"", "42", "null", ""})
    void aSignedBodyThatIsNotAnObjectIs400(String body) {
      rejected(400, "replicate", replicateSigned(body));
    }

    @Test
    void aJsonArrayFromLumaIs400WithoutFetching() {
      rejected(400, "luma", unsigned("[{\"id\":\"" + LUMA_ID + "\"}]"));
      assertNothingSentToTheProvider();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"status\":\"succeeded\",\"output\":[]}", "{\"id\":null,\"status\":\"succeeded\"}", "{\"id\":\"\",\"status\":\"succeeded\"}", "{\"id\":\"  \",\"status\":\"succeeded\"}"})
    void aSignedBodyWithoutJobIdIs400(String body) {
      assertThat(rejected(400, "replicate", replicateSigned(body))).hasMessageContaining("job id");
    }

    @Test
    void aLumaCallbackWithoutJobIdIs400WithoutFetching() {
      rejected(400, "luma", unsigned("{\"state\":\"completed\"}"));
      assertNothingSentToTheProvider();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "", "fal/../replicate", "FAL_KEY", "custom2"})
    void unknownProviderIs404(String providerId) {
      rejected(404, providerId, falSigned(falBody));
      assertThat(jwks.fetches()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"runway", "elevenlabs-dubbing", "stability-video", "oxen", "oxen-legacy", "do-async-invoke"})
    void aProviderWithoutCallbacksIs404(String providerId) {
      assertThat(rejected(404, providerId, unsigned("{\"id\":\"x\",\"status\":\"SUCCEEDED\"}"))).hasMessageContaining("no callbacks");
      assertNothingSentToTheProvider();
    }

    @Test
    void jwksUnreachableIs503SoFalSendsAgain() throws Exception {
      jwks.server.shutdown();
      rejected(503, "fal", falSigned(falBody));
    }

    @Test
    void aFalCallbackWithoutJwksAnswerIsNeverTrusted() {
      jwks.answer.set(new MockResponse().setResponseCode(404));
      rejected(503, "fal", falSigned(falBody));
    }

    @Test
    void theJobIdComesFromTheSignedBodyNotFromAHeader() {
      // fal's request-id header is signed too; a body for another job than the header names fails the signature
      Map<String, String> headers = new HashMap<>(FalWebhookVerifierTest.headers(falKey, clock.instant(), bytes(falBody)));
      headers.put("X-Fal-Webhook-Request-Id", "someone-elses-job");
      rejected(401, "fal", new CallbackRequest(headers, bytes(falBody)));
    }

    @Test
    void aSignedCallbackIsNotOverriddenByQueryJunk() {
      // a preset ignores the spec parameter: the preset's verification still applies
      String evilSpec = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes("{\"pollConfig\":{}}"));
      rejected(401, "replicate", evilSpec, new CallbackRequest(Map.of(), bytes(replicateBody)));
    }
  }
}
