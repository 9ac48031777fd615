package io.aigen.camunda.sandbox.luma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.http.Json;
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

class LumaSimulationTest {

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
    return http.call(method, sandbox.providerBaseUrl("luma") + path, body, "Authorization", authorization);
  }

  private Reply call(String method, String path, String body) {
    return call(method, path, body, "Bearer luma-test");
  }

  private JsonNode create(String path, String body) {
    Reply reply = call("POST", path, body);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(201);
    return reply.json();
  }

  private JsonNode generation(String id) {
    Reply reply = call("GET", "/generations/" + id, null);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json();
  }

  private JsonNode pollUntil(String id, Predicate<JsonNode> done) {
    return SandboxHttp.awaitMatch(() -> generation(id), done, WAIT);
  }

  private JsonNode awaitState(String id, String state) {
    return pollUntil(id, generation -> generation.get("state").asText().equals(state));
  }

  private static void assertDetail(Reply reply, int status, String detail) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    assertThat(reply.json()).isEqualTo(Json.detail(detail));
  }

  private byte[] download(String url) {
    HttpResponse<byte[]> response = http.send(http.request(url).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void createAnswers201WithAQueuedGeneration() {
    String body = "{\"model\":\"ray-2\",\"prompt\":\"A teddy bear playing guitar\",\"aspect_ratio\":\"16:9\","
        + "\"callback_url\":\"https://example.invalid/luma\"}";

    Reply reply = call("POST", "/generations/video", body);

    assertThat(reply.status()).isEqualTo(201);
    JsonNode g = reply.json();
    String id = g.get("id").asText();
    assertThat(UUID.fromString(id)).hasToString(id);
    assertThat(g.get("generation_type").asText()).isEqualTo("video");
    assertThat(g.get("state").asText()).isEqualTo("queued");
    assertThat(g.get("failure_reason").isNull()).isTrue();
    assertThat(Instant.parse(g.get("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(g.get("model").asText()).isEqualTo("ray-2");
    assertThat(g.get("assets").isNull()).isTrue();
    assertThat(g.get("request")).isEqualTo(SandboxHttp.json(body));
  }

  @Test
  void videoGenerationGoesQueuedDreamingCompletedOnBothRoutes() {
    for (String path : List.of("/generations/video", "/generations")) {
      String id = create(path, "{\"model\":\"ray-2\",\"prompt\":\"waves\",\"sandbox\":{\"durationMs\":1000}}").get("id").asText();
      List<String> seen = new ArrayList<>();

      JsonNode done = pollUntil(id, generation -> {
        String state = generation.get("state").asText();
        if (seen.isEmpty() || !seen.getLast().equals(state)) {
          seen.add(state);
        }
        return state.equals("completed");
      });

      assertThat(seen).as(path).containsExactly("queued", "dreaming", "completed");
      assertThat(done.get("generation_type").asText()).isEqualTo("video");
      String video = done.get("assets").get("video").asText();
      assertThat(video).isEqualTo(sandbox.baseUrl() + "/files/" + id + ".mp4");
      assertThat(done.get("assets").get("image").isNull()).isTrue();
      assertThat(done.get("assets").get("progress_video").isNull()).isTrue();
      assertThat(new String(download(video), StandardCharsets.ISO_8859_1)).contains("ftyp").contains("waves");
    }
  }

  @Test
  void imageGenerationCompletesWithAnImageAsset() {
    String id = create("/generations/image",
        "{\"model\":\"photon-1\",\"prompt\":\"a lighthouse\",\"aspect_ratio\":\"9:16\",\"sandbox\":{\"durationMs\":0}}")
        .get("id").asText();

    JsonNode done = awaitState(id, "completed");

    assertThat(done.get("generation_type").asText()).isEqualTo("image");
    assertThat(done.get("assets").get("video").isNull()).isTrue();
    String image = done.get("assets").get("image").asText();
    assertThat(image).isEqualTo(sandbox.baseUrl() + "/files/" + id + ".png");
    ByteBuffer png = ByteBuffer.wrap(download(image));
    assertThat(png.getInt(16)).as("width").isEqualTo(576);
    assertThat(png.getInt(20)).as("height").isEqualTo(1024);
  }

  @Test
  void failedGenerationCarriesTheFailureReason() {
    JsonNode failed = awaitState(create("/generations/video",
        "{\"model\":\"ray-2\",\"sandbox\":{\"fail\":\"Prompt not allowed\"}}").get("id").asText(), "failed");
    assertThat(failed.get("failure_reason").asText()).isEqualTo("Prompt not allowed");
    assertThat(failed.get("assets").isNull()).isTrue();

    JsonNode marked = awaitState(create("/generations/image", "{\"model\":\"photon-1\",\"prompt\":\"[fail]\"}")
        .get("id").asText(), "failed");
    assertThat(marked.get("failure_reason").asText()).contains("[fail]");
  }

  @Test
  void deleteRemovesAGenerationEvenWhileDreaming() {
    String dreaming = create("/generations/video", "{\"model\":\"ray-2\",\"sandbox\":{\"durationMs\":3000}}").get("id").asText();
    awaitState(dreaming, "dreaming");

    Reply deleted = call("DELETE", "/generations/" + dreaming, null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.response().body()).isEmpty();
    assertDetail(call("GET", "/generations/" + dreaming, null), 404, "Generation not found");
    assertDetail(call("DELETE", "/generations/" + dreaming, null), 404, "Generation not found");

    String completed = create("/generations/video", "{\"model\":\"ray-2\",\"sandbox\":{\"durationMs\":0}}").get("id").asText();
    awaitState(completed, "completed");
    assertThat(call("DELETE", "/generations/" + completed, null).status()).isEqualTo(204);
    assertDetail(call("GET", "/generations/" + completed, null), 404, "Generation not found");
  }

  @Test
  void firstPollsAreRateLimited() {
    String id = create("/generations/video", "{\"model\":\"ray-2\",\"sandbox\":{\"rateLimitPolls\":1,\"retryAfterSeconds\":5}}")
        .get("id").asText();

    Reply limited = call("GET", "/generations/" + id, null);
    assertDetail(limited, 429, "Too many requests");
    assertThat(limited.header("Retry-After")).isEqualTo("5");
    assertThat(call("GET", "/generations/" + id, null).status()).isEqualTo(200);
  }

  @Test
  void requestsWithoutABearerKeyAreUnauthorized() {
    assertDetail(call("POST", "/generations/video", "{\"model\":\"ray-2\"}", null), 401, "Invalid API key is provided");
    assertDetail(call("GET", "/generations/" + UUID.randomUUID(), null, "Basic abc"), 401, "Invalid API key is provided");
  }

  @Test
  void invalidBodiesUnknownIdsAndRoutesAreRefusedWithADetail() {
    assertDetail(call("POST", "/generations/video", "{\"prompt\":\"no model\"}"), 400, "model is required");
    assertDetail(call("POST", "/generations/image", "{\"model\":\"\"}"), 400, "model is required");
    assertDetail(call("POST", "/generations/video", "{\"model\":\"ray-2\",\"callback_url\":42}"), 400,
        "callback_url must be a string");
    assertThat(call("POST", "/generations/video", "{\"model\":\"ray-2\",\"aspect_ratio\":\"2:1\"}").status()).isEqualTo(400);
    assertThat(call("POST", "/generations/video", "{\"model\":").json().get("detail").asText()).startsWith("Invalid JSON");
    assertThat(call("POST", "/generations/video", "{\"model\":\"ray-2\",\"sandbox\":{\"nope\":1}}").status()).isEqualTo(400);
    assertDetail(call("GET", "/generations/" + UUID.randomUUID(), null), 404, "Generation not found");
    assertDetail(call("GET", "/credits", null), 404, "Not Found");
    assertDetail(call("GET", "/generations/video", null), 405, "Method Not Allowed");
    assertDetail(call("PUT", "/generations/x", null), 405, "Method Not Allowed");
    assertDetail(call("PUT", "/generations", null), 405, "Method Not Allowed"); // GET lists (ListEndpointsTest)
  }

  @Test
  void submitStatusForcesAnErrorAnswer() {
    assertDetail(call("POST", "/generations/video", "{\"model\":\"ray-2\",\"sandbox\":{\"submitStatus\":500}}"), 500,
        "Simulated HTTP 500 (sandbox.submitStatus)");
    Reply limited = call("POST", "/generations/video",
        "{\"model\":\"ray-2\",\"sandbox\":{\"submitStatus\":429,\"retryAfterSeconds\":6}}");
    assertDetail(limited, 429, "Too many requests");
    assertThat(limited.header("Retry-After")).isEqualTo("6");
  }
}
