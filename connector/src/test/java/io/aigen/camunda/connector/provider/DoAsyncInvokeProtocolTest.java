package io.aigen.camunda.connector.provider;

import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.jsonBody;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.GenerationClient.SubmitExtras;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.support.MutableClock;
import io.aigen.camunda.connector.support.ProviderFixture;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DigitalOcean's async-invoke for fal models (providers.md §1.9) against a MockWebServer playing inference.do-ai.run. */
class DoAsyncInvokeProtocolTest {

  private static final String ID = "6590784a-ce47-4556-9ff4-53baff2693fb";
  private static final String MODEL = "fal-ai/fast-sdxl";
  private static final JsonNode INPUT = parse("{\"prompt\":\"a lighthouse at dusk\",\"num_images\":2,\"enable_safety_checker\":true}");

  @TempDir Path results;
  private MockWebServer server;
  private MutableClock clock;
  private PollSpec spec;
  private GenerationClient client;

  @BeforeEach
  void start() {
    server = ProviderFixture.server();
    clock = MutableClock.at("2026-01-22T19:19:19Z");
    spec = ProviderFixture.spec(ProviderId.DO_ASYNC_INVOKE, server);
    client = ProviderFixture.client(spec, clock, results);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  /** The invocation object of §1.9: output and error are set only in terminal states. */
  private static String invocation(String status, String output, String error) {
    return """
        {"request_id":"%s","status":"%s","model_id":"%s","created_at":"2026-01-22T19:19:19.112403432Z",
         "started_at":%s,"completed_at":null,"output":%s,"error":%s}"""
        .formatted(ID, status, MODEL, status.equals("QUEUED") ? "null" : "\"2026-01-22T19:19:21Z\"", output, error == null ? "null" : "\"" + error + "\"");
  }

  private static final String OUTPUT =
      "{\"images\":[{\"url\":\"https://fal.media/files/a.jpeg\",\"width\":1024,\"height\":1024,\"content_type\":\"image/jpeg\"},"
          + "{\"url\":\"https://fal.media/files/b.jpeg\",\"width\":1024,\"height\":1024,\"content_type\":\"image/jpeg\"}],\"seed\":42}";

  private JobHandle submitted() {
    server.enqueue(json(202, invocation("QUEUED", "null", null)));
    JobHandle handle = client.submit(MODEL, INPUT);
    next(server);
    return handle;
  }

  private WaitStep waitStep() {
    return new WaitStep(client, spec.timing(), clock);
  }

  @Nested
  class Submit {

    @Test
    void bodyIsModelIdInputAndTagsFromOptionsTags() {
      server.enqueue(json(202, invocation("QUEUED", "null", null)));

      JobHandle handle = client.submit(MODEL, INPUT, new SubmitExtras(parse("{\"tags\":[{\"key\":\"type\",\"value\":\"test\"}]}"), null, null));

      RecordedRequest submit = next(server);
      assertThat(submit.getMethod()).isEqualTo("POST");
      assertThat(submit.getPath()).isEqualTo("/v1/async-invoke");
      assertThat(submit.getHeader("Authorization")).isEqualTo("Bearer test-key");
      assertThat(jsonBody(submit))
          .isEqualTo(parse("{\"model_id\":\"fal-ai/fast-sdxl\",\"input\":" + INPUT + ",\"tags\":[{\"key\":\"type\",\"value\":\"test\"}]}"));
      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url("/v1/async-invoke/" + ID).toString());
    }

    @Test
    void tagsAreOmittedWithoutOptions() {
      server.enqueue(json(202, invocation("QUEUED", "null", null)));

      client.submit(MODEL, INPUT);

      JsonNode body = jsonBody(next(server));
      assertThat(body).isEqualTo(parse("{\"model_id\":\"fal-ai/fast-sdxl\",\"input\":" + INPUT + "}"));
      assertThat(body.has("tags")).isFalse();
    }

    @Test
    void submit202AcceptedIsAccepted() {
      JobHandle handle = submitted();

      assertThat(handle.jobId()).isEqualTo(ID);
    }

    @Test
    void submit200CompletedSynchronouslyIsAcceptedAndTheFirstPollFinishes() {
      server.enqueue(json(200, invocation("COMPLETED", OUTPUT, null)));
      JobHandle handle = client.submit(MODEL, INPUT);
      next(server);
      server.enqueue(json(200, invocation("COMPLETED", OUTPUT, null)));

      WaitStep.Outcome outcome = waitStep().step(handle);

      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Done.class, d -> assertThat(d.result().outputs()).containsExactly("https://fal.media/files/a.jpeg", "https://fal.media/files/b.jpeg"));
    }

    @Test
    void rateLimited429OnSubmitIsRetryableNotABpmnError() {
      server.enqueue(json(429, "{\"id\":\"too_many_requests\",\"message\":\"rate limit exceeded\"}").setHeader("ratelimit-reset", "30"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT)).isInstanceOf(io.aigen.camunda.connector.error.ProviderUnavailable.class);
    }
  }

  @Nested
  class Status {

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "IN_PROGRESS"})
    void queuedAndInProgressAreRunning(String status) {
      JobHandle handle = submitted();
      server.enqueue(json(200, invocation(status, "null", null)));

      WaitStep.Outcome outcome = waitStep().step(handle);

      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Pending.class,
          p -> {
            assertThat(p.providerStatus()).isEqualTo(status);
            assertThat(p.delay()).isEqualTo(Duration.ofSeconds(3));
          });
      RecordedRequest poll = next(server);
      assertThat(poll.getMethod()).isEqualTo("GET");
      assertThat(poll.getPath()).isEqualTo("/v1/async-invoke/" + ID);
      assertThat(poll.getHeader("Authorization")).isEqualTo("Bearer test-key");
    }

    @Test
    void completedGivesOutputImagesUrlsAndTheFalOutputAsProviderResult() {
      JobHandle handle = submitted();
      server.enqueue(json(200, invocation("COMPLETED", OUTPUT, null)));

      WaitStep.Outcome outcome = waitStep().step(handle);

      assertThat(outcome).isInstanceOf(WaitStep.Done.class);
      GenerationResult result = ((WaitStep.Done) outcome).result();
      assertThat(result.outputs()).containsExactly("https://fal.media/files/a.jpeg", "https://fal.media/files/b.jpeg");
      assertThat(result.providerResult()).isEqualTo(parse(OUTPUT));
      assertThat(server.getRequestCount()).as("output is on the invocation: no result request").isEqualTo(2);
    }

    @Test
    void failedIsGenerationFailedWithTheError() {
      JobHandle handle = submitted();
      server.enqueue(json(200, invocation("FAILED", "null", "model execution failed: invalid image_size")));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED);
                assertThat(f.getMessage()).contains("model execution failed: invalid image_size").contains(ID);
              });
    }
  }

  @Nested
  class NoCancel {

    @Test
    void noCancelIsDocumentedSoNoneIsOfferedAndNothingIsSent() {
      assertThat(spec.canCancel()).isFalse();
      JobHandle handle = submitted();

      assertThat(client.cancel(handle)).isEqualTo(new CancelReport("do-async-invoke", ID, false, 0, "NOT_SUPPORTED"));
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }
}
