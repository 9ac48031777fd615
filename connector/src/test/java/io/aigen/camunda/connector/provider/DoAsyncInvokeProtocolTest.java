package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.GenerationClient;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.jsonBody;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationClient.SubmitExtras;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.support.ProviderProtocolTestBase;
import java.time.Duration;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DigitalOcean's async-invoke for fal models (docs/providers.md §1.9) against a MockWebServer playing inference.do-ai.run. */
class DoAsyncInvokeProtocolTest extends ProviderProtocolTestBase {

  private static final String ID = "6590784a-ce47-4556-9ff4-53baff2693fb";
  private static final String MODEL = "fal-ai/fast-sdxl";
  private static final JsonNode INPUT = parse("{\"prompt\":\"a lighthouse at dusk\",\"num_images\":2,\"enable_safety_checker\":true}");

  DoAsyncInvokeProtocolTest() {
    super(ProviderId.DO_ASYNC_INVOKE, "2026-01-22T19:19:19Z");
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
    return atFirstPoll(submitAnswered(json(202, invocation("QUEUED", "null", null)), MODEL, INPUT));
  }

  @Nested
  class Submit {

    @Test
    void bodyIsModelIdInputAndTagsFromOptionsTags() {
      server.enqueue(json(202, invocation("QUEUED", "null", null)));

      JobHandle handle = client.submit(MODEL, INPUT, new SubmitExtras(parse("{\"tags\":[{\"key\":\"type\",\"value\":\"test\"}]}"), null, null));

      RecordedRequest submit = assertBearerRequest(next(server), "POST", "/v1/async-invoke");
      assertThat(jsonBody(submit))
          .isEqualTo(parse("{\"model_id\":\"fal-ai/fast-sdxl\",\"input\":" + INPUT + ",\"tags\":[{\"key\":\"type\",\"value\":\"test\"}]}"));
      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url("/v1/async-invoke/" + ID).toString());
    }

    @Test
    void tagsAreOmittedWithoutOptions() {
      server.enqueue(json(202, invocation("QUEUED", "null", null)));

      client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);

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
      JobHandle handle = atFirstPoll(client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE));
      next(server);
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, invocation("COMPLETED", OUTPUT, null)));

      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Done.class, d -> assertThat(d.result().outputs()).containsExactly("https://fal.media/files/a.jpeg", "https://fal.media/files/b.jpeg"));
    }

    @Test
    void rateLimited429OnSubmitIsRetryableNotABpmnError() {
      server.enqueue(json(429, "{\"id\":\"too_many_requests\",\"message\":\"rate limit exceeded\"}").setHeader("ratelimit-reset", "30"));

      assertThatThrownBy(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE)).isInstanceOf(io.aigen.camunda.connector.error.ProviderUnavailable.class);
    }
  }

  @Nested
  class Status {

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "IN_PROGRESS"})
    void queuedAndInProgressAreRunning(String status) {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, invocation(status, "null", null)));

      assertPending(outcome, status, Duration.ofSeconds(3));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", "/v1/async-invoke/" + ID);
    }

    @Test
    void completedGivesOutputImagesUrlsAndTheFalOutputAsProviderResult() {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, invocation("COMPLETED", OUTPUT, null)));

      GenerationResult result = done(outcome);
      assertThat(result.outputs()).containsExactly("https://fal.media/files/a.jpeg", "https://fal.media/files/b.jpeg");
      assertThat(result.providerResult()).isEqualTo(parse(OUTPUT));
      assertThat(server.getRequestCount()).as("output is on the invocation: no result request").isEqualTo(2);
    }

    @Test
    void failedIsGenerationFailedWithTheError() {
      JobHandle handle = submitted();
      server.enqueue(json(200, invocation("FAILED", "null", "model execution failed: invalid image_size")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "model execution failed: invalid image_size", ID);
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
