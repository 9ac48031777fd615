package io.aigen.camunda.sandbox.runway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunwaySimulationTest {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String VIDEO = "{\"model\":\"gen4_turbo\",\"promptImage\":\"https://example.org/a.jpg\",\"promptText\":\"slow dolly in\"";

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

  private Reply call(String method, String path, String body, String authorization, String version) {
    return http.call(method, sandbox.providerBaseUrl("runway") + path, body, "Authorization", authorization, "X-Runway-Version", version);
  }

  private Reply call(String method, String path, String body) {
    return call(method, path, body, "Bearer key_test", "2024-11-06");
  }

  private String create(String endpoint, String body) {
    Reply reply = call("POST", "/v1/" + endpoint, body);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    assertThat(reply.json().size()).isEqualTo(1);
    return reply.json().get("id").asText();
  }

  private JsonNode task(String id) {
    Reply reply = call("GET", "/v1/tasks/" + id, null);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json();
  }

  private JsonNode pollUntil(String id, Predicate<JsonNode> done) {
    return SandboxHttp.awaitMatch(() -> task(id), done, WAIT);
  }

  private JsonNode awaitStatus(String id, String status) {
    return pollUntil(id, task -> task.get("status").asText().equals(status));
  }

  private static void assertError(Reply reply, int status) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).isNotBlank();
  }

  private byte[] download(String url) {
    HttpResponse<byte[]> response = http.send(http.request(url).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void theVersionHeaderIsRequired() {
    String body = VIDEO + "}";

    Reply missing = call("POST", "/v1/image_to_video", body, "Bearer key_test", null);
    assertError(missing, 400);
    assertThat(missing.json().get("error").asText()).contains("X-Runway-Version");
    Reply other = call("POST", "/v1/image_to_video", body, "Bearer key_test", "2023-01-01");
    assertError(other, 400);
    assertThat(other.json().get("error").asText()).contains("2023-01-01").contains("2024-11-06");
    assertError(call("GET", "/v1/tasks/" + UUID.randomUUID(), null, "Bearer key_test", null), 400);
  }

  @Test
  void requestsWithoutABearerKeyAreUnauthorized() {
    assertError(call("POST", "/v1/image_to_video", VIDEO + "}", null, "2024-11-06"), 401);
    assertError(call("POST", "/v1/image_to_video", VIDEO + "}", "Key key_test", "2024-11-06"), 401);
  }

  @Test
  void videoTaskGoesPendingRunningSucceededWithAnMp4() {
    String id = create("image_to_video", VIDEO + ",\"sandbox\":{\"durationMs\":1000}}");
    assertThat(UUID.fromString(id)).hasToString(id);
    List<String> seen = new ArrayList<>();
    List<Double> progress = new ArrayList<>();

    JsonNode done = pollUntil(id, task -> {
      String status = task.get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
      }
      if (status.equals("RUNNING")) {
        progress.add(task.get("progress").asDouble());
      }
      return status.equals("SUCCEEDED");
    });

    assertThat(seen).containsExactly("PENDING", "RUNNING", "SUCCEEDED");
    assertThat(progress).isNotEmpty().isSorted().allMatch(p -> p >= 0 && p <= 1);
    assertThat(done.get("id").asText()).isEqualTo(id);
    assertThat(done.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(done.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(done.has("progress")).isFalse();
    assertThat(done.get("output")).hasSize(1);
    String url = done.get("output").get(0).asText();
    assertThat(url).isEqualTo(sandbox.baseUrl() + "/files/" + id + ".mp4");
    assertThat(new String(download(url), StandardCharsets.ISO_8859_1)).contains("ftyp").contains("slow dolly in");
  }

  @Test
  void textToVideoAndTextToImageAreTaskEndpointsToo() {
    String video = create("text_to_video", "{\"model\":\"veo3\",\"promptText\":\"rain\",\"sandbox\":{\"durationMs\":0}}");
    String image = create("text_to_image",
        "{\"model\":\"gen4_image\",\"promptText\":\"a lighthouse\",\"ratio\":\"96:64\",\"sandbox\":{\"durationMs\":0}}");
    String speech = create("text_to_speech", "{\"model\":\"eleven_multilingual_v2\",\"promptText\":\"hello\",\"sandbox\":{\"durationMs\":0}}");

    assertThat(awaitStatus(video, "SUCCEEDED").get("output").get(0).asText()).endsWith(video + ".mp4");
    assertThat(awaitStatus(speech, "SUCCEEDED").get("output").get(0).asText()).endsWith(speech + ".mp3");
    String png = awaitStatus(image, "SUCCEEDED").get("output").get(0).asText();
    assertThat(png).endsWith(image + ".png");
    ByteBuffer header = ByteBuffer.wrap(download(png));
    assertThat(header.getInt(16)).as("width").isEqualTo(96);
    assertThat(header.getInt(20)).as("height").isEqualTo(64);
  }

  @Test
  void throttledTaskWaitsBeforeItIsPending() {
    String id = create("image_to_video", VIDEO + ",\"sandbox\":{\"throttledMs\":300,\"durationMs\":500}}");
    List<String> seen = new ArrayList<>();

    pollUntil(id, task -> {
      String status = task.get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
      }
      return status.equals("SUCCEEDED");
    });

    assertThat(seen).containsExactly("THROTTLED", "PENDING", "RUNNING", "SUCCEEDED");
  }

  @Test
  void failedTaskCarriesFailureAndFailureCode() {
    JsonNode plain = awaitStatus(create("image_to_video", VIDEO + ",\"sandbox\":{\"fail\":\"Generation was rejected\"}}"), "FAILED");
    assertThat(plain.get("failure").asText()).isEqualTo("Generation was rejected");
    assertThat(plain.get("failureCode").asText()).isEqualTo("INTERNAL.BAD_OUTPUT.CODE01");
    assertThat(plain.has("output")).isFalse();

    JsonNode safety = awaitStatus(create("image_to_video",
        VIDEO + ",\"sandbox\":{\"fail\":\"Input rejected\",\"failType\":\"SAFETY.INPUT.TEXT\"}}"), "FAILED");
    assertThat(safety.get("failureCode").asText()).isEqualTo("SAFETY.INPUT.TEXT");

    JsonNode marked = awaitStatus(create("text_to_image", "{\"model\":\"gen4_image\",\"promptText\":\"[fail] a cat\"}"), "FAILED");
    assertThat(marked.get("failure").asText()).contains("[fail]");
  }

  @Test
  void deleteCancelsATaskInProgressAndDeletesAFinishedOne() {
    String running = create("image_to_video", VIDEO + ",\"sandbox\":{\"durationMs\":3000}}");
    awaitStatus(running, "RUNNING");
    Reply cancel = call("DELETE", "/v1/tasks/" + running, null);
    assertThat(cancel.status()).isEqualTo(204);
    assertThat(cancel.response().body()).isEmpty();
    JsonNode cancelled = task(running);
    assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.has("progress")).isFalse();
    assertThat(call("DELETE", "/v1/tasks/" + running, null).status()).as("a cancelled task is deleted").isEqualTo(204);
    assertError(call("GET", "/v1/tasks/" + running, null), 404);

    String throttled = create("image_to_video", VIDEO + ",\"sandbox\":{\"throttledMs\":5000}}");
    assertThat(task(throttled).get("status").asText()).isEqualTo("THROTTLED");
    assertThat(call("DELETE", "/v1/tasks/" + throttled, null).status()).isEqualTo(204);
    assertThat(task(throttled).get("status").asText()).isEqualTo("CANCELLED");

    String finished = create("image_to_video", VIDEO + ",\"sandbox\":{\"durationMs\":0}}");
    awaitStatus(finished, "SUCCEEDED");
    assertThat(call("DELETE", "/v1/tasks/" + finished, null).status()).isEqualTo(204);
    assertError(call("GET", "/v1/tasks/" + finished, null), 404);
    assertError(call("DELETE", "/v1/tasks/" + finished, null), 404);
    assertError(call("DELETE", "/v1/tasks/" + UUID.randomUUID(), null), 404);
  }

  @Test
  void firstPollsAreRateLimited() {
    String id = create("image_to_video", VIDEO + ",\"sandbox\":{\"rateLimitPolls\":2,\"retryAfterSeconds\":3}}");

    for (int i = 0; i < 2; i++) {
      Reply limited = call("GET", "/v1/tasks/" + id, null);
      assertError(limited, 429);
      assertThat(limited.header("Retry-After")).isEqualTo("3");
    }
    assertThat(call("GET", "/v1/tasks/" + id, null).status()).isEqualTo(200);
  }

  @Test
  void unknownTasksRoutesAndMethodsAreRefused() {
    assertError(call("GET", "/v1/tasks/" + UUID.randomUUID(), null), 404);
    assertError(call("POST", "/v1/not_a_task", "{}"), 404);
    assertError(call("GET", "/v2/tasks/x", null), 404);
    assertError(call("GET", "/v1/image_to_video", null), 405);
    assertError(call("PUT", "/v1/tasks/x", null), 405);
  }

  @Test
  void invalidBodiesAreRefusedWith400() {
    assertThat(call("POST", "/v1/image_to_video", "{\"promptImage\":\"https://example.org/a.jpg\"}").json().get("error").asText())
        .isEqualTo("model: Required");
    assertThat(call("POST", "/v1/image_to_video", "{\"model\":\"gen4_turbo\"}").json().get("error").asText())
        .isEqualTo("promptImage: Required");
    assertThat(call("POST", "/v1/text_to_image", "{\"model\":\"gen4_image\"}").json().get("error").asText())
        .isEqualTo("promptText: Required");
    assertError(call("POST", "/v1/text_to_video", "{\"model\":\"veo3\",\"promptText\":\"" + "x".repeat(1001) + "\"}"), 400);
    assertError(call("POST", "/v1/text_to_image", "{\"model\":\"gen4_image\",\"promptText\":\"p\",\"ratio\":\"wide\"}"), 400);
    assertError(call("POST", "/v1/image_to_video", "{\"model\":"), 400);
    assertError(call("POST", "/v1/image_to_video", VIDEO + ",\"sandbox\":{\"unknown\":1}}"), 400);
  }

  @Test
  void submitStatusForcesAnErrorAnswer() {
    assertError(call("POST", "/v1/image_to_video", VIDEO + ",\"sandbox\":{\"submitStatus\":503}}"), 503);
    Reply limited = call("POST", "/v1/image_to_video", VIDEO + ",\"sandbox\":{\"submitStatus\":429,\"retryAfterSeconds\":4}}");
    assertError(limited, 429);
    assertThat(limited.header("Retry-After")).isEqualTo("4");
  }
}
