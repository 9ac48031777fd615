package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.GenerationClient;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.jsonBody;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.job.GenerationClient.SubmitExtras;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.JobStatus;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.support.ProviderProtocolTestBase;
import java.time.Duration;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The unified task API, ElkAPI's shape (docs/providers.md §8), against a MockWebServer playing api.elkapi.com. */
class UnifiedTaskProtocolTest extends ProviderProtocolTestBase {

  private static final String TASK_ID = "task_01J9ZK3Q7B8X";
  private static final String MODEL = "kling-v3/text-to-video";
  private static final JsonNode INPUT = parse("{\"prompt\":\"a paper boat on a river\",\"duration\":5,\"aspect_ratio\":\"16:9\"}");

  UnifiedTaskProtocolTest() {
    super(ProviderId.UNIFIED_TASK, "2026-08-01T10:00:00Z");
  }

  private static String task(String status, String extra) {
    return """
        {"task_id":"%s","status":"%s","created_at":"2026-08-01T10:00:00Z"%s}""".formatted(TASK_ID, status, extra.isEmpty() ? "" : "," + extra);
  }

  private JobHandle submitted() {
    return atFirstPoll(submitAnswered(json(200, task("queued", "")), MODEL, INPUT));
  }

  @Nested
  class Submit {

    @Test
    void bodyIsModelAndInputWithoutCallbackUrlWhenThereIsNoCallback() {
      server.enqueue(json(200, task("queued", "")));

      JobHandle handle = client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest submit = assertBearerRequest(next(server), "POST", "/v1/task/submit");
      JsonNode body = jsonBody(submit);
      assertThat(body).isEqualTo(parse("{\"model\":\"kling-v3/text-to-video\",\"input\":" + INPUT + "}"));
      assertThat(body.has("callback_url")).as("absent, not null").isFalse();
      assertThat(handle.jobId()).isEqualTo(TASK_ID);
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url("/v1/task/" + TASK_ID).toString());
    }

    @Test
    void callbackUrlIsSentWhenThereIsOne() {
      server.enqueue(json(200, task("queued", "")));

      client.submit(MODEL, INPUT, new SubmitExtras(null, "https://example.com/hooks/task", null));

      assertThat(jsonBody(next(server)).path("callback_url").asText()).isEqualTo("https://example.com/hooks/task");
    }

    @Test
    void noCancelEndpointIsKnownSoTheSpecOffersNone() {
      assertThat(spec.canCancel()).isFalse();
    }
  }

  @Nested
  class Status {

    @ParameterizedTest
    @ValueSource(strings = {"queued", "in_progress"})
    void queuedAndInProgressAreRunning(String status) {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, task(status, "")));

      assertPending(outcome, status, Duration.ofSeconds(5));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", "/v1/task/" + TASK_ID);
    }

    @Test
    void completedGivesTheOutputsList() {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, task("completed", "\"completed_at\":\"2026-08-01T10:02:00Z\",\"outputs\":[\"https://cdn.elkapi.com/r/a.mp4\",\"https://cdn.elkapi.com/r/b.mp4\"],\"error\":null")));

      GenerationResult result = done(outcome);
      assertThat(result.outputs()).containsExactly("https://cdn.elkapi.com/r/a.mp4", "https://cdn.elkapi.com/r/b.mp4");
      assertThat(result.providerResult()).isEqualTo(parse("[\"https://cdn.elkapi.com/r/a.mp4\",\"https://cdn.elkapi.com/r/b.mp4\"]"));
    }

    @Test
    void completedOutputsAsObjectsLikeElkApisPerProviderShapeGiveOnlyTheirUrlsNotTheFormat() {
      // docs/providers.md §8: the outputs[] item shape is unverified; ElkAPI's per-provider answers use {url, format, metadata}.
      JobHandle handle = submitted();
      server.enqueue(
          json(200, task("completed", "\"outputs\":[{\"url\":\"https://cdn.elkapi.com/r/a.mp4\",\"format\":\"mp4\",\"metadata\":{\"duration\":5}}],\"error\":null")));

      GenerationResult result = ((WaitStep.Done) waitStep().step(handle)).result();

      assertThat(result.outputs()).containsExactly("https://cdn.elkapi.com/r/a.mp4");
    }

    @Test
    void failedWithErrorAsAStringGivesThatString() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("failed", "\"error\":\"Prompt rejected by upstream provider\"")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "Prompt rejected by upstream provider", TASK_ID);
    }

    @Test
    void failedWithErrorAsAnObjectCodeMessageGivesAReadableMessageAndTheCode() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("failed", "\"error\":{\"code\":\"upstream_timeout\",\"message\":\"The upstream provider did not answer in time\"}")));
      server.enqueue(json(200, task("failed", "\"error\":{\"code\":\"upstream_timeout\",\"message\":\"The upstream provider did not answer in time\"}")));

      JobStatus status = client.poll(handle);
      assertThat(status.phase()).isEqualTo(Phase.FAILED);
      assertThat(status.error()).isEqualTo("The upstream provider did not answer in time (upstream_timeout)");
      assertThat(status.errorCode()).isEqualTo("upstream_timeout");

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "The upstream provider did not answer in time");
    }

    @Test
    void failedWithErrorAsAnObjectWithNumericCodeIsReadableToo() {
      JobHandle handle = submitted();
      server.enqueue(json(200, task("failed", "\"error\":{\"code\":1301,\"message\":\"Content violates policy\"}")));

      JobStatus status = client.poll(handle);

      assertThat(status.error()).isEqualTo("Content violates policy (1301)");
    }
  }
}
