package io.aigen.camunda.sandbox.fal;

import static io.aigen.camunda.sandbox.SandboxHttp.hasStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FalQueueSimulationTest {

  static final String KEY = "key-id:key-secret";
  static final Duration WAIT = Duration.ofSeconds(5);

  private ProviderSandbox sandbox;
  private final SandboxHttp fal = new SandboxHttp(KEY);

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(
        SandboxOptions.defaults().withFalKey(KEY).withDefaultJobDuration(Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private JsonNode submit(String app, String body) {
    Reply reply = fal.post(sandbox.falBaseUrl() + "/" + app, body);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json();
  }

  private Reply awaitCompleted(JsonNode submitted) {
    return fal.pollUntil(submitted.get("status_url").asText(), r -> hasStatus(r, "COMPLETED"), WAIT);
  }

  @Test
  void submitAnswersAbsoluteUrlsWithoutTheSubpath() {
    Reply reply = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{\"prompt\":\"a red fox\"}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.json();
    String id = body.get("request_id").asText();
    assertThat(UUID.fromString(id)).hasToString(id);
    String requestUrl = sandbox.baseUrl() + "/fal/fal-ai/flux/requests/" + id;
    assertThat(body.get("response_url").asText()).isEqualTo(requestUrl);
    assertThat(body.get("status_url").asText()).isEqualTo(requestUrl + "/status");
    assertThat(body.get("cancel_url").asText()).isEqualTo(requestUrl + "/cancel");
    assertThat(body.get("queue_position").asInt()).isZero();
    assertThat(body.has("gateway_request_id")).isFalse();
    assertThat(reply.header("x-fal-request-id")).isEqualTo(id);
  }

  @Test
  void namespacedAppsKeepTheNamespaceInTheirUrls() {
    JsonNode body = submit("workflows/acme/pipeline/step-one", "{}");

    assertThat(body.get("status_url").asText())
        .isEqualTo(sandbox.falBaseUrl() + "/workflows/acme/pipeline/requests/" + body.get("request_id").asText() + "/status");
    assertThat(fal.get(body.get("status_url").asText()).status()).isIn(200, 202);
  }

  @Test
  void statusGoesFromInQueueToInProgressToCompleted() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{\"prompt\":\"p\",\"sandbox\":{\"durationMs\":1000}}");
    List<String> seen = new ArrayList<>();

    Reply last = fal.pollUntil(submitted.get("status_url").asText(), reply -> {
      String seenNow = reply.status() + " " + reply.json().get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(seenNow)) {
        seen.add(seenNow);
      }
      return reply.status() == 200;
    }, WAIT);

    assertThat(seen).containsExactly("202 IN_QUEUE", "202 IN_PROGRESS", "200 COMPLETED");
    JsonNode completed = last.json();
    assertThat(completed.get("metrics").get("inference_time").asDouble()).isCloseTo(0.8, offset(0.01));
    assertThat(completed.has("error")).isFalse();
    assertThat(completed.get("request_id").asText()).isEqualTo(submitted.get("request_id").asText());
    assertThat(completed.get("response_url").asText()).isEqualTo(submitted.get("response_url").asText());
  }

  @Test
  void logsAreListedOnlyWhenAsked() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{\"prompt\":\"p\",\"num_inference_steps\":4}");
    String statusUrl = submitted.get("status_url").asText();
    awaitCompleted(submitted);

    assertThat(fal.get(statusUrl).json().get("logs").isNull()).isTrue();
    assertThat(fal.get(statusUrl + "?logs=0").json().get("logs").isNull()).isTrue();
    JsonNode logs = fal.get(statusUrl + "?logs=1").json().get("logs");
    assertThat(logs).hasSize(5); // "Running ..." + 4 steps
    assertThat(logs.get(4).get("message").asText()).isEqualTo("Step 4/4");
    assertThat(logs.get(0).get("source").asText()).isEqualTo("USER");
    assertThat(logs.get(0).get("level").asText()).isEqualTo("INFO");
    assertThat(logs.get(0).get("timestamp").asText()).endsWith("Z");
  }

  @Test
  void resultIsRefusedUntilCompletedThenHoldsTheImages() {
    JsonNode submitted = submit("fal-ai/flux/dev",
        "{\"prompt\":\"two cats\",\"image_size\":\"landscape_16_9\",\"num_images\":2,\"seed\":7}");
    String id = submitted.get("request_id").asText();

    Reply early = fal.get(submitted.get("response_url").asText());
    assertThat(early.status()).isEqualTo(400);
    assertThat(early.json().get("detail").asText()).isEqualTo("Request is still in progress");

    awaitCompleted(submitted);
    Reply result = fal.get(submitted.get("response_url").asText());
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.header("x-fal-request-id")).isEqualTo(id);
    JsonNode output = result.json();
    assertThat(output.has("status")).as("no envelope").isFalse();
    assertThat(output.get("seed").asLong()).isEqualTo(7);
    assertThat(output.get("prompt").asText()).isEqualTo("two cats");
    assertThat(output.get("images")).hasSize(2);
    JsonNode image = output.get("images").get(1);
    assertThat(image.get("url").asText()).isEqualTo(sandbox.baseUrl() + "/files/" + id + "-1.png");
    assertThat(image.get("content_type").asText()).isEqualTo("image/png");
    assertThat(image.get("width").asInt()).isEqualTo(1024);
    assertThat(image.get("height").asInt()).isEqualTo(576);
  }

  @Test
  void queuePositionCountsEarlierQueuedRequestsOfTheSameApp() {
    String body = "{\"sandbox\":{\"durationMs\":10000}}";
    List<Integer> positions = Stream.of("a/app", "a/app/sub", "a/app", "b/other")
        .map(app -> submit(app, body).get("queue_position").asInt())
        .toList();

    assertThat(positions).containsExactly(0, 1, 2, 0);
  }

  @Test
  void failedJobCompletesWithAnErrorAndItsResultAnswersTheModelError() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{\"prompt\":\"p\",\"sandbox\":{\"fail\":\"CUDA out of memory\"}}");

    Reply status = awaitCompleted(submitted);
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.json().get("error").asText()).isEqualTo("CUDA out of memory");
    assertThat(status.json().get("error_type").asText()).isEqualTo("runner_error");

    Reply result = fal.get(submitted.get("response_url").asText());
    assertThat(result.status()).isEqualTo(500);
    assertThat(result.json().get("detail").asText()).isEqualTo("CUDA out of memory");
    assertThat(result.json().get("error_type").asText()).isEqualTo("runner_error");
    assertThat(result.header("X-Fal-Error-Type")).isEqualTo("runner_error");
  }

  @Test
  void failTypesChooseTheResultStatus() {
    JsonNode validation = submit("fal-ai/flux/dev",
        "{\"sandbox\":{\"fail\":\"prompt is too long\",\"failType\":\"validation_error\"}}");
    JsonNode scheduling = submit("fal-ai/flux/dev",
        "{\"sandbox\":{\"fail\":\"no runner\",\"failType\":\"runner_scheduling_failure\"}}");
    awaitCompleted(validation);
    awaitCompleted(scheduling);

    Reply invalid = fal.get(validation.get("response_url").asText());
    assertThat(invalid.status()).isEqualTo(422);
    JsonNode detail = invalid.json().get("detail").get(0);
    assertThat(detail.get("loc").toString()).isEqualTo("[\"body\",\"prompt\"]");
    assertThat(detail.get("msg").asText()).isEqualTo("prompt is too long");
    assertThat(detail.get("type").asText()).isEqualTo("value_error");
    assertThat(fal.get(scheduling.get("response_url").asText()).status()).isEqualTo(503);
  }

  @Test
  void failMarkerInThePromptFailsTheJob() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{\"prompt\":\"a cat [fail]\"}");

    JsonNode status = awaitCompleted(submitted).json();
    assertThat(status.get("error").asText()).contains("[fail]");
    assertThat(fal.get(submitted.get("response_url").asText()).status()).isEqualTo(500);
  }

  @Test
  void slowMarkerInThePromptMakesTheJobTenTimesLonger() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{\"prompt\":\"a cat [slow]\"}");

    SandboxHttp.sleep(450);
    assertThat(fal.get(submitted.get("status_url").asText()).status()).isEqualTo(202);
  }

  @Test
  void invalidModelInputFailsTheJobWithAValidationError() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{\"prompt\":\"p\",\"image_size\":\"huge\"}");

    assertThat(awaitCompleted(submitted).json().get("error_type").asText()).isEqualTo("validation_error");
    Reply result = fal.get(submitted.get("response_url").asText());
    assertThat(result.status()).isEqualTo(422);
    assertThat(result.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"image_size\"]");
  }

  @Test
  void cancelAnswersAccordingToTheJobState() {
    String longJob = "{\"sandbox\":{\"durationMs\":5000}}";
    JsonNode queued = submit("fal-ai/flux/dev", longJob);
    Reply cancelQueued = fal.put(queued.get("cancel_url").asText());
    assertThat(cancelQueued.status()).isEqualTo(200);
    assertThat(cancelQueued.json().get("status").asText()).isEqualTo("OK");
    JsonNode cancelled = fal.get(queued.get("status_url").asText()).json();
    assertThat(cancelled.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(cancelled.get("error").asText()).isEqualTo("Request was cancelled");
    assertThat(cancelled.get("error_type").asText()).isEqualTo("cancelled");
    assertThat(fal.get(queued.get("response_url").asText()).status()).isEqualTo(400);

    JsonNode running = submit("fal-ai/flux/dev", "{\"sandbox\":{\"durationMs\":1500}}");
    fal.pollUntil(running.get("status_url").asText(), r -> hasStatus(r, "IN_PROGRESS"), WAIT);
    Reply cancelRunning = fal.put(running.get("cancel_url").asText());
    assertThat(cancelRunning.status()).isEqualTo(202);
    assertThat(cancelRunning.json().get("status").asText()).isEqualTo("CANCELLATION_REQUESTED");
    assertThat(awaitCompleted(running).json().get("error_type").asText()).isEqualTo("cancelled");

    JsonNode done = submit("fal-ai/flux/dev", "{\"sandbox\":{\"durationMs\":0}}");
    Reply cancelDone = fal.put(done.get("cancel_url").asText());
    assertThat(cancelDone.status()).isEqualTo(400);
    assertThat(cancelDone.json().get("status").asText()).isEqualTo("ALREADY_COMPLETED");
    assertThat(fal.put(running.get("cancel_url").asText()).json().get("status").asText()).isEqualTo("ALREADY_COMPLETED");

    Reply unknown = fal.put(sandbox.falBaseUrl() + "/fal-ai/flux/requests/" + UUID.randomUUID() + "/cancel");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("status").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void firstStatusPollsAreRateLimited() {
    JsonNode submitted = submit("fal-ai/flux/dev",
        "{\"sandbox\":{\"rateLimitPolls\":2,\"retryAfterSeconds\":1}}");
    String statusUrl = submitted.get("status_url").asText();

    for (int i = 0; i < 2; i++) {
      Reply limited = fal.get(statusUrl);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isEqualTo("1");
      assertThat(limited.json().get("detail").asText()).isEqualTo("Rate limited");
    }
    assertThat(fal.get(statusUrl).status()).isIn(200, 202);
  }

  @Test
  void requestsWithoutTheRightKeyAreUnauthorized() {
    String submitUrl = sandbox.falBaseUrl() + "/fal-ai/flux/dev";
    JsonNode submitted = submit("fal-ai/flux/dev", "{}");

    for (SandboxHttp client : List.of(new SandboxHttp(null), new SandboxHttp("wrong"))) {
      Reply reply = client.post(submitUrl, "{}");
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.json().get("detail").asText()).isNotBlank();
      assertThat(client.get(submitted.get("status_url").asText()).status()).isEqualTo(401);
    }
    Reply bearer = fal.send(HttpRequest.newBuilder(URI.create(submitUrl))
        .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(bearer.status()).isEqualTo(401);
  }

  @Test
  void anyNonBlankKeyIsAcceptedWhenNoKeyIsConfigured() {
    try (ProviderSandbox open = ProviderSandbox.start(SandboxOptions.defaults())) {
      assertThat(new SandboxHttp("anything").post(open.falBaseUrl() + "/fal-ai/flux/dev", "{}").status()).isEqualTo(200);
      assertThat(new SandboxHttp(null).post(open.falBaseUrl() + "/fal-ai/flux/dev", "{}").status()).isEqualTo(401);
    }
  }

  @Test
  void unparseableBodiesAreRejectedFastApiStyle() {
    String submitUrl = sandbox.falBaseUrl() + "/fal-ai/flux/dev";

    Reply badJson = fal.post(submitUrl, "{\"prompt\": ");
    assertThat(badJson.status()).isEqualTo(422);
    JsonNode detail = badJson.json().get("detail").get(0);
    assertThat(detail.get("loc").toString()).isEqualTo("[\"body\"]");
    assertThat(detail.get("type").asText()).isEqualTo("value_error.jsondecode");
    assertThat(detail.get("msg").asText()).isNotBlank();

    assertThat(fal.post(submitUrl, "[1,2]").json().get("detail").get(0).get("type").asText()).isEqualTo("type_error.dict");
    assertThat(fal.post(submitUrl, "").status()).isEqualTo(422);
    Reply unknownKnob = fal.post(submitUrl, "{\"sandbox\":{\"durationMS\":10}}");
    assertThat(unknownKnob.status()).isEqualTo(422);
    assertThat(unknownKnob.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"sandbox\",\"durationMS\"]");
  }

  @Test
  void submitStatusForcesAnErrorAnswer() {
    String submitUrl = sandbox.falBaseUrl() + "/fal-ai/flux/dev";

    Reply unavailable = fal.post(submitUrl, "{\"sandbox\":{\"submitStatus\":503}}");
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.json().get("error_type").asText()).isEqualTo("runner_scheduling_failure");
    assertThat(unavailable.header("X-Fal-Error-Type")).isEqualTo("runner_scheduling_failure");
    assertThat(unavailable.header("x-fal-request-id")).isNull();

    Reply invalid = fal.post(submitUrl, "{\"sandbox\":{\"submitStatus\":422}}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.json().get("detail").isArray()).isTrue();
    Reply limited = fal.post(submitUrl, "{\"sandbox\":{\"submitStatus\":429,\"retryAfterSeconds\":5}}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("5");
  }

  @Test
  void queueCallsOnTheSubpathOrAnotherAppOrAnUnknownIdAreNotFound() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{}");
    String id = submitted.get("request_id").asText();
    String base = sandbox.falBaseUrl();

    Reply subpath = fal.get(base + "/fal-ai/flux/dev/requests/" + id + "/status");
    assertThat(subpath.status()).isEqualTo(404);
    assertThat(subpath.json().get("detail").asText()).contains("subpath");
    assertThat(fal.get(base + "/fal-ai/other/requests/" + id + "/status").json().get("detail").asText())
        .isEqualTo("Request not found");
    Reply unknown = fal.get(base + "/fal-ai/flux/requests/" + UUID.randomUUID());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("detail").asText()).isEqualTo("Request not found");
    assertThat(fal.get(base + "/fal-ai/flux/dev").status()).isEqualTo(405);
    assertThat(fal.get(base + "/fal-ai").status()).isEqualTo(404);
  }

  @Test
  void startDeadlineExpiringInTheQueueEndsAsRequestTimeout() {
    Reply reply = fal.send(fal.request(sandbox.falBaseUrl() + "/fal-ai/flux/dev")
        .header("x-fal-request-timeout", "0.2")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sandbox\":{\"durationMs\":5000}}")));
    JsonNode submitted = reply.json();

    JsonNode status = awaitCompleted(submitted).json();
    assertThat(status.get("error_type").asText()).isEqualTo("request_timeout");
    Reply result = fal.get(submitted.get("response_url").asText());
    assertThat(result.status()).isEqualTo(504);
    assertThat(result.header("X-Fal-Request-Timeout-Type")).isEqualTo("user");
  }

  @Test
  void webhookRequestIsAcknowledgedWithAGatewayRequestId() {
    JsonNode submitted = submit("fal-ai/flux/dev?fal_webhook=https%3A%2F%2Fexample.invalid%2Fhook", "{}");

    assertThat(submitted.get("gateway_request_id").asText()).isEqualTo(submitted.get("request_id").asText());
  }

  @Test
  void statusStreamSendsEachChangeAndClosesAfterCompletion() {
    JsonNode submitted = submit("fal-ai/flux/dev", "{\"sandbox\":{\"durationMs\":600}}");

    HttpResponse<Stream<String>> response = fal.send(
        fal.request(submitted.get("status_url").asText() + "/stream").GET(), HttpResponse.BodyHandlers.ofLines());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    List<String> statuses = response.body()
        .filter(line -> line.startsWith("data: "))
        .map(line -> SandboxHttp.json(line.substring(6)).get("status").asText())
        .distinct()
        .toList();
    assertThat(statuses).endsWith("IN_PROGRESS", "COMPLETED");
  }
}
