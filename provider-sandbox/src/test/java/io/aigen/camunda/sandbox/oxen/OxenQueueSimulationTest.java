package io.aigen.camunda.sandbox.oxen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OxenQueueSimulationTest {

  static final String KEY = "oxen-test-key";
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String LONG = "\"sandbox\":{\"durationMs\":5000}";

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
    return http.call(method, sandbox.providerBaseUrl("oxen") + path, body, "Authorization", authorization);
  }

  private Reply call(String method, String path, String body) {
    return call(method, path, body, "Bearer " + KEY);
  }

  private List<String> enqueue(String body) {
    Reply reply = call("POST", "/ai/queue", body);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return StreamSupport.stream(reply.json().get("generations").spliterator(), false)
        .map(g -> g.get("generation_id").asText())
        .toList();
  }

  private JsonNode get(String id) {
    Reply reply = call("GET", "/ai/queue/" + id, null);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json();
  }

  private JsonNode awaitStatus(String id, String status) {
    return SandboxHttp.awaitMatch(() -> get(id), generation -> generation.get("status").asText().equals(status), WAIT);
  }

  private static void assertError(Reply reply, int status, String type, String title) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    assertThat(reply.json()).isEqualTo(SandboxHttp.json(
        "{\"error\":{\"type\":\"" + type + "\",\"title\":\"" + title + "\"},\"status\":\"error\",\"status_message\":\"" + type + "\"}"));
  }

  private List<String> ids(JsonNode list) {
    return StreamSupport.stream(list.get("generations").spliterator(), false)
        .map(g -> g.get("generation_id").asText())
        .toList();
  }

  @Test
  void enqueueAnswersOneQueuedGenerationPerNumGenerations() {
    assertThat(sandbox.providerBaseUrl("oxen")).isEqualTo(sandbox.baseUrl() + "/oxen/api");
    Reply reply = call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"prompt\":\"p\",\"num_generations\":3}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode generations = reply.json().get("generations");
    assertThat(reply.json().size()).isEqualTo(1);
    assertThat(generations).hasSize(3);
    for (JsonNode generation : generations) {
      String id = generation.get("generation_id").asText();
      assertThat(UUID.fromString(id)).hasToString(id);
      assertThat(generation.get("status").asText()).isEqualTo("queued");
    }
    assertThat(ids(reply.json())).doesNotHaveDuplicates();
    assertThat(enqueue("{\"model\":\"flux-2\"}")).hasSize(1);
  }

  @Test
  void generationGoesFromQueuedToProcessingToSucceededWithAPngResult() {
    String id = enqueue("{\"model\":\"black-forest-labs-flux-2\",\"prompt\":\"blue and gold\",\"aspect_ratio\":\"16:9\","
        + "\"seed\":7,\"status\":\"bogus\",\"sandbox\":{\"durationMs\":600}}").getFirst();
    List<String> seen = new ArrayList<>();
    JsonNode first = get(id);
    long deadline = System.nanoTime() + WAIT.toNanos();

    JsonNode done;
    while (true) {
      assertThat(System.nanoTime()).as("seen " + seen).isLessThan(deadline);
      JsonNode generation = get(id);
      String status = generation.get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
      }
      if (status.equals("succeeded")) {
        done = generation;
        break;
      }
      SandboxHttp.sleep(20);
    }

    assertThat(seen).containsExactly("queued", "processing", "succeeded");
    assertThat(first.get("status").asText()).isEqualTo("queued");
    assertThat(first.get("started_at").isNull()).isTrue();
    assertThat(first.get("completed_at").isNull()).isTrue();
    assertThat(first.get("result_url").isNull()).isTrue();
    assertThat(done.get("generation_id").asText()).isEqualTo(id);
    assertThat(done.get("model_name").asText()).isEqualTo("black-forest-labs-flux-2");
    assertThat(done.has("model")).isFalse();
    assertThat(done.get("prompt").asText()).isEqualTo("blue and gold");
    assertThat(done.get("media_type").asText()).isEqualTo("image");
    assertThat(done.get("error_message").isNull()).isTrue();
    assertThat(done.get("aspect_ratio").asText()).isEqualTo("16:9");
    assertThat(done.get("seed").asInt()).isEqualTo(7);
    assertThat(done.has("sandbox")).isFalse();
    long enqueued = done.get("enqueued_at").asLong();
    assertThat(enqueued).isCloseTo(System.currentTimeMillis() / 1000, within(5L));
    assertThat(done.get("started_at").asLong()).isBetween(enqueued, done.get("completed_at").asLong());
    String url = done.get("result_url").asText();
    assertThat(url).isEqualTo(sandbox.baseUrl() + "/files/" + id + ".png");
    HttpResponse<byte[]> image = http.send(http.request(url).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(image.body()).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void videoModelsProduceAnMp4() {
    String id = enqueue("{\"model\":\"kling-video-o3-pro\",\"prompt\":\"waves\",\"duration\":10}").getFirst();

    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(done.get("media_type").asText()).isEqualTo("video");
    assertThat(done.get("duration").asInt()).isEqualTo(10);
    HttpResponse<byte[]> video = http.send(
        http.request(done.get("result_url").asText()).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(done.get("result_url").asText()).endsWith("/files/" + id + ".mp4");
    assertThat(video.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(new String(video.body(), StandardCharsets.ISO_8859_1)).contains("ftyp").contains("waves");
  }

  @Test
  void enqueueValidatesNumGenerationsAndTheModel() {
    for (String n : List.of("0", "5", "2.5", "\"2\"", "-1")) {
      assertError(call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"num_generations\":" + n + "}"),
          400, "bad_request", "num_generations must be an integer between 1 and 4");
    }
    assertError(call("POST", "/ai/queue", "{\"model\":\"unknown/flux-9\"}"), 400, "bad_request", "Model not found: unknown/flux-9");
    assertError(call("POST", "/ai/queue", "{\"model\":\"text/gpt-4o\"}"), 400, "bad_request", ":unsupported_media_type");
    assertError(call("POST", "/ai/queue", "{\"prompt\":\"no model\"}"), 400, "bad_request", "model is required");
    assertThat(call("POST", "/ai/queue", "{\"model\":").status()).isEqualTo(400);
    assertThat(call("POST", "/ai/queue", "[]").status()).isEqualTo(400);
    Reply badKnob = call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"sandbox\":{\"durationMS\":1}}");
    assertThat(badKnob.status()).isEqualTo(400);
    assertThat(badKnob.json().get("error").get("title").asText()).contains("durationMS");

    assertThat(call("GET", "/ai/queue?status=queued", null).json().get("count").asInt()).isZero();
  }

  @Test
  void invalidModelParametersAreAcceptedAndFailTheGenerationLater() {
    Reply reply = call("POST", "/ai/queue", "{\"model\":\"kling-video\",\"prompt\":\"p\",\"duration\":\"ten\",\"num_generations\":2}");
    assertThat(reply.status()).isEqualTo(200);

    for (String id : ids(reply.json())) {
      JsonNode failed = awaitStatus(id, "failed");
      assertThat(failed.get("error_message").asText()).contains("duration");
      assertThat(failed.get("result_url").isNull()).isTrue();
      assertThat(failed.get("completed_at").isNull()).isFalse();
    }
  }

  @Test
  void failKnobAndFailMarkerFailEveryGeneration() {
    List<String> knob = enqueue("{\"model\":\"flux-2\",\"num_generations\":2,\"sandbox\":{\"fail\":\"NSFW content detected\"}}");
    List<String> marker = enqueue("{\"model\":\"flux-2\",\"prompt\":\"a cat [fail]\"}");

    for (String id : knob) {
      assertThat(awaitStatus(id, "failed").get("error_message").asText()).isEqualTo("NSFW content detected");
    }
    assertThat(awaitStatus(marker.getFirst(), "failed").get("error_message").asText()).contains("[fail]");
  }

  @Test
  void failIndexFailsOnlyThatGeneration() {
    List<String> ids = enqueue("{\"model\":\"flux-2\",\"num_generations\":3,\"sandbox\":{\"failIndex\":1,\"fail\":\"boom\"}}");

    assertThat(awaitStatus(ids.get(0), "succeeded").get("result_url").isNull()).isFalse();
    assertThat(awaitStatus(ids.get(1), "failed").get("error_message").asText()).isEqualTo("boom");
    awaitStatus(ids.get(2), "succeeded");
    String defaultMessage = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"failIndex\":0}}").getFirst();
    assertThat(awaitStatus(defaultMessage, "failed").get("error_message").asText()).contains("failIndex");
    assertError(call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"num_generations\":2,\"sandbox\":{\"failIndex\":2}}"),
        400, "bad_request", "sandbox.failIndex must be below num_generations (2)");
  }

  @Test
  void listWithoutStatusShowsOnlyActiveGenerationsAndFilters() {
    String image = enqueue("{\"model\":\"flux-2\",\"prompt\":\"i\"," + LONG + "}").getFirst();
    String video = enqueue("{\"model\":\"kling-video\",\"prompt\":\"v\"," + LONG + "}").getFirst();
    String done = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"durationMs\":0}}").getFirst();
    String elsewhere = enqueue("{\"model\":\"flux-2\",\"target_namespace\":\"acme\"," + LONG + "}").getFirst();

    JsonNode active = call("GET", "/ai/queue", null).json();
    assertThat(active.get("count").asInt()).isEqualTo(2);
    assertThat(ids(active)).containsExactly(image, video);
    assertThat(active.get("generations").get(0).get("status").asText()).isEqualTo("queued");
    assertThat(active.get("generations").get(0).get("model_name").asText()).isEqualTo("flux-2");

    assertThat(ids(call("GET", "/ai/queue?status=succeeded", null).json())).containsExactly(done);
    assertThat(ids(call("GET", "/ai/queue?model=kling-video", null).json())).containsExactly(video);
    assertThat(ids(call("GET", "/ai/queue?media_type=image", null).json())).containsExactly(image);
    assertThat(ids(call("GET", "/ai/queue?namespace=acme", null).json())).containsExactly(elsewhere);
    assertThat(ids(call("GET", "/ai/queue?status=succeeded&model=kling-video", null).json())).isEmpty();
    assertError(call("GET", "/ai/queue?status=done", null), 400, "bad_request",
        "status must be one of queued, processing, succeeded, failed, cancelled");
    assertError(call("GET", "/ai/queue?media_type=audio", null), 400, "bad_request", "media_type must be image or video");
  }

  @Test
  void cancelStopsActiveGenerationsAndLeavesFinishedOnesAlone() {
    List<String> ids = enqueue("{\"model\":\"flux-2\",\"num_generations\":2," + LONG + "}");
    Reply cancelled = call("DELETE", "/ai/queue/" + ids.get(0), null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json()).isEqualTo(SandboxHttp.json("{\"status\":\"success\",\"generation_id\":\"" + ids.get(0) + "\"}"));
    JsonNode queuedThenCancelled = get(ids.get(0));
    assertThat(queuedThenCancelled.get("status").asText()).isEqualTo("cancelled");
    assertThat(queuedThenCancelled.get("started_at").isNull()).isTrue();
    assertThat(queuedThenCancelled.get("completed_at").isNull()).isFalse();
    assertThat(queuedThenCancelled.get("result_url").isNull()).isTrue();
    assertThat(queuedThenCancelled.get("error_message").isNull()).isTrue();
    assertThat(get(ids.get(1)).get("status").asText()).as("its sibling runs on").isEqualTo("queued");

    String running = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"durationMs\":1500}}").getFirst();
    awaitStatus(running, "processing");
    assertThat(call("DELETE", "/ai/queue/" + running, null).status()).isEqualTo(200);
    JsonNode runningThenCancelled = get(running);
    assertThat(runningThenCancelled.get("status").asText()).isEqualTo("cancelled");
    assertThat(runningThenCancelled.get("started_at").isNull()).isFalse();

    String done = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"durationMs\":0}}").getFirst();
    Reply noEffect = call("DELETE", "/ai/queue/" + done, null);
    assertThat(noEffect.status()).isEqualTo(200);
    assertThat(noEffect.json().get("status").asText()).isEqualTo("success");
    assertThat(get(done).get("status").asText()).isEqualTo("succeeded");

    assertThat(ids(call("GET", "/ai/queue?status=cancelled", null).json())).containsExactlyInAnyOrder(ids.get(0), running);
    assertThat(ids(call("GET", "/ai/queue", null).json())).containsExactly(ids.get(1));
    assertError(call("DELETE", "/ai/queue/" + UUID.randomUUID(), null), 404, "resource_not_found",
        "The requested resource could not be found");
  }

  @Test
  void unknownGenerationIsNotFound() {
    assertError(call("GET", "/ai/queue/" + UUID.randomUUID(), null), 404, "resource_not_found",
        "The requested resource could not be found");
    assertThat(call("GET", "/ai/other", null).status()).isEqualTo(404);
    assertThat(call("PUT", "/ai/queue", "{}").status()).isEqualTo(405);
    assertThat(call("POST", "/ai/queue/" + UUID.randomUUID(), "{}").status()).isEqualTo(405);
  }

  @Test
  void requestsWithoutABearerKeyAreUnauthorized() {
    String id = enqueue("{\"model\":\"flux-2\"}").getFirst();

    for (String authorization : new String[] {null, "Key " + KEY, "Bearer", " "}) {
      Reply post = call("POST", "/ai/queue", "{\"model\":\"flux-2\"}", authorization);
      assertThat(post.status()).isEqualTo(401);
      assertThat(post.json().get("error").get("type").asText()).isEqualTo("unauthorized");
      assertThat(post.json().get("status_message").asText()).isEqualTo("unauthorized");
      assertThat(call("GET", "/ai/queue/" + id, null, authorization).status()).isEqualTo(401);
    }
    assertThat(call("GET", "/ai/queue/" + id, null, "bearer any-key").status()).isEqualTo(200);
  }

  @Test
  void firstPollsAreRateLimitedOnGetAndList() {
    String id = enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"rateLimitPolls\":2,\"retryAfterSeconds\":1,\"durationMs\":0}}").getFirst();

    for (int i = 0; i < 2; i++) {
      Reply limited = call("GET", "/ai/queue/" + id, null);
      assertError(limited, 429, "too_many_requests", "Too many requests");
      assertThat(limited.header("Retry-After")).isEqualTo("1");
    }
    assertThat(call("GET", "/ai/queue/" + id, null).status()).isEqualTo(200);

    enqueue("{\"model\":\"flux-2\",\"sandbox\":{\"rateLimitPolls\":1,\"durationMs\":5000}}");
    Reply limitedList = call("GET", "/ai/queue", null);
    assertThat(limitedList.status()).isEqualTo(429);
    assertThat(limitedList.header("Retry-After")).isEqualTo("2");
    assertThat(call("GET", "/ai/queue", null).json().get("count").asInt()).isEqualTo(1);
  }

  @Test
  void submitStatusForcesAnErrorAnswerWithoutEnqueueing() {
    assertError(call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"sandbox\":{\"submitStatus\":402}}"),
        402, "payment_required", "Simulated HTTP 402 (sandbox.submitStatus)");
    Reply limited = call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"sandbox\":{\"submitStatus\":429,\"retryAfterSeconds\":5}}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("5");
    assertThat(call("POST", "/ai/queue", "{\"model\":\"flux-2\",\"sandbox\":{\"submitStatus\":500}}").status()).isEqualTo(500);

    assertThat(call("GET", "/ai/queue", null).json().get("count").asInt()).isZero();
  }

  @Test
  void slowMarkerMakesTheGenerationTenTimesLonger() {
    String id = enqueue("{\"model\":\"flux-2\",\"prompt\":\"a cat [slow]\"}").getFirst();

    SandboxHttp.sleep(700); // 3 s instead of 300 ms: queued for 600 ms, then processing
    assertThat(get(id).get("status").asText()).isEqualTo("processing");
  }
}
