package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.EnginePace;
import static io.aigen.camunda.connector.support.FalFixture.APP_PATH;
import static io.aigen.camunda.connector.support.FalFixture.KEY;
import static io.aigen.camunda.connector.support.FalFixture.REQUEST_ID;
import static io.aigen.camunda.connector.support.FalFixture.json;
import static io.aigen.camunda.connector.support.FalFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.JobStatus;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.support.FalFixture;
import io.aigen.camunda.connector.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fal queue protocol (docs/providers.md §1) against a MockWebServer playing fal. */
class FalQueueProtocolTest {

  private static final String MODEL = "fal-ai/flux/dev";
  private static final JsonNode INPUT = parse("{\"prompt\":\"a cat on a skateboard\",\"num_images\":2}");

  private MockWebServer server;
  private MutableClock clock;
  private PollSpec spec;
  private GenerationClient client;

  @BeforeEach
  void start() {
    server = FalFixture.server();
    clock = MutableClock.at("2026-08-01T10:00:00Z");
    spec = FalFixture.specWithoutJitter(server);
    client = FalFixture.client(spec, clock);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private JobHandle submitted() throws InterruptedException {
    server.enqueue(json(200, FalFixture.submitAnswer(server)));
    JobHandle handle = client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);
    server.takeRequest(1, TimeUnit.SECONDS);
    return clock.toFirstPoll(spec.timing(), handle);
  }

  private WaitStep waitStep() {
    return new WaitStep(client, spec.timing(), EnginePace.STEADY, clock);
  }

  private static String status(String status, String extra) {
    return """
        {"status":"%s",%s"request_id":"%s","response_url":"x","status_url":"x","cancel_url":"x"}"""
        .formatted(status, extra.isEmpty() ? "" : extra + ",", REQUEST_ID);
  }

  @Nested
  class Submit {

    @Test
    void postsToModelPathIncludingSubPathWithKeyAuthAndTheInputAsBody() throws Exception {
      server.enqueue(json(200, FalFixture.submitAnswer(server)));

      JobHandle handle = client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest submit = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(submit.getMethod()).isEqualTo("POST");
      assertThat(submit.getPath()).isEqualTo("/fal-ai/flux/dev");
      assertThat(submit.getHeader("Authorization")).isEqualTo("Key test-key");
      assertThat(submit.getHeader("Content-Type")).startsWith("application/json");
      assertThat(parse(submit.getBody().readUtf8())).isEqualTo(INPUT);
      assertThat(handle.provider()).isEqualTo("fal");
      assertThat(handle.jobId()).isEqualTo(REQUEST_ID);
      assertThat(handle.model()).isEqualTo(MODEL);
      assertThat(handle.submittedAt()).isEqualTo(Instant.parse("2026-08-01T10:00:00Z"));
    }

    @Test
    void handleTakesStatusResultAndCancelUrlsFromTheAnswerWhichHaveNoSubPath() throws Exception {
      JobHandle handle = submitted();

      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url(APP_PATH + "/status?logs=1").toString());
      assertThat(handle.parts().get(0).resultUrl()).isEqualTo(server.url(APP_PATH).toString());
      assertThat(handle.parts().get(0).cancelUrl()).isEqualTo(server.url(APP_PATH + "/cancel").toString());
      assertThat(handle.parts().get(0).statusUrl()).doesNotContain("/dev/").doesNotContain("flux/dev");
    }

    @Test
    void urlsAreNeverRebuiltFromTheModelEvenWhenTheyLookNothingLikeIt() throws Exception {
      // fal: "do not build these URLs, use status_url/response_url/cancel_url from the submit response".
      server.enqueue(
          json(200, FalFixture.submitAnswer(
              server.url("/elsewhere/q/abc/status?logs=1").toString(), server.url("/elsewhere/q/abc/out").toString(), server.url("/elsewhere/q/abc/stop").toString())));
      JobHandle handle = client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);
      server.takeRequest(1, TimeUnit.SECONDS);
      server.enqueue(json(202, status("IN_PROGRESS", "")));
      server.enqueue(json(200, "{\"status\":\"OK\"}"));

      client.poll(handle);
      client.cancel(handle);

      assertThat(server.takeRequest(1, TimeUnit.SECONDS).getPath()).isEqualTo("/elsewhere/q/abc/status?logs=1");
      assertThat(server.takeRequest(1, TimeUnit.SECONDS).getPath()).isEqualTo("/elsewhere/q/abc/stop");
      assertThat(handle.parts().get(0).resultUrl()).endsWith("/elsewhere/q/abc/out");
    }

    @Test
    void jobIdIsRequestIdNotGatewayRequestIdWhichChangesWhenFalRetries() throws Exception {
      server.enqueue(
          json(200, FalFixture.submitAnswer(server).replace("\"queue_position\"", "\"gateway_request_id\":\"retry-2\",\"queue_position\"")));

      JobHandle handle = client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);

      assertThat(handle.jobId()).isEqualTo(REQUEST_ID);
    }

    @Test
    void fastApiValidation422IsInvalidInputNamingInputWithFalsDetail() {
      server.enqueue(
          json(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}]}"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_INVALID_INPUT);
                assertThat(f.getMessage()).contains("'input'").contains("422").contains("field required").contains("prompt");
              });
    }

    @Test
    void validation422WithPlainStringDetailIsInvalidInputToo() {
      server.enqueue(json(422, "{\"detail\":\"image_url must be a URL\"}"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_INVALID_INPUT);
                assertThat(f.getMessage()).contains("'input'").contains("image_url must be a URL");
              });
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void wrongKeyIsProviderRejectedMentioningApiKeyWithoutLeakingTheKey(int code) {
      // The body echoes the key, as some gateways do: it must still not reach the message.
      server.enqueue(json(code, "{\"detail\":\"Invalid key: Key test-key\"}"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE))
          .isInstanceOf(ProviderRejected.class)
          .hasMessageContaining("apiKey")
          .hasMessageContaining(String.valueOf(code))
          .hasMessageNotContaining(KEY);
    }

    @Test
    void unknownModel404IsInvalidInputNamingModel() {
      server.enqueue(json(404, "{\"detail\":\"Application 'nope' not found\"}"));

      assertThatThrownBy(() -> client.submit("fal-ai/nope", INPUT, GenerationClient.SubmitExtras.NONE))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_INVALID_INPUT);
                assertThat(f.getMessage()).contains("'model'").contains("fal-ai/nope");
              });
    }

    @Test
    void infrastructure503WithFalErrorTypeIsRetryableNotABpmnError() {
      server.enqueue(
          json(503, "{\"detail\":\"No runner available\",\"error_type\":\"runner_scheduling_failure\"}")
              .setHeader("X-Fal-Error-Type", "runner_scheduling_failure"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE))
          .isInstanceOf(ProviderUnavailable.class)
          .hasMessageContaining("runner_scheduling_failure");
    }

    @Test
    void answerWithoutRequestIdIsProviderRejected() {
      server.enqueue(json(200, "{\"status_url\":\"x\"}"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE)).isInstanceOf(ProviderRejected.class).hasMessageContaining("request_id");
    }

    @Test
    void answerWithoutStatusUrlIsProviderRejectedNamingThePlaceholder() {
      server.enqueue(json(200, "{\"request_id\":\"" + REQUEST_ID + "\"}"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE))
          .isInstanceOf(ProviderRejected.class)
          .hasMessageContaining("{startResult.body.status_url}");
    }
  }

  @Nested
  class StatusPoll {

    @Test
    void status202InQueueWithQueuePositionIsRunning() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(202, status("IN_QUEUE", "\"queue_position\":3")));

      JobStatus status = client.poll(handle);

      assertThat(status.phase()).isEqualTo(Phase.RUNNING);
      assertThat(status.providerStatus()).isEqualTo("IN_QUEUE");
      assertThat(status.progress().queuePosition()).isEqualTo(3);
      assertThat(status.error()).isNull();
      RecordedRequest poll = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(poll.getMethod()).isEqualTo("GET");
      assertThat(poll.getPath()).as("with logs, for the progress variable").isEqualTo(APP_PATH + "/status?logs=1");
      assertThat(poll.getHeader("Authorization")).isEqualTo("Key test-key");
    }

    @Test
    void status202InProgressWithLogsIsRunningAndWaitStepSaysPollAgainAfterTheInterval() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(
          json(202, status("IN_PROGRESS", "\"logs\":[{\"message\":\"step 3/28\",\"level\":\"INFO\",\"source\":\"USER\",\"timestamp\":\"2026-08-01T10:00:01Z\"}]")));

      WaitStep.Outcome outcome = waitStep().step(handle);

      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Pending.class,
          p -> {
            assertThat(p.providerStatus()).isEqualTo("IN_PROGRESS");
            assertThat(p.delay()).isEqualTo(Duration.ofSeconds(3));
            assertThat(p.progress().log()).isEqualTo("step 3/28");
            assertThat(p.handle()).isEqualTo(handle);
          });
    }

    @Test
    void completed200IsSucceededAndResultIsFetchedFromResponseUrlWithAllImageUrlsAndInferenceTime() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(200, status("COMPLETED", "\"logs\":null,\"metrics\":{\"inference_time\":4.2}")));
      String output =
          """
          {"images":[{"url":"https://v3.fal.media/files/a.png","content_type":"image/png","width":1024,"height":1024},
                     {"url":"https://v3.fal.media/files/b.png","content_type":"image/png","width":1024,"height":1024}],
           "seed":42,"has_nsfw_concepts":[false,false],"prompt":"a cat on a skateboard"}""";
      server.enqueue(json(200, output).setHeader("x-fal-request-id", REQUEST_ID));
      clock.advance(Duration.ofSeconds(7));

      WaitStep.Outcome outcome = waitStep().step(handle);

      server.takeRequest(1, TimeUnit.SECONDS); // status
      RecordedRequest result = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(result.getMethod()).isEqualTo("GET");
      assertThat(result.getPath()).isEqualTo(APP_PATH);
      assertThat(result.getHeader("Authorization")).isEqualTo("Key test-key");
      assertThat(outcome).isInstanceOf(WaitStep.Done.class);
      GenerationResult done = ((WaitStep.Done) outcome).result();
      assertThat(done.status()).isEqualTo("SUCCEEDED");
      assertThat(done.provider()).isEqualTo("fal");
      assertThat(done.jobId()).isEqualTo(REQUEST_ID);
      assertThat(done.outputs()).containsExactly("https://v3.fal.media/files/a.png", "https://v3.fal.media/files/b.png");
      assertThat(done.providerResult()).isEqualTo(parse(output));
      // submitted at 0, first poll due at 3 s, this one at 10 s: the schedule's second
      assertThat(done.metrics()).containsEntry("polls", 2).containsEntry("waitedMs", 10_000L);
      assertThat(done.metrics().get("provider")).isEqualTo(Map.of("inference_time", 4.2));
    }

    @Test
    void completedWithNullErrorFieldIsStillSuccess() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(200, status("COMPLETED", "\"error\":null,\"error_type\":null")));
      server.enqueue(json(200, "{\"video\":{\"url\":\"https://v3.fal.media/files/v.mp4\"}}"));

      WaitStep.Outcome outcome = waitStep().step(handle);

      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Done.class, d -> assertThat(d.result().outputs()).containsExactly("https://v3.fal.media/files/v.mp4"));
    }

    @Test
    void completedWithErrorIsFailedAndWaitStepThrowsGenerationFailedWithFalsMessage() throws Exception {
      // "Failure is not a status": fal reports COMPLETED + error/error_type.
      JobHandle handle = submitted();
      String failed = status("COMPLETED", "\"error\":\"Request timed out\",\"error_type\":\"request_timeout\"");
      String resultError = "{\"detail\":\"Request timed out\",\"error_type\":\"request_timeout\"}";
      server.enqueue(json(200, failed));
      server.enqueue(json(504, resultError));
      server.enqueue(json(200, failed));
      server.enqueue(json(504, resultError));

      JobStatus status = client.poll(handle);
      assertThat(status.phase()).isEqualTo(Phase.FAILED);
      assertThat(status.providerStatus()).isEqualTo("COMPLETED");
      assertThat(status.error()).as("the result's detail says nothing more").isEqualTo("Request timed out");

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED);
                assertThat(f.getMessage()).contains("Request timed out").contains(REQUEST_ID);
              });
      assertThat(server.getRequestCount()).as("submit + 2 × (status, result for the detail)").isEqualTo(5);
    }

    @Test
    void aModelErrorCarriesTheModelsDetailFromTheResultUrl() throws Exception {
      // The status says only "Invalid status code: 422"; the result URL answers with the model's own error.
      JobHandle handle = submitted();
      server.enqueue(json(200, status("COMPLETED", "\"error\":\"Invalid status code: 422\",\"error_type\":null")));
      server.enqueue(json(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}]}"));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED);
                assertThat(f.getMessage()).contains("Invalid status code: 422 (prompt: field required)").doesNotContain(KEY);
              });
      assertThat(server.takeRequest(1, TimeUnit.SECONDS).getPath()).isEqualTo(APP_PATH + "/status?logs=1");
      RecordedRequest result = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(result.getPath()).isEqualTo(APP_PATH);
      assertThat(result.getHeader("Authorization")).isEqualTo("Key " + KEY);
    }

    @Test
    void aFailureStandsAloneWhenTheResultUrlCannotBeRead() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(200, status("COMPLETED", "\"error\":\"Invalid status code: 422\"")));
      server.enqueue(new okhttp3.mockwebserver.MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AT_START));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(GenerationFailure.class, f -> assertThat(f.getMessage()).endsWith("failed: Invalid status code: 422"));
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "422|{\"detail\":[{\"loc\":[\"body\",\"image_size\"],\"msg\":\"value is not a valid enumeration member\",\"type\":\"type_error.enum\"}]}|value is not a valid enumeration member",
          "500|{\"detail\":\"CUDA out of memory\",\"error_type\":\"internal_error\"}|CUDA out of memory",
        })
    void resultErrorAfterCompletedIsGenerationFailedCarryingTheBody(int code, String body, String expected) throws Exception {
      // "If the model failed, the result call returns that error (same status code and body)".
      JobHandle handle = submitted();
      server.enqueue(json(200, status("COMPLETED", "")));
      server.enqueue(json(code, body));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED);
                assertThat(f.getMessage()).contains("HTTP " + code).contains(expected);
              });
    }

    @Test
    void resultExpiredAfterRetention404IsGenerationFailed() throws Exception {
      // Results are kept 1 hour (6 minutes when >= 10 KB): a late fetch finds nothing.
      JobHandle handle = submitted();
      server.enqueue(json(200, status("COMPLETED", "")));
      server.enqueue(json(404, "{\"detail\":\"Request not found\"}"));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED);
                assertThat(f.getMessage()).contains("HTTP 404");
              });
    }

    @Test
    void tooManyRequests429WithRetryAfterTwoSecondsIsPendingForExactlyTwoSeconds() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(429, "{\"detail\":\"Rate limit exceeded\"}").setHeader("Retry-After", "2"));

      WaitStep.Outcome outcome = waitStep().step(handle);

      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Pending.class,
          p -> {
            assertThat(p.delay()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.providerStatus()).isEqualTo("UNAVAILABLE");
            assertThat(p.handle()).isEqualTo(handle);
          });
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void transientServerErrorOnPollIsPendingAndTheNextGoodPollReadsTheStatus(int code) throws Exception {
      JobHandle handle = submitted();
      server.enqueue(
          json(code, "{\"detail\":\"Runner disconnected\",\"error_type\":\"runner_disconnected\"}").setHeader("X-Fal-Error-Type", "runner_disconnected"));
      server.enqueue(json(202, status("IN_PROGRESS", "")));

      WaitStep.Outcome first = waitStep().step(handle);
      assertThat(first).isInstanceOf(WaitStep.Pending.class);
      WaitStep.Pending pending = (WaitStep.Pending) first;
      assertThat(pending.providerStatus()).isEqualTo("UNAVAILABLE");
      assertThat(pending.delay()).isPositive().isLessThanOrEqualTo(spec.timing().maxInterval());

      clock.advance(pending.delay());
      WaitStep.Outcome second = waitStep().step(pending.handle());
      assertThat(second).isInstanceOfSatisfying(
          WaitStep.Pending.class,
          p -> {
            assertThat(p.providerStatus()).isEqualTo("IN_PROGRESS");
            assertThat(p.delay()).as("the second poll's backoff step").isEqualTo(Duration.ofSeconds(6));
          });
    }

    @ParameterizedTest
    @ValueSource(strings = {"PAUSED", "FAILED", "CANCELED"})
    void unknownStatusValueIsRunningByPolicy(String word) throws Exception {
      // fal's SDKs know only IN_QUEUE / IN_PROGRESS / COMPLETED; FAILED/CANCELED appear only in third-party schemas.
      JobHandle handle = submitted();
      server.enqueue(json(200, status(word, "")));
      server.enqueue(json(200, status(word, "")));

      assertThat(client.poll(handle).phase()).isEqualTo(Phase.RUNNING);
      assertThat(waitStep().step(handle)).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.providerStatus()).isEqualTo(word));
    }

    @Test
    void status404IsGenerationFailedBecauseTheRequestIsUnknown() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(404, "{\"detail\":\"Request not found\"}"));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED);
                assertThat(f.getMessage()).contains("404").contains(REQUEST_ID);
              });
    }

    @Test
    void keyRevokedMidJob401OnStatusIsProviderRejectedNotPending() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(401, "{\"detail\":\"Unauthorized\"}"));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOf(ProviderRejected.class)
          .hasMessageContaining("status_url")
          .hasMessageContaining("apiKey")
          .hasMessageNotContaining(KEY);
    }
  }

  @Nested
  class CancelRequest {

    @ParameterizedTest(name = "HTTP {0} {1} -> accepted={2}, {3}")
    @CsvSource({
      "200, OK, true, CANCELLED",
      "202, CANCELLATION_REQUESTED, true, CANCELLATION_REQUESTED",
      "400, ALREADY_COMPLETED, false, NOT_CANCELLED",
      "404, NOT_FOUND, false, NOT_CANCELLED"
    })
    void everyDocumentedCancelAnswerIsANonFatalReport(int code, String word, boolean accepted, String outcome) throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(code, "{\"status\":\"" + word + "\"}"));

      CancelReport report = client.cancel(handle);

      RecordedRequest cancel = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(cancel.getMethod()).isEqualTo("PUT");
      assertThat(cancel.getPath()).isEqualTo(APP_PATH + "/cancel");
      assertThat(cancel.getHeader("Authorization")).isEqualTo("Key test-key");
      assertThat(cancel.getBodySize()).isZero();
      assertThat(report).isEqualTo(new CancelReport("fal", REQUEST_ID, accepted, code, word, outcome));
    }

    @Test
    void cancelAnswerWithoutStatusWordReportsTheHttpCode() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(204));

      assertThat(client.cancel(handle)).isEqualTo(new CancelReport("fal", REQUEST_ID, true, 204, "HTTP 204"));
    }

    @Test
    void cancelServerErrorIsRetryableNotAReport() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(500, "{\"detail\":\"Internal Server Error\"}"));

      assertThatThrownBy(() -> client.cancel(handle)).isInstanceOf(ProviderUnavailable.class).hasMessageContaining("500");
    }
  }
}
