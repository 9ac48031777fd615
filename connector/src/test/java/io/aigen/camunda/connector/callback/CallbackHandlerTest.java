package io.aigen.camunda.connector.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.connector.activity.Generation;
import io.aigen.camunda.connector.activity.GenerationActivity;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.metrics.GenerationMetrics;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.support.MutableClock;
import io.aigen.camunda.connector.support.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the provider is answered when the engine is slow, busy or down (signed Replicate callbacks). */
class CallbackHandlerTest {

  private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("replicate-signing-key-32-bytes!!".getBytes(StandardCharsets.UTF_8));

  @TempDir Path results;
  private MutableClock clock;
  private CallbackReceiver receiver;

  @BeforeEach
  void setUp() {
    clock = MutableClock.at("2026-06-01T12:00:00Z");
    receiver = new CallbackReceiver(
        new ProviderSpecs(new ProviderSettings(Map.of())), new GenerationClients(ProviderFixture.http(), new LocalResultStore(results, null), clock),
        ProviderFixture.http(), Map.of("REPLICATE_WEBHOOK_SECRET", SECRET)::get, CallbackReceiverTest.URLS, clock, Json.mapper());
  }

  private CallbackRequest succeeded(String id) {
    String body = "{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"output\":[\"https://replicate.delivery/" + id + ".webp\"]}";
    String timestamp = String.valueOf(clock.instant().getEpochSecond());
    return new CallbackRequest(
        Map.of("webhook-id", "msg_" + id, "webhook-timestamp", timestamp, "webhook-signature", StandardWebhooksVerifierTest.sign(SECRET, "msg_" + id, timestamp, body)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void beyondThePublishesInFlightACallbackIs503WithRetryAfterAndNotDelivered() {
    CallbackHandler handler = new CallbackHandler(receiver, GenerationMetrics.NONE, null, 1);
    CompletableFuture<CallbackHandler.Delivered> engine = new CompletableFuture<>();
    int[] delivered = {0};
    CallbackHandler.AsyncDeliverer deliverer = publish -> {
      delivered[0]++;
      return engine;
    };

    CompletionStage<CallbackHandler.Answer> first = handler.handleAsync("replicate", null, succeeded("p1"), deliverer);
    CallbackHandler.Answer second = handler.handleAsync("replicate", null, succeeded("p2"), deliverer).toCompletableFuture().join();

    assertThat(first.toCompletableFuture()).as("waits for the engine, on no thread").isNotDone();
    assertThat(second.status()).isEqualTo(503);
    assertThat(second.headers()).containsEntry("Retry-After", "5");
    assertThat(delivered[0]).isEqualTo(1);

    engine.complete(new CallbackHandler.Delivered.Published("published"));
    assertThat(first.toCompletableFuture().join().status()).isEqualTo(200);
    CallbackHandler.Answer retried = handler.handleAsync("replicate", null, succeeded("p2"), publish -> CompletableFuture.completedFuture(new CallbackHandler.Delivered.Published("published"))).toCompletableFuture().join();
    assertThat(retried.status()).as("the provider's retry, once the engine took the first").isEqualTo(200);
  }

  @Test
  void aDeliveredEndIsShownInTheActivityViewAsItWasPublished() {
    GenerationActivity activity = new GenerationActivity(10, clock);
    CallbackHandler handler = new CallbackHandler(receiver, GenerationMetrics.NONE, activity, 10);
    String failedBody = "{\"id\":\"p5\",\"status\":\"failed\",\"error\":\"NSFW content detected\"}";
    String timestamp = String.valueOf(clock.instant().getEpochSecond());
    CallbackRequest failed = new CallbackRequest(
        Map.of("webhook-id", "msg_p5", "webhook-timestamp", timestamp, "webhook-signature", StandardWebhooksVerifierTest.sign(SECRET, "msg_p5", timestamp, failedBody)),
        failedBody.getBytes(StandardCharsets.UTF_8));
    CallbackHandler.AsyncDeliverer published = publish -> CompletableFuture.completedFuture(new CallbackHandler.Delivered.Published("published"));

    String cancelledBody = "{\"id\":\"p6\",\"status\":\"canceled\"}";
    CallbackRequest cancelled = new CallbackRequest(
        Map.of("webhook-id", "msg_p6", "webhook-timestamp", timestamp, "webhook-signature", StandardWebhooksVerifierTest.sign(SECRET, "msg_p6", timestamp, cancelledBody)),
        cancelledBody.getBytes(StandardCharsets.UTF_8));

    handler.handleAsync("replicate", null, succeeded("p4"), published).toCompletableFuture().join();
    handler.handleAsync("replicate", null, failed, published).toCompletableFuture().join();
    handler.handleAsync("replicate", null, cancelled, published).toCompletableFuture().join();

    Map<String, Generation> byJob = activity.newestFirst().stream().collect(java.util.stream.Collectors.toMap(Generation::jobId, g -> g));
    assertThat(byJob.get("p4").status()).isEqualTo("SUCCEEDED");
    assertThat(byJob.get("p4").callback()).isTrue();
    assertThat(byJob.get("p4").outputs()).extracting(Generation.Output::url).containsExactly("https://replicate.delivery/p4.webp");
    assertThat(byJob.get("p5").status()).isEqualTo("FAILED");
    assertThat(byJob.get("p5").error()).startsWith("AI_GENERATION_FAILED: ").contains("NSFW content detected");
    assertThat(byJob.get("p6").status()).isEqualTo("CANCELLED");
    assertThat(byJob.get("p6").error()).startsWith("AI_GENERATION_CANCELLED: ");
  }

  @Test
  void anEngineThatFailsTheDeliveryIs503WithRetryAfterAndFreesItsPlace() {
    CallbackHandler handler = new CallbackHandler(receiver, GenerationMetrics.NONE, null, 1);

    CallbackHandler.Answer failed = handler.handleAsync("replicate", null, succeeded("p3"), publish -> CompletableFuture.failedFuture(new IllegalStateException("UNAVAILABLE"))).toCompletableFuture().join();
    CallbackHandler.Answer next = handler.handleAsync("replicate", null, succeeded("p3"), publish -> CompletableFuture.completedFuture(new CallbackHandler.Delivered.Duplicate())).toCompletableFuture().join();

    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.headers()).containsEntry("Retry-After", "5");
    assertThat(next.status()).isEqualTo(200);
  }
}
