package io.aigen.camunda.sandbox.oxen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The older Oxen.ai queue (docs/providers.md §7.2): no status, and 404 once a generation is over. */
class OxenLegacyQueueSimulationTest {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String GONE =
      "{\"error\":{\"type\":\"resource_not_found\",\"title\":\"The requested resource could not be found\"},\"status\":\"error\"}";

  private ProviderSandbox sandbox;
  private final SandboxHttp http = new SandboxHttp(null);

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private Reply call(String method, String path, String body, String authorization) {
    return http.call(method, sandbox.providerBaseUrl("oxen-legacy") + path, body, "Authorization", authorization);
  }

  private Reply call(String method, String path, String body) {
    return call(method, path, body, "Bearer legacy-key");
  }

  private List<String> enqueue(String body) {
    Reply reply = call("POST", "/ai/queue", body);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return ids(reply.json());
  }

  private static List<String> ids(JsonNode body) {
    return StreamSupport.stream(body.get("generations").spliterator(), false)
        .map(g -> g.get("generation_id").asText())
        .toList();
  }

  private Reply pollUntil(String path, Predicate<Reply> done) {
    return SandboxHttp.awaitMatch(() -> call("GET", path, null), done, WAIT);
  }

  private Reply awaitGone(String id) {
    return pollUntil("/ai/queue/" + id, r -> r.status() != 200);
  }

  private static void assertGone(Reply reply) {
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json()).isEqualTo(SandboxHttp.json(GONE));
  }

  @Test
  void enqueueAnswersProcessingGenerations() {
    assertThat(sandbox.providerBaseUrl("oxen-legacy")).isEqualTo(sandbox.baseUrl() + "/oxen-legacy/api");
    Reply reply = call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"num_generations\":2}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode generations = reply.json().get("generations");
    assertThat(generations).hasSize(2);
    for (JsonNode generation : generations) {
      assertThat(generation.get("status").asText()).isEqualTo("processing");
      assertThat(UUID.fromString(generation.get("generation_id").asText())).isNotNull();
    }
  }

  @Test
  void inProgressGenerationHasNoStatusNorResultAndIsGoneOnceDone() {
    String id = enqueue("{\"model\":\"kling-video-o3\",\"prompt\":\"An astronaut\",\"aspect_ratio\":\"16:9\",\"duration\":10}").getFirst();

    Reply inProgress = call("GET", "/ai/queue/" + id, null);
    assertThat(inProgress.status()).isEqualTo(200);
    JsonNode body = inProgress.json();
    assertThat(body.get("generation_id").asText()).isEqualTo(id);
    assertThat(body.get("model").asText()).isEqualTo("kling-video-o3");
    assertThat(body.get("prompt").asText()).isEqualTo("An astronaut");
    assertThat(body.get("media_type").asText()).isEqualTo("video");
    assertThat(body.get("enqueued_at").asLong()).isPositive();
    assertThat(body.get("aspect_ratio").asText()).isEqualTo("16:9");
    assertThat(body.get("duration").asInt()).isEqualTo(10);
    assertThat(body.has("status")).isFalse();
    assertThat(body.has("result_url")).isFalse();
    assertThat(body.has("model_name")).isFalse();
    assertThat(body.has("started_at")).isFalse();

    assertGone(awaitGone(id));
    assertGone(call("DELETE", "/ai/queue/" + id, null));
  }

  @Test
  void listHoldsOnlyInProgressGenerationsUntilCountReachesZero() {
    List<String> images = enqueue("{\"model\":\"flux-2\",\"prompt\":\"p\",\"num_generations\":2,\"sandbox\":{\"durationMs\":600}}");
    String video = enqueue("{\"model\":\"kling-video\",\"sandbox\":{\"durationMs\":5000}}").getFirst();
    enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"durationMs\":0}}");

    JsonNode all = call("GET", "/ai/queue", null).json();
    assertThat(all.get("count").asInt()).isEqualTo(3);
    assertThat(ids(all)).containsExactly(images.get(0), images.get(1), video);
    JsonNode first = all.get("generations").get(0);
    assertThat(first.get("model").asText()).isEqualTo("flux-2");
    assertThat(first.get("media_type").asText()).isEqualTo("image");
    assertThat(first.has("status")).isFalse();
    assertThat(ids(call("GET", "/ai/queue?model=kling-video", null).json())).containsExactly(video);
    assertThat(ids(call("GET", "/ai/queue?status=succeeded", null).json()))
        .as("the older queue knows no status filter").hasSize(3);
    assertThat(call("GET", "/ai/queue?namespace=acme", null).json().get("count").asInt()).isZero();

    Reply empty = pollUntil("/ai/queue?model=flux-2", r -> r.json().get("count").asInt() == 0);
    assertThat(empty.json()).isEqualTo(SandboxHttp.json("{\"count\":0,\"generations\":[]}"));
    assertThat(ids(call("GET", "/ai/queue", null).json())).containsExactly(video);
  }

  @Test
  void failedAndSucceededGenerationsLookTheSame() {
    String failing = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"fail\":\"GPU error\",\"durationMs\":200}}").getFirst();
    String succeeding = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"durationMs\":200}}").getFirst();

    assertThat(call("GET", "/ai/queue/" + failing, null).json().has("error_message")).isFalse();
    assertGone(awaitGone(failing));
    assertGone(awaitGone(succeeding));
  }

  @Test
  void invalidModelParametersMakeTheGenerationVanishWhenItStarts() {
    String invalid = enqueue("{\"model\":\"kling-video\",\"duration\":-3,\"sandbox\":{\"durationMs\":1500}}").getFirst();
    String valid = enqueue("{\"model\":\"kling-video\",\"duration\":5,\"sandbox\":{\"durationMs\":1500}}").getFirst();

    assertThat(call("GET", "/ai/queue/" + invalid, null).status()).as("accepted at enqueue").isEqualTo(200);
    assertGone(awaitGone(invalid)); // after 300 ms, when it would have started
    assertThat(call("GET", "/ai/queue/" + valid, null).status()).isEqualTo(200);
  }

  @Test
  void cancelRemovesAnActiveGenerationAndIsNotFoundAfterwards() {
    List<String> ids = enqueue("{\"model\":\"flux-2\",\"num_generations\":2,\"sandbox\":{\"durationMs\":5000}}");

    Reply cancelled = call("DELETE", "/ai/queue/" + ids.get(0), null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json()).isEqualTo(SandboxHttp.json("{\"status\":\"success\",\"generation_id\":\"" + ids.get(0) + "\"}"));
    assertGone(call("GET", "/ai/queue/" + ids.get(0), null));
    assertGone(call("DELETE", "/ai/queue/" + ids.get(0), null));
    assertThat(ids(call("GET", "/ai/queue", null).json())).containsExactly(ids.get(1));
    assertGone(call("DELETE", "/ai/queue/" + UUID.randomUUID(), null));
    assertGone(call("GET", "/ai/queue/" + UUID.randomUUID(), null));
  }

  @Test
  void enqueueValidationUsesTheOlderErrorBody() {
    Reply range = call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"num_generations\":9}");
    assertThat(range.status()).isEqualTo(400);
    assertThat(range.json()).isEqualTo(SandboxHttp.json(
        "{\"error\":{\"type\":\"bad_request\",\"title\":\"num_generations must be an integer between 1 and 4\"},\"status\":\"error\"}"));
    assertThat(call("POST", "/ai/queue", "{\"model\":\"unknown/x\"}").json().get("error").get("title").asText())
        .isEqualTo("Model not found: unknown/x");
    assertThat(call("POST", "/ai/queue", "{\"model\":\"text/llama\"}").json().get("error").get("title").asText())
        .isEqualTo(":unsupported_media_type");
  }

  @Test
  void requestsWithoutABearerKeyAreUnauthorized() {
    Reply missing = call("GET", "/ai/queue", null, null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().get("error").get("type").asText()).isEqualTo("unauthorized");
    assertThat(missing.json().has("status_message")).isFalse();
    assertThat(call("POST", "/ai/queue", "{\"model\":\"flux-2\"}", "Basic abc").status()).isEqualTo(401);
  }

  @Test
  void firstPollsAreRateLimited() {
    String id = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"rateLimitPolls\":1,\"retryAfterSeconds\":3,\"durationMs\":5000}}").getFirst();

    Reply limited = call("GET", "/ai/queue/" + id, null);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("3");
    assertThat(limited.json().get("error").get("type").asText()).isEqualTo("too_many_requests");
    assertThat(call("GET", "/ai/queue/" + id, null).status()).isEqualTo(200);
  }
}
