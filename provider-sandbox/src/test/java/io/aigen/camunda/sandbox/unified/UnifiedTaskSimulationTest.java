package io.aigen.camunda.sandbox.unified;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnifiedTaskSimulationTest {

  static final Duration WAIT = Duration.ofSeconds(5);

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
    return http.call(method, sandbox.providerBaseUrl("unified-task") + path, body, "Authorization", authorization);
  }

  private Reply call(String method, String path, String body) {
    return call(method, path, body, "Bearer elk-key");
  }

  private String submit(String body) {
    Reply reply = call("POST", "/v1/task/submit", body);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json().get("task_id").asText();
  }

  private JsonNode awaitStatus(String id, String status) {
    Supplier<Reply> read = () -> {
      Reply reply = call("GET", "/v1/task/" + id, null);
      assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
      return reply;
    };
    return SandboxHttp.awaitMatch(read, reply -> reply.json().get("status").asText().equals(status), WAIT).json();
  }

  private static void assertError(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    assertThat(reply.json().get("error").get("code").asText()).isEqualTo(code);
    assertThat(reply.json().get("error").get("message").asText()).isNotBlank();
  }

  @Test
  void submitAnswersTheTaskIdQueued() {
    assertThat(sandbox.providerBaseUrl("unified-task")).isEqualTo(sandbox.baseUrl() + "/unified");
    Reply reply = call("POST", "/v1/task/submit",
        "{\"model\":\"flux-pro\",\"input\":{\"prompt\":\"a fox\"},\"callback_url\":\"https://example.invalid/hook\"}");

    assertThat(reply.status()).isEqualTo(200);
    String id = reply.json().get("task_id").asText();
    assertThat(UUID.fromString(id)).hasToString(id);
    assertThat(reply.json()).isEqualTo(SandboxHttp.json(
        "{\"task_id\":\"" + id + "\",\"id\":\"" + id + "\",\"status\":\"queued\"}"));
  }

  @Test
  void taskGoesFromQueuedToInProgressToCompletedWithAPngOutput() {
    String id = submit("{\"model\":\"flux-pro\",\"input\":{\"prompt\":\"a fox\",\"sandbox\":{\"durationMs\":600}}}");
    List<JsonNode> seen = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();

    JsonNode done;
    while (true) {
      assertThat(System.nanoTime()).as("seen " + seen).isLessThan(deadline);
      JsonNode task = call("GET", "/v1/task/" + id, null).json();
      if (seen.isEmpty() || !seen.getLast().get("status").equals(task.get("status"))) {
        seen.add(task);
      }
      if (task.get("status").asText().equals("completed")) {
        done = task;
        break;
      }
      SandboxHttp.sleep(20);
    }

    assertThat(seen).extracting(task -> task.get("status").asText()).containsExactly("queued", "in_progress", "completed");
    for (JsonNode running : seen.subList(0, 2)) {
      assertThat(running.get("task_id").asText()).isEqualTo(id);
      assertThat(running.get("created_at").asLong()).isPositive();
      assertThat(running.has("completed_at")).isFalse();
      assertThat(running.has("outputs")).isFalse();
      assertThat(running.has("error")).isFalse();
    }
    assertThat(done.get("id").asText()).isEqualTo(id);
    assertThat(done.has("error")).isFalse();
    assertThat(done.get("completed_at").asLong()).isGreaterThanOrEqualTo(done.get("created_at").asLong());
    assertThat(done.get("outputs")).hasSize(1);
    String url = done.get("outputs").get(0).asText();
    assertThat(url).isEqualTo(sandbox.baseUrl() + "/files/" + id + ".png");
    HttpResponse<byte[]> image = http.send(http.request(url).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
  }

  @Test
  void videoModelsProduceAnMp4() {
    String id = submit("{\"model\":\"minimax-video-01\",\"input\":{\"prompt\":\"waves\"}}");

    String url = awaitStatus(id, "completed").get("outputs").get(0).asText();
    assertThat(url).endsWith("/files/" + id + ".mp4");
    HttpResponse<byte[]> video = http.send(http.request(url).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(video.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(new String(video.body(), StandardCharsets.ISO_8859_1)).contains("ftyp").contains("waves");
  }

  @Test
  void failureErrorIsAStringByDefault() {
    String knob = submit("{\"model\":\"kling-v2\",\"input\":{\"sandbox\":{\"fail\":\"content policy violation\"}}}");
    String marker = submit("{\"model\":\"kling-v2\",\"input\":{\"prompt\":\"a cat [fail]\"}}");

    JsonNode failed = awaitStatus(knob, "failed");
    assertThat(failed.get("error").isTextual()).isTrue();
    assertThat(failed.get("error").asText()).isEqualTo("content policy violation");
    assertThat(failed.has("outputs")).isFalse();
    assertThat(failed.get("completed_at").asLong()).isPositive();
    assertThat(awaitStatus(marker, "failed").get("error").asText()).contains("[fail]");
  }

  @Test
  void failTypeMakesTheErrorACodeAndMessageObject() {
    String id = submit("{\"model\":\"kling-v2\",\"input\":{\"sandbox\":{\"fail\":\"quota exceeded\",\"failType\":\"insufficient_quota\"}}}");

    JsonNode error = awaitStatus(id, "failed").get("error");
    assertThat(error).isEqualTo(SandboxHttp.json("{\"code\":\"insufficient_quota\",\"message\":\"quota exceeded\"}"));
  }

  @Test
  void tasksCannotBeCancelled() {
    String id = submit("{\"model\":\"flux-pro\",\"input\":{}}");

    Reply delete = call("DELETE", "/v1/task/" + id, null);
    assertError(delete, 405, "method_not_allowed");
    assertThat(delete.header("Allow")).isEqualTo("GET");
    assertThat(awaitStatus(id, "completed").get("outputs")).hasSize(1);
    assertThat(call("POST", "/v1/task/" + id + "/cancel", null).status()).isEqualTo(404);
    assertThat(call("GET", "/v1/task/submit", null).header("Allow")).isEqualTo("POST");
  }

  @Test
  void unknownTaskIsNotFound() {
    assertError(call("GET", "/v1/task/" + UUID.randomUUID(), null), 404, "task_not_found");
    assertError(call("GET", "/v1/tasks", null), 404, "not_found");
  }

  @Test
  void requestsWithoutABearerKeyAreUnauthorized() {
    String id = submit("{\"model\":\"flux-pro\",\"input\":{}}");

    for (String authorization : new String[] {null, "Key elk-key", "Bearer "}) {
      assertError(call("POST", "/v1/task/submit", "{\"model\":\"flux-pro\",\"input\":{}}", authorization), 401, "unauthorized");
      assertError(call("GET", "/v1/task/" + id, null, authorization), 401, "unauthorized");
    }
  }

  @Test
  void firstPollsAreRateLimited() {
    String id = submit("{\"model\":\"flux-pro\",\"input\":{\"sandbox\":{\"rateLimitPolls\":2,\"retryAfterSeconds\":4}}}");

    for (int i = 0; i < 2; i++) {
      Reply limited = call("GET", "/v1/task/" + id, null);
      assertError(limited, 429, "rate_limited");
      assertThat(limited.header("Retry-After")).isEqualTo("4");
    }
    assertThat(call("GET", "/v1/task/" + id, null).status()).isEqualTo(200);
  }

  @Test
  void invalidSubmitsAreBadRequests() {
    for (String body : List.of(
        "{\"input\":{}}",
        "{\"model\":\" \",\"input\":{}}",
        "{\"model\":\"flux-pro\"}",
        "{\"model\":\"flux-pro\",\"input\":\"a fox\"}",
        "{\"model\":\"flux-pro\",\"input\":{},\"callback_url\":42}",
        "{\"model\":\"flux-pro\",\"input\":{\"sandbox\":{\"fial\":\"x\"}}}",
        "{\"model\":",
        "[]")) {
      assertError(call("POST", "/v1/task/submit", body), 400, "invalid_request");
    }
  }

  @Test
  void submitStatusForcesAnErrorAnswer() {
    assertError(call("POST", "/v1/task/submit", "{\"model\":\"flux-pro\",\"input\":{\"sandbox\":{\"submitStatus\":503}}}"),
        503, "internal_error");
    Reply limited = call("POST", "/v1/task/submit",
        "{\"model\":\"flux-pro\",\"input\":{\"sandbox\":{\"submitStatus\":429,\"retryAfterSeconds\":7}}}");
    assertError(limited, 429, "rate_limited");
    assertThat(limited.header("Retry-After")).isEqualTo("7");
  }
}
