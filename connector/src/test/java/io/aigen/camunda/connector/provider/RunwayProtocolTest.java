package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.GenerationClient;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.jsonBody;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationClient.SubmitExtras;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.JobStatus;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.support.ProviderProtocolTestBase;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runway's developer API (docs/providers.md §3) against a MockWebServer playing api.dev.runwayml.com. */
class RunwayProtocolTest extends ProviderProtocolTestBase {

  private static final String ID = "d2e3f4a5-6b7c-4d8e-9f01-23456789abcd";
  private static final String MODEL = "gen4_turbo";
  private static final JsonNode INPUT =
      parse("{\"promptImage\":\"https://example.com/first.jpg\",\"promptText\":\"slow dolly in\",\"ratio\":\"1280:720\",\"duration\":5,\"seed\":42}");

  RunwayProtocolTest() {
    super(ProviderId.RUNWAY, "2026-06-27T19:49:32Z");
  }

  private static String task(String status, String extra) {
    return """
        {"id":"%s","status":"%s","createdAt":"2026-06-27T19:49:32.335Z"%s}""".formatted(ID, status, extra.isEmpty() ? "" : "," + extra);
  }

  private JobHandle submitted() {
    return atFirstPoll(submitAnswered(json(200, "{\"id\":\"" + ID + "\"}"), MODEL, INPUT));
  }

  @Nested
  class Submit {

    @Test
    void defaultEndpointIsImageToVideoWithModelAndTheInputSpreadAndTheRequiredVersionHeader() {
      server.enqueue(json(200, "{\"id\":\"" + ID + "\"}"));

      JobHandle handle = client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = assertBearerRequest(next(server), "POST", "/v1/image_to_video");
      assertThat(create.getHeader("X-Runway-Version")).isEqualTo("2024-11-06");
      assertThat(jsonBody(create))
          .isEqualTo(
              parse("{\"model\":\"gen4_turbo\",\"promptImage\":\"https://example.com/first.jpg\",\"promptText\":\"slow dolly in\",\"ratio\":\"1280:720\",\"duration\":5,\"seed\":42}"));
      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url("/v1/tasks/" + ID).toString());
    }

    @Test
    void optionsEndpointTextToImagePicksThatTaskRoute() {
      server.enqueue(json(200, "{\"id\":\"" + ID + "\"}"));

      client.submit("gen4_image", parse("{\"promptText\":\"a cat\",\"ratio\":\"1920:1080\"}"), new SubmitExtras(parse("{\"endpoint\":\"text_to_image\"}"), null, null));

      RecordedRequest create = next(server);
      assertThat(create.getPath()).isEqualTo("/v1/text_to_image");
      assertThat(create.getHeader("X-Runway-Version")).isEqualTo("2024-11-06");
      assertThat(jsonBody(create)).isEqualTo(parse("{\"model\":\"gen4_image\",\"promptText\":\"a cat\",\"ratio\":\"1920:1080\"}"));
    }

    @Test
    void badRequest400WithErrorMemberIsInvalidInputCarryingRunwaysMessage() {
      server.enqueue(json(400, "{\"error\":\"promptText must be at most 1000 characters\"}"));

      assertGenerationFailure(() -> client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE), ErrorCode.AI_INVALID_INPUT, "promptText must be at most 1000 characters");
    }
  }

  @Nested
  class TaskStatus {

    @ParameterizedTest
    @ValueSource(strings = {"PENDING", "THROTTLED", "RUNNING"})
    void pendingThrottledAndRunningAreAllRunningSoThrottledOverConcurrencyIsNotAFailure(String status) {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, task(status, "")));

      assertPending(outcome, status, Duration.ofSeconds(6));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", "/v1/tasks/" + ID);
      assertThat(poll.getHeader("X-Runway-Version")).as("required on every call, not only submit").isEqualTo("2024-11-06");
    }

    @Test
    void runningProgressIsRead() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("RUNNING", "\"progress\":0.275")));

      JobStatus status = client.poll(handle);

      assertThat(status.phase()).isEqualTo(Phase.RUNNING);
      assertThat(status.progress().percent()).as("Runway's share of 1, as a percentage").isEqualTo(27.5);
    }

    @Test
    void succeededGivesTheOutputListAndTheUrlsExpireWarning() {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, task("SUCCEEDED", "\"output\":[\"https://dnznrvs05pmza.cloudfront.net/a.mp4?_jwt=x\",\"https://dnznrvs05pmza.cloudfront.net/b.mp4?_jwt=y\"]")));

      GenerationResult result = done(outcome);
      assertThat(result.outputs())
          .containsExactly("https://dnznrvs05pmza.cloudfront.net/a.mp4?_jwt=x", "https://dnznrvs05pmza.cloudfront.net/b.mp4?_jwt=y");
      assertThat(result.providerResult()).isEqualTo(parse("[\"https://dnznrvs05pmza.cloudfront.net/a.mp4?_jwt=x\",\"https://dnznrvs05pmza.cloudfront.net/b.mp4?_jwt=y\"]"));
      assertThat(result.warnings()).singleElement().asString().contains("24-48 hours");
    }

    @Test
    void failedCarriesTheFailureTextAndTheFailureCode() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("FAILED", "\"failure\":\"The model could not render this request\",\"failureCode\":\"INTERNAL\"")));

      JobStatus status = client.poll(handle);

      assertThat(status.phase()).isEqualTo(Phase.FAILED);
      assertThat(status.error()).isEqualTo("The model could not render this request");
      assertThat(status.errorCode()).isEqualTo("INTERNAL");
      assertThat(status.contentFiltered()).isFalse();
    }

    @Test
    void failedWithSafetyInputTextCodeIsContentFiltered() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("FAILED", "\"failure\":\"Generation was rejected\",\"failureCode\":\"SAFETY.INPUT.TEXT\"")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_CONTENT_FILTERED, "Generation was rejected", ID);
    }

    @Test
    void failedWithSafetyOutputCodeIsContentFilteredToo() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("FAILED", "\"failure\":\"Output was rejected\",\"failureCode\":\"SAFETY.OUTPUT.VIDEO\"")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_CONTENT_FILTERED, "Output was rejected");
    }

    @Test
    void failedWithInternalBadOutputCodeIsAGenerationFailureNotContentFiltered() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("FAILED", "\"failure\":\"The output did not pass quality checks\",\"failureCode\":\"INTERNAL.BAD_OUTPUT.CODE01\"")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "The output did not pass quality checks");
    }

    @Test
    void failedWithoutFailureCodeIsAGenerationFailureWithTheText() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("FAILED", "\"failure\":\"An unexpected error occurred\"")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "An unexpected error occurred");
    }

    @Test
    void cancelledIsTerminalCancelledUnlikeThePythonSyncClientWhichKeepsWaiting() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("CANCELLED", "")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_CANCELLED, "CANCELLED");
      assertThat(server.getRequestCount()).as("submit + one poll").isEqualTo(2);
    }
  }

  @Nested
  class Cancel {

    @Test
    void cancelIsDeleteTaskWithTheVersionHeaderAnd204IsAccepted() {
      JobHandle handle = submitted();
      server.enqueue(new MockResponse().setResponseCode(204));

      CancelReport report = client.cancel(handle);

      RecordedRequest cancel = assertBearerRequest(next(server), "DELETE", "/v1/tasks/" + ID);
      assertThat(cancel.getHeader("X-Runway-Version")).isEqualTo("2024-11-06");
      assertThat(report).isEqualTo(new CancelReport("runway", ID, true, 204, "HTTP 204"));
    }

    @Test
    void cancelOfATaskAlreadyDeleted404IsAReportNotAnError() {
      JobHandle handle = submitted();
      server.enqueue(json(404, "{\"error\":\"Task not found\"}"));

      assertThat(client.cancel(handle)).isEqualTo(new CancelReport("runway", ID, false, 404, "HTTP 404"));
    }
  }
}
