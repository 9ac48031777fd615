package io.aigen.camunda.sandbox.doasync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DoAsyncInvokeSimulationTest {

  static final String KEY = "do-model-access-key";
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
    return http.call(method, sandbox.providerBaseUrl("do-async-invoke") + path, body, "Authorization", authorization);
  }

  private Reply call(String method, String path, String body) {
    return call(method, path, body, "Bearer " + KEY);
  }

  private static String invoke(String input) {
    return "{\"model_id\":\"fal-ai/flux/schnell\",\"input\":" + input + ",\"tags\":[{\"key\":\"type\",\"value\":\"test\"}]}";
  }

  private JsonNode submit(String input) {
    Reply reply = call("POST", "/v1/async-invoke", invoke(input));
    assertThat(reply.status()).as(reply.response().body()).isIn(200, 202);
    return reply.json();
  }

  private JsonNode awaitStatus(String id, String status) {
    Supplier<Reply> read = () -> {
      Reply reply = call("GET", "/v1/async-invoke/" + id, null);
      assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
      return reply;
    };
    return SandboxHttp.awaitMatch(read, reply -> reply.json().get("status").asText().equals(status), WAIT).json();
  }

  private static void assertError(Reply reply, int status, String id, String messagePart) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    assertThat(reply.json().get("id").asText()).isEqualTo(id);
    assertThat(reply.json().get("message").asText()).contains(messagePart);
  }

  @Test
  void submitIsAcceptedQueuedWithTheFullObject() {
    Reply reply = call("POST", "/v1/async-invoke", invoke("{\"prompt\":\"a city\",\"sandbox\":{\"durationMs\":2000}}"));

    assertThat(reply.status()).isEqualTo(202);
    JsonNode body = reply.json();
    String id = body.get("request_id").asText();
    assertThat(UUID.fromString(id)).hasToString(id);
    assertThat(body.get("status").asText()).isEqualTo("QUEUED");
    assertThat(body.get("model_id").asText()).isEqualTo("fal-ai/flux/schnell");
    assertThat(Instant.parse(body.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
    for (String empty : List.of("started_at", "completed_at", "output", "error")) {
      assertThat(body.get(empty).isNull()).as(empty).isTrue();
    }
    assertThat(body.size()).isEqualTo(8);
  }

  @Test
  void everyAnswerCarriesTheRateLimitHeaders() {
    Reply first = call("POST", "/v1/async-invoke", invoke("{}"));
    Reply second = call("GET", "/v1/async-invoke/" + first.json().get("request_id").asText(), null);
    Reply unauthorized = call("GET", "/v1/async-invoke/x", null, null);

    assertThat(first.header("ratelimit-limit")).isEqualTo("5000");
    int remaining = Integer.parseInt(first.header("ratelimit-remaining"));
    assertThat(Integer.parseInt(second.header("ratelimit-remaining"))).isEqualTo(remaining - 1);
    long reset = Long.parseLong(first.header("ratelimit-reset"));
    assertThat(reset).isBetween(Instant.now().getEpochSecond(), Instant.now().plusSeconds(3600).getEpochSecond());
    assertThat(unauthorized.header("ratelimit-remaining")).isEqualTo(Integer.toString(remaining - 2));
  }

  @Test
  void statusGoesFromQueuedToInProgressToCompletedWithFalOutput() {
    JsonNode submitted = submit(
        "{\"prompt\":\"a fox\",\"image_size\":\"landscape_4_3\",\"num_images\":2,\"seed\":9,\"sandbox\":{\"durationMs\":800}}");
    String id = submitted.get("request_id").asText();
    List<String> seen = new ArrayList<>();

    JsonNode completed;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode body = call("GET", "/v1/async-invoke/" + id, null).json();
      String status = body.get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
        if (status.equals("IN_PROGRESS")) {
          assertThat(body.get("started_at").isTextual()).isTrue();
          assertThat(body.get("completed_at").isNull()).isTrue();
          assertThat(body.get("output").isNull()).isTrue();
        }
      }
      if (status.equals("COMPLETED")) {
        completed = body;
        break;
      }
      assertThat(System.nanoTime()).as("still " + body).isLessThan(deadline);
      SandboxHttp.sleep(20);
    }

    assertThat(seen).containsExactly("QUEUED", "IN_PROGRESS", "COMPLETED");
    assertThat(Instant.parse(completed.get("completed_at").asText()))
        .isAfter(Instant.parse(completed.get("started_at").asText()));
    assertThat(completed.get("error").isNull()).isTrue();
    JsonNode output = completed.get("output");
    assertThat(output.get("seed").asLong()).isEqualTo(9);
    assertThat(output.get("images")).hasSize(2);
    JsonNode image = output.get("images").get(1);
    assertThat(image.get("url").asText()).isEqualTo(sandbox.baseUrl() + "/files/do-" + id + "-1.png");
    assertThat(image.get("content_type").asText()).isEqualTo("image/png");
    assertThat(image.get("width").asInt()).isEqualTo(1024);
    assertThat(image.get("height").asInt()).isEqualTo(768);
    HttpResponse<byte[]> png = http.send(http.request(image.get("url").asText()).GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
  }

  @Test
  void zeroDurationCompletesSynchronouslyWithHttp200() {
    Reply reply = call("POST", "/v1/async-invoke", invoke("{\"prompt\":\"now\",\"sandbox\":{\"durationMs\":0}}"));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.json();
    assertThat(body.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(body.get("started_at").asText()).isEqualTo(body.get("created_at").asText());
    assertThat(body.get("completed_at").asText()).isEqualTo(body.get("created_at").asText());
    assertThat(body.get("output").get("images").get(0).get("width").asInt()).isEqualTo(512);
    assertThat(body.get("output").get("seed").asLong()).isEqualTo(42);
  }

  @Test
  void failureEndsFailedWithAnErrorString() {
    String id = submit("{\"prompt\":\"p\",\"sandbox\":{\"durationMs\":200,\"fail\":\"CUDA out of memory\"}}")
        .get("request_id").asText();

    JsonNode failed = awaitStatus(id, "FAILED");
    assertThat(failed.get("error").asText()).isEqualTo("CUDA out of memory");
    assertThat(failed.get("output").isNull()).isTrue();
    assertThat(failed.get("completed_at").isTextual()).isTrue();
  }

  @Test
  void failMarkerAndInvalidModelInputFailTheJob() {
    String marked = submit("{\"prompt\":\"a cat [fail]\"}").get("request_id").asText();
    String invalid = submit("{\"prompt\":\"p\",\"image_size\":\"huge\"}").get("request_id").asText();

    assertThat(awaitStatus(marked, "FAILED").get("error").asText()).contains("[fail]");
    assertThat(awaitStatus(invalid, "FAILED").get("error").asText()).startsWith("image_size: ");
  }

  @Test
  void slowMarkerMakesTheJobTenTimesLonger() {
    String id = submit("{\"prompt\":\"a cat [slow]\"}").get("request_id").asText();

    SandboxHttp.sleep(450);
    assertThat(call("GET", "/v1/async-invoke/" + id, null).json().get("status").asText()).isNotEqualTo("COMPLETED");
  }

  @Test
  void missingOrMalformedFieldsAreRejectedNamingTheField() {
    assertError(call("POST", "/v1/async-invoke", "{\"input\":{\"prompt\":\"p\"}}"), 400, "bad_request", "model_id");
    assertError(call("POST", "/v1/async-invoke", "{\"model_id\":\" \",\"input\":{}}"), 400, "bad_request", "model_id");
    assertError(call("POST", "/v1/async-invoke", "{\"model_id\":\"fal-ai/flux/schnell\"}"), 400, "bad_request", "input");
    assertError(call("POST", "/v1/async-invoke", "{\"model_id\":\"m\",\"input\":\"p\"}"), 400, "bad_request", "input");
    assertError(call("POST", "/v1/async-invoke", "{\"model_id\":\"m\",\"input\":{},\"tags\":[{\"key\":1}]}"),
        400, "bad_request", "tags");
    assertError(call("POST", "/v1/async-invoke", "{\"model_id\":"), 400, "bad_request", "JSON");
    assertError(call("POST", "/v1/async-invoke", "[]"), 400, "bad_request", "object");
    assertError(call("POST", "/v1/async-invoke", invoke("{\"sandbox\":{\"durationMS\":1}}")), 400, "bad_request",
        "input.sandbox.durationMS");
    assertThat(call("POST", "/v1/async-invoke", "{\"model_id\":\"m\",\"input\":{}}").status()).isEqualTo(202);
  }

  @Test
  void unknownIdIsNotFoundAndThereIsNoCancel() {
    String id = submit("{}").get("request_id").asText();

    assertError(call("GET", "/v1/async-invoke/" + UUID.randomUUID(), null), 404, "not_found", "not found");
    for (String method : List.of("DELETE", "PUT", "POST")) {
      Reply reply = call(method, "/v1/async-invoke/" + id, null);
      assertError(reply, 405, "method_not_allowed", "GET");
      assertThat(reply.header("Allow")).isEqualTo("GET");
    }
    assertThat(call("GET", "/v1/async-invoke", null).header("Allow")).isEqualTo("POST");
    assertError(call("GET", "/v1/async-invoke/" + id + "/status", null), 404, "not_found", "could not be found");
  }

  @Test
  void firstPollsAreRateLimited() {
    String id = submit("{\"sandbox\":{\"rateLimitPolls\":2,\"retryAfterSeconds\":6}}").get("request_id").asText();

    for (int i = 0; i < 2; i++) {
      Reply limited = call("GET", "/v1/async-invoke/" + id, null);
      assertError(limited, 429, "too_many_requests", "Rate limit");
      assertThat(limited.header("Retry-After")).isEqualTo("6");
      assertThat(limited.header("ratelimit-remaining")).isEqualTo("0");
    }
    assertThat(call("GET", "/v1/async-invoke/" + id, null).status()).isEqualTo(200);
  }

  @Test
  void requestsWithoutABearerKeyAreUnauthorized() {
    assertError(call("POST", "/v1/async-invoke", invoke("{}"), null), 401, "unauthorized", "Bearer");
    assertError(call("POST", "/v1/async-invoke", invoke("{}"), "Key " + KEY), 401, "unauthorized", "Bearer");
    assertError(call("POST", "/v1/async-invoke", invoke("{}"), "Bearer "), 401, "unauthorized", "Bearer");
  }

  @Test
  void submitStatusForcesAnErrorAnswer() {
    assertError(call("POST", "/v1/async-invoke", invoke("{\"sandbox\":{\"submitStatus\":500}}")), 500, "server_error", "Simulated");
    Reply limited = call("POST", "/v1/async-invoke", invoke("{\"sandbox\":{\"submitStatus\":429,\"retryAfterSeconds\":3}}"));
    assertError(limited, 429, "too_many_requests", "Rate limit");
    assertThat(limited.header("Retry-After")).isEqualTo("3");
    assertThat(call("POST", "/v1/async-invoke", invoke("{\"sandbox\":{\"submitStatus\":202}}")).status()).isEqualTo(202);
  }
}
