package io.aigen.camunda.sandbox.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.CallbackDelivery;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.callbacks.CallbackReceiver.Received;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The callbacks the sandbox sends, checked by a real receiver. Signatures are verified here with
 * code of the test's own, from the provider's documented recipe (docs/providers.md §1.8, §2.6).
 */
class ProviderCallbacksTest {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String BEARER = "Bearer test-key";
  static final String REPLICATE_VERSION = "acme/flux";

  private ProviderSandbox sandbox;
  private CallbackReceiver receiver;
  private final SandboxHttp fal = new SandboxHttp("fal-key");
  private final SandboxHttp http = new SandboxHttp(null);

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(100)));
    receiver = new CallbackReceiver();
  }

  @AfterEach
  void stop() {
    sandbox.close();
    receiver.close();
  }

  // fal

  @Test
  void falPostsOneCompletionWebhookSignedWithAKeyOfTheJwks() throws Exception {
    JsonNode submitted = falSubmit("/fal", "{\"prompt\":\"a fox\"}");
    String id = submitted.get("request_id").asText();

    Received webhook = receiver.await("/fal", 1, WAIT).getFirst();

    JsonNode result = fal.get(submitted.get("response_url").asText()).json();
    assertThat(webhook.json()).isEqualTo(SandboxHttp.json(
        "{\"request_id\":\"" + id + "\",\"gateway_request_id\":\"" + id + "\",\"status\":\"OK\",\"payload\":" + result + "}"));
    assertThat(webhook.header("Content-Type")).isEqualTo("application/json");
    assertThat(webhook.header("X-Fal-Webhook-Request-Id")).isEqualTo(id);
    assertThat(webhook.header("X-Fal-Webhook-User-Id")).isEqualTo("sandbox-user");
    assertThat(Long.parseLong(webhook.header("X-Fal-Webhook-Timestamp")))
        .isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 1);
    assertThat(webhook.header("X-Fal-Webhook-Signature")).matches("[0-9a-f]{128}");

    Reply jwksReply = http.get(sandbox.falJwksUrl()); // no key needed
    assertThat(jwksReply.status()).isEqualTo(200);
    JsonNode jwks = jwksReply.json();
    assertThat(jwks.get("keys")).hasSize(1);
    JsonNode key = jwks.get("keys").get(0);
    assertThat(key.get("kty").asText()).isEqualTo("OKP");
    assertThat(key.get("crv").asText()).isEqualTo("Ed25519");
    assertThat(key.get("kid").asText()).isNotBlank();
    assertThat(key.get("x").asText()).matches("[A-Za-z0-9_-]{43}");
    assertThat(falSignatureValid(webhook, jwks)).isTrue();

    SandboxHttp.sleep(300);
    assertThat(receiver.received("/fal")).hasSize(1);
    List<CallbackDelivery> deliveries = deliveries(1);
    assertThat(deliveries).hasSize(1);
    CallbackDelivery delivery = deliveries.getFirst();
    assertThat(delivery.provider()).isEqualTo("fal");
    assertThat(delivery.url()).isEqualTo(receiver.url("/fal"));
    assertThat(delivery.event()).isEqualTo("OK");
    assertThat(delivery.copy()).isZero();
    assertThat(delivery.attempt()).isEqualTo(1);
    assertThat(delivery.status()).isEqualTo(200);
    assertThat(delivery.at()).isBefore(webhook.at().plusMillis(1));
    assertThat(delivery.answeredAt()).isAfterOrEqualTo(webhook.at()).isAfterOrEqualTo(delivery.at());
    assertThat(delivery.headers()).containsEntry("X-Fal-Webhook-Request-Id", id);
    assertThat(delivery.body()).isEqualTo(webhook.text());
  }

  @Test
  void falFailedJobsGetAnErrorWebhookWithTheResultsErrorAsPayload() {
    falSubmit("/runner", "{\"prompt\":\"p\",\"sandbox\":{\"fail\":\"CUDA out of memory\"}}");
    falSubmit("/validation", "{\"prompt\":\"p\",\"num_images\":9}");

    JsonNode runner = receiver.await("/runner", 1, WAIT).getFirst().json();
    assertThat(runner.get("status").asText()).isEqualTo("ERROR");
    assertThat(runner.get("error").asText()).isEqualTo("Invalid status code: 500");
    assertThat(runner.get("payload")).isEqualTo(SandboxHttp.json("{\"detail\":\"CUDA out of memory\",\"error_type\":\"runner_error\"}"));

    JsonNode validation = receiver.await("/validation", 1, WAIT).getFirst().json();
    assertThat(validation.get("status").asText()).isEqualTo("ERROR");
    assertThat(validation.get("error").asText()).isEqualTo("Invalid status code: 422");
    JsonNode detail = validation.get("payload").get("detail").get(0);
    assertThat(detail.get("loc")).isEqualTo(SandboxHttp.json("[\"body\",\"num_images\"]"));
    assertThat(detail.get("type").asText()).isEqualTo("value_error");
  }

  @Test
  void aCancelledFalJobStillGetsItsCompletionWebhookAtOnce() {
    JsonNode submitted = falSubmit("/fal", "{\"prompt\":\"p\",\"sandbox\":{\"durationMs\":10000}}");

    assertThat(fal.put(submitted.get("cancel_url").asText()).status()).isEqualTo(200);

    JsonNode webhook = receiver.await("/fal", 1, Duration.ofSeconds(2)).getFirst().json();
    assertThat(webhook.get("status").asText()).isEqualTo("ERROR");
    assertThat(webhook.get("error").asText()).isEqualTo("Invalid status code: 400");
    assertThat(webhook.get("payload").get("error_type").asText()).isEqualTo("cancelled");
  }

  @Test
  void falRetriesAFailingReceiverThreeTimesWithGrowingPauses() throws Exception {
    receiver.answerOtherwise(500);
    falSubmit("/fal", "{\"prompt\":\"p\"}");

    List<Received> attempts = receiver.await("/fal", 4, WAIT);
    SandboxHttp.sleep(300);

    assertThat(receiver.received("/fal")).hasSize(4);
    assertThat(millisBetween(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(190);
    assertThat(millisBetween(attempts.get(1), attempts.get(2))).isGreaterThanOrEqualTo(390);
    assertThat(millisBetween(attempts.get(2), attempts.get(3))).isGreaterThanOrEqualTo(790);
    JsonNode jwks = http.get(sandbox.falJwksUrl()).json();
    for (Received attempt : attempts) {
      assertThat(attempt.text()).isEqualTo(attempts.getFirst().text());
      assertThat(falSignatureValid(attempt, jwks)).isTrue();
    }
    assertThat(deliveries(4)).extracting(CallbackDelivery::attempt).containsExactly(1, 2, 3, 4);
    assertThat(sandbox.callbacks()).extracting(CallbackDelivery::status).containsOnly(500);
  }

  @Test
  void aReceiversRetryAfterStretchesThePauseBeforeTheRetry() {
    receiver.retryAfterOn503("1").answer(503);
    falSubmit("/fal", "{\"prompt\":\"p\"}");

    List<Received> attempts = receiver.await("/fal", 2, WAIT);

    assertThat(millisBetween(attempts.get(0), attempts.get(1))).as("Retry-After: 1 instead of 200 ms").isGreaterThanOrEqualTo(990);
    assertThat(deliveries(2)).extracting(CallbackDelivery::status).containsExactly(503, 200);
  }

  @Test
  void webhookPayloadErrorSendsAnOkWithoutPayloadAndResultGoneAnswers404() {
    JsonNode kept = falSubmit("/kept", "{\"prompt\":\"p\",\"sandbox\":{\"webhookPayloadError\":\"Response payload is not JSON serializable\"}}");
    JsonNode gone = falSubmit("/gone", "{\"prompt\":\"p\",\"sandbox\":{\"webhookPayloadError\":\"too big\",\"resultGone\":true}}");

    JsonNode webhook = receiver.await("/kept", 1, WAIT).getFirst().json();
    assertThat(webhook.get("status").asText()).isEqualTo("OK");
    assertThat(webhook.get("payload").isNull()).isTrue();
    assertThat(webhook.get("payload_error").asText()).isEqualTo("Response payload is not JSON serializable");
    assertThat(fal.get(kept.get("response_url").asText()).status()).isEqualTo(200);
    receiver.await("/gone", 1, WAIT);
    assertThat(fal.get(gone.get("response_url").asText()).status()).isEqualTo(404);
  }

  @Test
  void webhookPayloadErrorMustBeText() {
    assertThat(fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{\"prompt\":\"p\",\"sandbox\":{\"webhookPayloadError\":3}}").status()).isEqualTo(422);
  }

  @Test
  void afterAKeyRotationAVerifierMustFetchTheJwksAgain() throws Exception {
    JsonNode cachedJwks = http.get(sandbox.falJwksUrl()).json();
    falSubmit("/before", "{\"prompt\":\"p\"}");
    Received before = receiver.await("/before", 1, WAIT).getFirst();
    assertThat(falSignatureValid(before, cachedJwks)).isTrue();

    sandbox.rotateFalSigningKey();
    falSubmit("/after", "{\"prompt\":\"p\"}");
    Received after = receiver.await("/after", 1, WAIT).getFirst();

    assertThat(falSignatureValid(after, cachedJwks)).isFalse();
    JsonNode refreshed = http.get(sandbox.falJwksUrl()).json();
    assertThat(refreshed.get("keys")).hasSize(2);
    assertThat(refreshed.get("keys").get(1)).isEqualTo(cachedJwks.get("keys").get(0));
    assertThat(refreshed.get("keys").get(0).get("kid").asText()).isNotEqualTo(cachedJwks.get("keys").get(0).get("kid").asText());
    assertThat(falSignatureValid(after, refreshed)).isTrue();
    assertThat(falSignatureValid(before, refreshed)).isTrue();
  }

  @Test
  void signFalWebhookSignsAnyBodyLikeTheSandboxsOwnWebhooks() throws Exception {
    byte[] body = "{\"request_id\":\"load-1\",\"status\":\"OK\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    Instant at = Instant.ofEpochSecond(1_700_000_000L);

    Map<String, String> headers = sandbox.signFalWebhook("load-1", body, at);

    assertThat(headers).containsEntry("X-Fal-Webhook-Request-Id", "load-1")
        .containsEntry("X-Fal-Webhook-User-Id", "sandbox-user")
        .containsEntry("X-Fal-Webhook-Timestamp", "1700000000");
    assertThat(headers.get("X-Fal-Webhook-Signature")).matches("[0-9a-f]{128}");
    JsonNode jwks = http.get(sandbox.falJwksUrl()).json();
    assertThat(falSignatureValid(received(headers, body), jwks)).isTrue();
    byte[] other = "{\"request_id\":\"load-1\",\"status\":\"ERROR\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    assertThat(falSignatureValid(received(headers, other), jwks)).isFalse();

    sandbox.rotateFalSigningKey();
    Map<String, String> rotated = sandbox.signFalWebhook("load-1", body, at);
    assertThat(falSignatureValid(received(rotated, body), jwks)).isFalse();
    assertThat(falSignatureValid(received(rotated, body), http.get(sandbox.falJwksUrl()).json())).isTrue();
  }

  private static Received received(Map<String, String> headers, byte[] body) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    return new Received(Instant.now(), "/", lower, body);
  }

  // Replicate

  @Test
  void replicateSendsStartAndCompletedSignedTheStandardWebhooksWay() throws Exception {
    Reply unauthenticated = http.get(replicate("/webhooks/default/secret"));
    assertThat(unauthenticated.status()).isEqualTo(401);
    String secret = http.send(http.request(replicate("/webhooks/default/secret")).header("Authorization", BEARER).GET())
        .json().get("key").asText();
    assertThat(secret).isEqualTo(sandbox.replicateWebhookSecret()).startsWith("whsec_");

    JsonNode created = replicateCreate("/replicate", "\"webhook_events_filter\":[\"start\",\"completed\"]", "{\"prompt\":\"p\"}");

    List<Received> webhooks = receiver.await("/replicate", 2, WAIT);
    SandboxHttp.sleep(200);
    assertThat(receiver.received("/replicate")).hasSize(2);
    JsonNode start = webhooks.get(0).json();
    assertThat(start.get("id").asText()).isEqualTo(created.get("id").asText());
    assertThat(start.get("status").asText()).isEqualTo("processing");
    assertThat(start.get("started_at").isNull()).isFalse();
    assertThat(start.get("output").isNull()).isTrue();
    JsonNode completed = webhooks.get(1).json();
    assertThat(completed.get("status").asText()).isEqualTo("succeeded");
    assertThat(completed).isEqualTo(replicateGet(created.get("id").asText()));
    for (Received webhook : webhooks) {
      assertThat(webhook.header("webhook-id")).startsWith("msg_");
      assertThat(Long.parseLong(webhook.header("webhook-timestamp"))).isBetween(Instant.now().getEpochSecond() - 5, Instant.now().getEpochSecond() + 1);
      assertThat(webhook.header("webhook-signature")).startsWith("v1,");
      assertThat(standardWebhookValid(webhook, secret)).isTrue();
    }
    assertThat(webhooks.get(0).header("webhook-id")).isNotEqualTo(webhooks.get(1).header("webhook-id"));
    assertThat(deliveries(2)).extracting(CallbackDelivery::event).containsExactly("start", "completed");
  }

  @Test
  void replicateSendsOutputAndCompletedByDefaultAndLogsWhenAsked() {
    replicateCreate("/default", null, "{\"prompt\":\"p\"}");
    replicateCreate("/logs", "\"webhook_events_filter\":[\"logs\"]", "{\"prompt\":\"p\"}");

    List<Received> byDefault = receiver.await("/default", 2, WAIT);
    List<Received> logs = receiver.await("/logs", 1, WAIT);
    SandboxHttp.sleep(200);

    assertThat(receiver.received("/default")).hasSize(2);
    assertThat(byDefault.get(0).json().get("status").asText()).isEqualTo("succeeded");
    assertThat(byDefault.get(0).json().get("output")).hasSize(1);
    assertThat(byDefault.get(1).json()).isEqualTo(byDefault.get(0).json());
    assertThat(deliveries(3)).filteredOn(d -> d.url().endsWith("/default"))
        .extracting(CallbackDelivery::event).containsExactly("output", "completed");
    assertThat(receiver.received("/logs")).hasSize(1);
    assertThat(logs.getFirst().json().get("logs").asText()).startsWith("Running acme/flux");
  }

  @Test
  void replicateRetriesKeepTheWebhookIdAndRedirectsAreNotFollowed() throws Exception {
    receiver.answer(500, 302);
    replicateCreate("/replicate", "\"webhook_events_filter\":[\"completed\"]", "{\"prompt\":\"p\"}");

    List<Received> attempts = receiver.await("/replicate", 3, WAIT);
    SandboxHttp.sleep(300);

    assertThat(receiver.received("/replicate")).hasSize(3);
    assertThat(receiver.received("/redirected")).isEmpty();
    assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(attempts.getFirst().header("webhook-id"));
    for (Received attempt : attempts) {
      assertThat(attempt.text()).isEqualTo(attempts.getFirst().text());
      assertThat(standardWebhookValid(attempt, sandbox.replicateWebhookSecret())).isTrue();
    }
    assertThat(deliveries(3)).extracting(CallbackDelivery::status).containsExactly(500, 302, 200);
  }

  @Test
  void aCanceledPredictionSendsCompletedButNeverStart() {
    JsonNode created = replicateCreate("/replicate", "\"webhook_events_filter\":[\"start\",\"completed\"]",
        "{\"prompt\":\"p\",\"sandbox\":{\"durationMs\":10000}}");
    http.send(http.request(created.get("urls").get("cancel").asText()).header("Authorization", BEARER)
        .POST(HttpRequest.BodyPublishers.noBody()));

    JsonNode completed = receiver.await("/replicate", 1, Duration.ofSeconds(2)).getFirst().json();
    SandboxHttp.sleep(200);

    assertThat(completed.get("status").asText()).isEqualTo("canceled");
    assertThat(receiver.received("/replicate")).hasSize(1);
  }

  @Test
  void replicateSignsWithTheConfiguredSecret() throws Exception {
    String secret = "whsec_" + Base64.getEncoder().encodeToString("a configured secret".getBytes(StandardCharsets.UTF_8));
    sandbox.close();
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(100))
        .withReplicateWebhookSecret(secret));
    assertThat(http.send(http.request(replicate("/webhooks/default/secret")).header("Authorization", BEARER).GET())
        .json().get("key").asText()).isEqualTo(secret);

    replicateCreate("/replicate", "\"webhook_events_filter\":[\"completed\"]", "{}");

    Received webhook = receiver.await("/replicate", 1, WAIT).getFirst();
    assertThat(standardWebhookValid(webhook, secret)).isTrue();
    assertThat(standardWebhookValid(webhook, "whsec_" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))).isFalse();
  }

  // Luma

  @Test
  void lumaPostsTheGenerationWhenDreamingAndWhenCompletedUnsigned() {
    JsonNode created = lumaCreate("/luma", "{}");

    List<Received> callbacks = receiver.await("/luma", 2, WAIT);
    SandboxHttp.sleep(200);

    assertThat(receiver.received("/luma")).hasSize(2);
    assertThat(callbacks.get(0).json().get("state").asText()).isEqualTo("dreaming");
    assertThat(callbacks.get(0).json().get("assets").isNull()).isTrue();
    JsonNode completed = callbacks.get(1).json();
    assertThat(completed.get("state").asText()).isEqualTo("completed");
    assertThat(completed).isEqualTo(lumaGet(created.get("id").asText()));
    for (Received callback : callbacks) {
      assertThat(callback.headers().keySet()).noneMatch(name -> name.contains("signature") || name.startsWith("webhook-"));
    }
    assertThat(deliveries(2)).extracting(CallbackDelivery::event).containsExactly("dreaming", "completed");
  }

  @Test
  void aFailedLumaGenerationPostsFailed() {
    lumaCreate("/luma", "{\"fail\":\"Prompt not allowed\"}");

    List<Received> callbacks = receiver.await("/luma", 2, WAIT);

    JsonNode failed = callbacks.get(1).json();
    assertThat(failed.get("state").asText()).isEqualTo("failed");
    assertThat(failed.get("failure_reason").asText()).isEqualTo("Prompt not allowed");
  }

  @Test
  void lumaRetriesThreeTimes100MsApartUnlessTheReceiverAnswers200() {
    receiver.answerOtherwise(201);
    lumaCreate("/luma", "{\"durationMs\":0}"); // done at once: only "completed"

    List<Received> attempts = receiver.await("/luma", 4, WAIT);
    SandboxHttp.sleep(250);

    assertThat(receiver.received("/luma")).hasSize(4);
    for (int i = 1; i < 4; i++) {
      assertThat(millisBetween(attempts.get(i - 1), attempts.get(i))).isBetween(90L, 1000L);
    }
    assertThat(deliveries(4)).extracting(CallbackDelivery::event).containsOnly("completed");
    assertThat(sandbox.callbacks()).extracting(CallbackDelivery::status).containsExactly(201, 201, 201, 201);
  }

  @Test
  void aDeletedLumaGenerationSendsNothingMore() {
    JsonNode created = lumaCreate("/luma", "{\"durationMs\":1000}");
    http.send(http.request(luma("/generations/" + created.get("id").asText())).header("Authorization", BEARER).DELETE());

    SandboxHttp.sleep(500); // it would have been dreaming after 200 ms

    assertThat(receiver.received("/luma")).isEmpty();
  }

  // Unified task

  @Test
  void unifiedTaskPostsEveryStatusChangeUnsignedByDefault() {
    String id = unifiedSubmit("/unified", "{\"prompt\":\"p\"}");

    List<Received> callbacks = receiver.await("/unified", 2, WAIT);
    SandboxHttp.sleep(200);

    assertThat(receiver.received("/unified")).hasSize(2);
    assertThat(callbacks.get(0).json()).isEqualTo(SandboxHttp.json("{\"task_id\":\"" + id + "\",\"id\":\"" + id
        + "\",\"status\":\"in_progress\",\"created_at\":" + callbacks.get(0).json().get("created_at") + "}"));
    JsonNode completed = callbacks.get(1).json();
    assertThat(completed.get("status").asText()).isEqualTo("completed");
    assertThat(completed).isEqualTo(unifiedGet(id));
    assertThat(callbacks).allSatisfy(callback -> assertThat(callback.header("X-Webhook-Signature")).isNull());
  }

  @Test
  void unifiedTaskCallbacksAreSignedWhenASecretIsSet() throws Exception {
    sandbox.close();
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(100))
        .withUnifiedCallbackSecret("unified-secret"));
    unifiedSubmit("/unified", "{\"prompt\":\"p\",\"sandbox\":{\"fail\":\"Model overloaded\"}}");

    List<Received> callbacks = receiver.await("/unified", 2, WAIT);

    assertThat(callbacks.get(1).json().get("status").asText()).isEqualTo("failed");
    assertThat(callbacks.get(1).json().get("error").asText()).isEqualTo("Model overloaded");
    for (Received callback : callbacks) {
      assertThat(callback.header("X-Webhook-Signature")).matches("t=\\d+,v1=[0-9a-f]{64}");
      assertThat(unifiedSignatureValid(callback, "unified-secret")).isTrue();
      assertThat(unifiedSignatureValid(callback, "another-secret")).isFalse();
    }
  }

  // Knobs

  @Test
  void callbackDuplicatesDeliversIdenticalExtraCopies() throws Exception {
    falSubmit("/fal", "{\"prompt\":\"p\",\"sandbox\":{\"callbackDuplicates\":2}}");

    List<Received> copies = receiver.await("/fal", 3, WAIT);
    SandboxHttp.sleep(200);

    assertThat(receiver.received("/fal")).hasSize(3);
    JsonNode jwks = http.get(sandbox.falJwksUrl()).json();
    for (Received copy : copies) {
      assertThat(copy.text()).isEqualTo(copies.getFirst().text());
      assertThat(copy.header("X-Fal-Webhook-Request-Id")).isEqualTo(copies.getFirst().header("X-Fal-Webhook-Request-Id"));
      assertThat(falSignatureValid(copy, jwks)).isTrue();
    }
    assertThat(deliveries(3)).extracting(CallbackDelivery::copy).containsExactly(0, 1, 2);
  }

  @Test
  void callbackSkipNeverSends() {
    String id = unifiedSubmit("/unified", "{\"prompt\":\"p\",\"sandbox\":{\"callbackSkip\":true}}");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!unifiedGet(id).get("status").asText().equals("completed")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      SandboxHttp.sleep(20);
    }

    SandboxHttp.sleep(300);

    assertThat(receiver.received("/unified")).isEmpty();
    assertThat(sandbox.callbacks()).isEmpty();
  }

  @Test
  void callbackDelayMsHoldsEachCallbackBack() {
    Instant submitted = Instant.now();
    lumaCreate("/luma", "{\"durationMs\":0,\"callbackDelayMs\":400}");

    Received callback = receiver.await("/luma", 1, WAIT).getFirst();

    assertThat(Duration.between(submitted, callback.at()).toMillis()).isGreaterThanOrEqualTo(400);
  }

  @Test
  void callbackTamperChangesTheBodyAfterSigning() throws Exception {
    JsonNode submitted = falSubmit("/fal", "{\"prompt\":\"p\",\"sandbox\":{\"callbackTamper\":true}}");
    replicateCreate("/replicate", "\"webhook_events_filter\":[\"completed\"]", "{\"sandbox\":{\"callbackTamper\":true}}");

    Received falWebhook = receiver.await("/fal", 1, WAIT).getFirst();
    Received replicateWebhook = receiver.await("/replicate", 1, WAIT).getFirst();

    assertThat(falSignatureValid(falWebhook, http.get(sandbox.falJwksUrl()).json())).isFalse();
    JsonNode tampered = falWebhook.json(); // still JSON, one byte off: the first field name's first letter
    assertThat(tampered.get("Request_id").asText()).isEqualTo(submitted.get("request_id").asText());
    assertThat(standardWebhookValid(replicateWebhook, sandbox.replicateWebhookSecret())).isFalse();
  }

  @Test
  void invalidCallbackKnobsAreRefusedAtSubmit() {
    Reply tooMany = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{\"sandbox\":{\"callbackDuplicates\":11}}");
    Reply notABoolean = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{\"sandbox\":{\"callbackSkip\":\"yes\"}}");

    assertThat(tooMany.status()).isEqualTo(422);
    assertThat(tooMany.json().get("detail").get(0).get("loc").get(2).asText()).isEqualTo("callbackDuplicates");
    assertThat(notABoolean.status()).isEqualTo(422);
    assertThat(notABoolean.json().get("detail").get(0).get("msg").asText()).isEqualTo("must be true or false");
  }

  // Clients of each provider

  private JsonNode falSubmit(String hookPath, String body) {
    String webhook = URLEncoder.encode(receiver.url(hookPath), StandardCharsets.UTF_8);
    Reply reply = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev?fal_webhook=" + webhook, body);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json();
  }

  private String replicate(String path) {
    return sandbox.providerBaseUrl("replicate") + path;
  }

  /** @param filter {@code "webhook_events_filter":[…]} or {@code null} */
  private JsonNode replicateCreate(String hookPath, String filter, String input) {
    String body = "{\"version\":\"" + REPLICATE_VERSION + "\",\"input\":" + input + ",\"webhook\":\""
        + receiver.url(hookPath) + "\"" + (filter == null ? "" : "," + filter) + "}";
    Reply reply = http.send(http.request(replicate("/predictions")).header("Authorization", BEARER)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(201);
    return reply.json();
  }

  private JsonNode replicateGet(String id) {
    return http.send(http.request(replicate("/predictions/" + id)).header("Authorization", BEARER).GET()).json();
  }

  private String luma(String path) {
    return sandbox.providerBaseUrl("luma") + path;
  }

  /** @param knobs the {@code sandbox} object */
  private JsonNode lumaCreate(String hookPath, String knobs) {
    String body = "{\"model\":\"ray-2\",\"prompt\":\"p\",\"callback_url\":\"" + receiver.url(hookPath)
        + "\",\"sandbox\":" + knobs + "}";
    Reply reply = http.send(http.request(luma("/generations/video")).header("Authorization", BEARER)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(201);
    return reply.json();
  }

  private JsonNode lumaGet(String id) {
    return http.send(http.request(luma("/generations/" + id)).header("Authorization", BEARER).GET()).json();
  }

  private String unifiedSubmit(String hookPath, String input) {
    String body = "{\"model\":\"flux-pro\",\"input\":" + input + ",\"callback_url\":\"" + receiver.url(hookPath) + "\"}";
    Reply reply = http.send(http.request(sandbox.providerBaseUrl("unified-task") + "/v1/task/submit")
        .header("Authorization", BEARER).POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json().get("task_id").asText();
  }

  private JsonNode unifiedGet(String id) {
    return http.send(http.request(sandbox.providerBaseUrl("unified-task") + "/v1/task/" + id)
        .header("Authorization", BEARER).GET()).json();
  }

  // Independent signature checks, following each provider's documented recipe

  /** fal: Ed25519 over "request_id\nuser_id\ntimestamp\nhex(sha256(body))", valid with any JWKS key. */
  static boolean falSignatureValid(Received webhook, JsonNode jwks) throws GeneralSecurityException {
    String message = webhook.header("X-Fal-Webhook-Request-Id") + "\n" + webhook.header("X-Fal-Webhook-User-Id") + "\n"
        + webhook.header("X-Fal-Webhook-Timestamp") + "\n"
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(webhook.body()));
    byte[] signature = HexFormat.of().parseHex(webhook.header("X-Fal-Webhook-Signature"));
    for (JsonNode key : jwks.get("keys")) {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(ed25519PublicKey(key.get("x").asText()));
      verifier.update(message.getBytes(StandardCharsets.UTF_8));
      if (verifier.verify(signature)) {
        return true;
      }
    }
    return false;
  }

  /** A raw 32-byte Ed25519 key (JWK {@code x}) wrapped in its X.509 SubjectPublicKeyInfo. */
  private static PublicKey ed25519PublicKey(String x) throws GeneralSecurityException {
    byte[] raw = Base64.getUrlDecoder().decode(x);
    byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
    byte[] encoded = Arrays.copyOf(prefix, prefix.length + raw.length);
    System.arraycopy(raw, 0, encoded, prefix.length, raw.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
  }

  /** Standard Webhooks: base64(HMAC-SHA256(base64-decoded secret, "id.timestamp.body")) among the "v1,…" signatures. */
  static boolean standardWebhookValid(Received webhook, String secret) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    mac.update((webhook.header("webhook-id") + "." + webhook.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
    byte[] expected = ("v1," + Base64.getEncoder().encodeToString(mac.doFinal(webhook.body()))).getBytes(StandardCharsets.UTF_8);
    return Arrays.stream(webhook.header("webhook-signature").split(" "))
        .anyMatch(candidate -> MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8)));
  }

  /** The generic scheme: "t=<t>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>". */
  static boolean unifiedSignatureValid(Received callback, String secret) throws GeneralSecurityException {
    String[] parts = callback.header("X-Webhook-Signature").split(",");
    String t = parts[0].substring("t=".length());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(HexFormat.of().formatHex(mac.doFinal(callback.body())).getBytes(StandardCharsets.UTF_8),
        parts[1].substring("v1=".length()).getBytes(StandardCharsets.UTF_8));
  }

  private static long millisBetween(Received earlier, Received later) {
    return Duration.between(earlier.at(), later.at()).toMillis();
  }

  /**
   * The sandbox's record of its deliveries, once it holds {@code count} (or {@link #WAIT} passed).
   * It records a delivery when it has read the receiver's answer, a little after the receiver saw
   * the request: asserting on it right after {@code receiver.await} raced with that.
   */
  private List<CallbackDelivery> deliveries(int count) {
    long end = System.nanoTime() + WAIT.toNanos();
    while (sandbox.callbacks().size() < count && System.nanoTime() < end) {
      SandboxHttp.sleep(10);
    }
    return sandbox.callbacks();
  }
}
