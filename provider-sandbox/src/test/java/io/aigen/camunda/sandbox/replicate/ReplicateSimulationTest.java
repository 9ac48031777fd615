package io.aigen.camunda.sandbox.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicateSimulationTest {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String HEX = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";
  static final String TOKEN = "Bearer r8_test";

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

  private String api() {
    return sandbox.providerBaseUrl("replicate");
  }

  private Reply call(String method, String path, String body, String... headers) {
    return http.call(method, api() + path, body, headers);
  }

  private Reply create(String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = TOKEN;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return call("POST", "/predictions", body, all);
  }

  private JsonNode created(String body, String... headers) {
    Reply reply = create(body, headers);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(201);
    return reply.json();
  }

  private Reply get(String url) {
    return http.send(http.request(url).header("Authorization", TOKEN).GET());
  }

  private Reply pollUntil(String url, Predicate<Reply> done) {
    return SandboxHttp.awaitMatch(() -> get(url), done, WAIT);
  }

  private JsonNode awaitTerminal(JsonNode prediction) {
    return pollUntil(prediction.get("urls").get("get").asText(), reply -> {
      String status = reply.json().get("status").asText();
      return !status.equals("starting") && !status.equals("processing");
    }).json();
  }

  private static void assertProblem(Reply reply, int status, String title) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    JsonNode body = reply.json();
    assertThat(body.get("type").asText()).isEqualTo("about:blank");
    assertThat(body.get("title").asText()).isEqualTo(title);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("detail").asText()).isNotBlank();
  }

  @Test
  void createAnswers201WithAStartingPrediction() {
    Reply reply = create("{\"version\":\"acme/flux:" + HEX + "\",\"input\":{\"prompt\":\"a cat\"}}");

    assertThat(reply.status()).isEqualTo(201);
    JsonNode p = reply.json();
    String id = p.get("id").asText();
    assertThat(id).matches("[a-z2-7]{26}");
    assertThat(p.get("model").asText()).isEqualTo("acme/flux");
    assertThat(p.get("version").asText()).isEqualTo(HEX);
    assertThat(p.get("input")).isEqualTo(SandboxHttp.json("{\"prompt\":\"a cat\"}"));
    assertThat(p.get("status").asText()).isEqualTo("starting");
    assertThat(p.get("output").isNull()).isTrue();
    assertThat(p.get("error").isNull()).isTrue();
    assertThat(p.get("logs").asText()).isEmpty();
    assertThat(p.get("data_removed").asBoolean()).isFalse();
    assertThat(Instant.parse(p.get("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(p.get("started_at").isNull()).isTrue();
    assertThat(p.get("completed_at").isNull()).isTrue();
    assertThat(p.get("deadline").isNull()).isTrue();
    assertThat(p.get("deployment").isNull()).isTrue();
    assertThat(p.has("metrics")).isFalse();
    assertThat(p.get("urls").get("get").asText()).isEqualTo(api() + "/predictions/" + id);
    assertThat(p.get("urls").get("cancel").asText()).isEqualTo(api() + "/predictions/" + id + "/cancel");
    assertThat(p.get("urls").get("web").asText()).isEqualTo(api() + "/p/" + id);
    assertThat(p.get("urls").has("stream")).isFalse();
  }

  @Test
  void theThreeCreateRoutesAndTheVersionForms() {
    JsonNode official = created("{\"version\":\"acme/flux\",\"input\":{}}");
    assertThat(official.get("model").asText()).isEqualTo("acme/flux");
    assertThat(official.get("version").asText()).isEqualTo("hidden");

    JsonNode bare = created("{\"version\":\"" + HEX + "\",\"input\":{}}");
    assertThat(bare.get("model").asText()).isEqualTo("sandbox/5c7d5dc6");
    assertThat(bare.get("version").asText()).isEqualTo(HEX);

    Reply model = call("POST", "/models/black-forest-labs/flux-schnell/predictions", "{\"input\":{}}", "Authorization", TOKEN);
    assertThat(model.status()).isEqualTo(201);
    assertThat(model.json().get("model").asText()).isEqualTo("black-forest-labs/flux-schnell");
    assertThat(model.json().get("version").asText()).isEqualTo("hidden");

    Reply deployment = call("POST", "/deployments/acme/my-flux/predictions", "{\"input\":{}}", "Authorization", TOKEN);
    assertThat(deployment.status()).isEqualTo(201);
    assertThat(deployment.json().get("deployment").asText()).isEqualTo("acme/my-flux");
    assertThat(deployment.json().get("model").asText()).isEqualTo("acme/my-flux");
    assertThat(deployment.json().get("version").asText()).matches("[0-9a-f]{64}");
    Reply again = call("POST", "/deployments/acme/my-flux/predictions", "{\"input\":{}}", "Authorization", TOKEN);
    assertThat(again.json().get("version")).as("a deployment pins one version").isEqualTo(deployment.json().get("version"));
  }

  @Test
  void statusGoesStartingProcessingSucceededWithImageUrls() {
    JsonNode created = created("{\"version\":\"acme/flux\",\"input\":{\"prompt\":\"two cats\",\"num_outputs\":2,"
        + "\"width\":64,\"height\":48,\"sandbox\":{\"durationMs\":1000}}}");
    List<String> seen = new ArrayList<>();

    JsonNode done = pollUntil(created.get("urls").get("get").asText(), reply -> {
      String status = reply.json().get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
      }
      return status.equals("succeeded");
    }).json();

    assertThat(seen).containsExactly("starting", "processing", "succeeded");
    String id = created.get("id").asText();
    assertThat(done.get("output")).hasSize(2);
    assertThat(done.get("output").get(1).asText()).isEqualTo(sandbox.baseUrl() + "/files/" + id + "-1.png");
    assertThat(done.get("error").isNull()).isTrue();
    assertThat(done.get("logs").asText()).contains("Running acme/flux").contains("succeeded");
    Instant createdAt = Instant.parse(done.get("created_at").asText());
    Instant startedAt = Instant.parse(done.get("started_at").asText());
    Instant completedAt = Instant.parse(done.get("completed_at").asText());
    assertThat(Duration.between(createdAt, startedAt).toMillis()).isEqualTo(200);
    assertThat(Duration.between(createdAt, completedAt).toMillis()).isEqualTo(1000);
    assertThat(done.get("metrics").get("predict_time").asDouble()).isCloseTo(0.8, offset(0.001));
    assertThat(done.get("metrics").get("total_time").asDouble()).isCloseTo(1.0, offset(0.001));

    HttpResponse<byte[]> png = http.send(http.request(done.get("output").get(0).asText()).GET(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(new String(png.body(), 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("PNG");
  }

  @Test
  void videoAndAudioModelsAnswerOneFileUrl() {
    JsonNode video = awaitTerminal(created("{\"version\":\"minimax/video-01\",\"input\":{\"prompt\":\"waves\"}}"));
    JsonNode audio = awaitTerminal(created("{\"version\":\"meta/musicgen\",\"input\":{\"prompt\":\"jazz\"}}"));

    assertThat(video.get("output").asText()).isEqualTo(sandbox.baseUrl() + "/files/" + video.get("id").asText() + ".mp4");
    HttpResponse<byte[]> mp4 = http.send(http.request(video.get("output").asText()).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(mp4.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(new String(mp4.body(), StandardCharsets.ISO_8859_1)).contains("ftyp").contains("waves");
    assertThat(audio.get("output").asText()).endsWith(audio.get("id").asText() + ".mp3");
  }

  @Test
  void failedPredictionCarriesTheError() {
    JsonNode failed = awaitTerminal(created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"fail\":\"CUDA out of memory\"}}}"));

    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error").asText()).isEqualTo("CUDA out of memory");
    assertThat(failed.get("output").isNull()).isTrue();
    assertThat(failed.get("logs").asText()).contains("CUDA out of memory");
    assertThat(failed.get("metrics").has("predict_time")).isTrue();

    JsonNode marked = awaitTerminal(created("{\"version\":\"acme/flux\",\"input\":{\"prompt\":\"a cat [fail]\"}}"));
    assertThat(marked.get("status").asText()).isEqualTo("failed");
    assertThat(marked.get("error").asText()).contains("[fail]");
  }

  @Test
  void cancelStopsAPredictionThatIsNotTerminalAndLeavesATerminalOneAlone() {
    JsonNode starting = created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"durationMs\":5000}}}");
    Reply canceled = call("POST", "/predictions/" + starting.get("id").asText() + "/cancel", null, "Authorization", TOKEN);
    assertThat(canceled.status()).isEqualTo(200);
    JsonNode c = canceled.json();
    assertThat(c.get("status").asText()).isEqualTo("canceled");
    assertThat(c.get("started_at").isNull()).isTrue();
    assertThat(c.get("completed_at").isNull()).isFalse();
    assertThat(c.get("metrics").has("predict_time")).isFalse();
    assertThat(c.get("output").isNull()).isTrue();
    assertThat(get(starting.get("urls").get("get").asText()).json().get("status").asText()).isEqualTo("canceled");

    JsonNode running = created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"durationMs\":2000}}}");
    pollUntil(running.get("urls").get("get").asText(),
        r -> r.json().get("status").asText().equals("processing"));
    JsonNode stopped = call("POST", "/predictions/" + running.get("id").asText() + "/cancel", null,
        "Authorization", TOKEN).json();
    assertThat(stopped.get("status").asText()).isEqualTo("canceled");
    assertThat(stopped.get("started_at").isNull()).isFalse();
    assertThat(stopped.get("metrics").get("predict_time").asDouble()).isLessThan(1.8);

    JsonNode done = awaitTerminal(created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"durationMs\":0}}}"));
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    JsonNode unchanged = call("POST", "/predictions/" + done.get("id").asText() + "/cancel", null,
        "Authorization", TOKEN).json();
    assertThat(unchanged.get("status").asText()).isEqualTo("succeeded");
    assertThat(unchanged.get("output")).isEqualTo(done.get("output"));
  }

  @Test
  void cancelAfterAbortsBeforeStartAndCancelsWhileRunning() {
    JsonNode queued = created("{\"version\":\"acme/flux\",\"input\":{\"prompt\":\"x [slow]\"}}", "Cancel-After", "100ms");
    Instant deadline = Instant.parse(queued.get("deadline").asText());
    assertThat(Duration.between(Instant.parse(queued.get("created_at").asText()), deadline).toMillis()).isEqualTo(100);
    JsonNode aborted = awaitTerminal(queued);
    assertThat(aborted.get("status").asText()).isEqualTo("aborted");
    assertThat(aborted.get("started_at").isNull()).isTrue();
    assertThat(aborted.get("completed_at").asText()).isEqualTo(queued.get("deadline").asText());
    assertThat(aborted.get("metrics").has("predict_time")).isFalse();
    assertThat(aborted.get("metrics").get("total_time").asDouble()).isCloseTo(0.1, offset(0.001));

    JsonNode running = created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"durationMs\":1000}}}",
        "Cancel-After", "0.5s");
    JsonNode canceled = awaitTerminal(running);
    assertThat(canceled.get("status").asText()).isEqualTo("canceled");
    assertThat(canceled.get("metrics").get("predict_time").asDouble()).isCloseTo(0.3, offset(0.001));

    JsonNode inTime = awaitTerminal(created("{\"version\":\"acme/flux\",\"input\":{}}", "Cancel-After", "1m"));
    assertThat(inTime.get("status").asText()).isEqualTo("succeeded");

    assertProblem(create("{\"version\":\"acme/flux\",\"input\":{}}", "Cancel-After", "soon"), 400,
        "Invalid Cancel-After header");
    assertProblem(create("{\"version\":\"acme/flux\",\"input\":{}}", "Cancel-After", "0s"), 400,
        "Invalid Cancel-After header");
  }

  @Test
  void preferWaitHoldsTheCreateUntilTheOutcome() {
    JsonNode quick = created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"durationMs\":200}}}", "Prefer", "wait");
    assertThat(quick.get("status").asText()).isEqualTo("succeeded");
    assertThat(quick.get("output")).hasSize(1);

    JsonNode failing = created("{\"version\":\"acme/flux\",\"input\":{\"prompt\":\"[fail]\"}}", "Prefer", "wait=5");
    assertThat(failing.get("status").asText()).isEqualTo("failed");

    long start = System.nanoTime();
    JsonNode clamped = created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"durationMs\":3000}}}", "Prefer", "wait=0");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("wait=0 is clamped to 1 s").isBetween(1000L, 2500L);
    assertThat(clamped.get("status").asText()).isEqualTo("processing");
  }

  @Test
  void firstPollsAreThrottled() {
    JsonNode created = created("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"rateLimitPolls\":2,\"retryAfterSeconds\":30}}}");
    String url = created.get("urls").get("get").asText();

    for (int i = 0; i < 2; i++) {
      Reply limited = get(url);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isEqualTo("30");
      assertThat(limited.json()).isEqualTo(
          SandboxHttp.json("{\"detail\":\"Request was throttled. Your rate limit resets in ~30s.\"}"));
    }
    assertThat(get(url).status()).isEqualTo(200);
  }

  @Test
  void requestsWithoutABearerTokenAreUnauthenticated() {
    JsonNode created = created("{\"version\":\"acme/flux\",\"input\":{}}");
    String body = "{\"version\":\"acme/flux\",\"input\":{}}";

    assertProblem(call("POST", "/predictions", body), 401, "Unauthenticated");
    assertProblem(call("POST", "/predictions", body, "Authorization", "Token r8_test"), 401, "Unauthenticated");
    assertProblem(call("GET", "/predictions/" + created.get("id").asText(), null, "Authorization", "Bearer"), 401,
        "Unauthenticated");
  }

  @Test
  void unknownPredictionsRoutesAndMethodsAreRefused() {
    assertProblem(call("GET", "/predictions/nosuchprediction", null, "Authorization", TOKEN), 404, "Not found");
    assertProblem(call("POST", "/predictions/nosuchprediction/cancel", null, "Authorization", TOKEN), 404, "Not found");
    assertProblem(call("GET", "/trainings", null, "Authorization", TOKEN), 404, "Not found");
    assertProblem(call("DELETE", "/predictions/x", null, "Authorization", TOKEN), 405, "Method not allowed");
  }

  @Test
  void invalidBodiesAreRefused() {
    assertProblem(create("{\"version\":\"acme/flux\"}"), 422, "Input validation failed");
    assertProblem(create("{\"version\":\"acme/flux\",\"input\":\"a cat\"}"), 422, "Input validation failed");
    assertProblem(create("{\"input\":{}}"), 422, "Input validation failed");
    Reply badVersion = create("{\"version\":\"not a version\",\"input\":{}}");
    assertProblem(badVersion, 422, "Invalid version or not permitted");
    assertThat(badVersion.json().get("detail").asText())
        .isEqualTo("The specified version does not exist (or perhaps you don't have permission to use it?)");
    assertProblem(create("{\"version\":\"acme/flux:abc\",\"input\":{}}"), 422, "Invalid version or not permitted");
    Reply tooMany = create("{\"version\":\"acme/flux\",\"input\":{\"num_outputs\":9}}");
    assertProblem(tooMany, 422, "Input validation failed");
    assertThat(tooMany.json().get("detail").asText()).startsWith("- num_outputs:");
    assertProblem(create("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"durationMS\":1}}}"), 422,
        "Input validation failed");
    assertProblem(create("{\"version\":"), 400, "Invalid JSON");
  }

  @Test
  void webhookSettingsAreAcceptedAndChecked() {
    JsonNode created = created("{\"version\":\"acme/flux\",\"input\":{},\"webhook\":\"https://example.invalid/hook\","
        + "\"webhook_events_filter\":[\"start\",\"completed\"]}");
    assertThat(created.get("status").asText()).isEqualTo("starting");

    assertProblem(create("{\"version\":\"acme/flux\",\"input\":{},\"webhook_events_filter\":[\"done\"]}"), 422,
        "Input validation failed");
    assertProblem(create("{\"version\":\"acme/flux\",\"input\":{},\"webhook\":\"not a url\"}"), 422,
        "Input validation failed");
  }

  @Test
  void submitStatusForcesAnErrorAnswer() {
    Reply unavailable = create("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"submitStatus\":503}}}");
    assertProblem(unavailable, 503, "Internal server error");

    Reply limited = create("{\"version\":\"acme/flux\",\"input\":{\"sandbox\":{\"submitStatus\":429,\"retryAfterSeconds\":7}}}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("7");
    assertThat(limited.json().get("detail").asText()).startsWith("Request was throttled.");
  }

  @Test
  void webUrlIsAPageWithoutAToken() {
    JsonNode created = created("{\"version\":\"acme/flux\",\"input\":{}}");

    Reply page = http.get(created.get("urls").get("web").asText());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.response().body()).contains(created.get("id").asText());
  }
}
