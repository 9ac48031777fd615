package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.GenerationClient;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.jsonBody;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.job.CancelReport;
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

/** Oxen.ai's async queue as it behaves since May 2026 (docs/providers.md §7.1), against a MockWebServer playing hub.oxen.ai/api. */
class OxenQueueProtocolTest extends ProviderProtocolTestBase {

  private static final String G1 = "bb8f5eb7-1111-4c1e-9a43-0f1e2d3c4b5a";
  private static final String G2 = "7cf9b23a-2222-4d2f-8b54-1a2b3c4d5e6f";
  private static final String MODEL = "flux-2-pro";

  OxenQueueProtocolTest() {
    super(ProviderId.OXEN, "2026-08-08T10:00:00Z");
  }

  private static String enqueued(String... ids) {
    StringBuilder generations = new StringBuilder();
    for (String id : ids) {
      generations.append(generations.isEmpty() ? "" : ",").append("{\"generation_id\":\"").append(id).append("\",\"status\":\"queued\"}");
    }
    return "{\"generations\":[" + generations + "]}";
  }

  /** The generation object of §7.1; timestamps are Unix seconds and the submitted params are echoed. */
  private static String generation(String id, String status, String resultUrl, String errorMessage) {
    return """
        {"generation_id":"%s","model_name":"%s","prompt":"An astronaut walking on Mars","media_type":"image","status":"%s",
         "result_url":%s,"error_message":%s,"enqueued_at":1775091431,"started_at":1775091432,"completed_at":null,"aspect_ratio":"16:9"}"""
        .formatted(id, MODEL, status, resultUrl == null ? "null" : "\"" + resultUrl + "\"", errorMessage == null ? "null" : "\"" + errorMessage + "\"");
  }

  private static String succeeded(String id) {
    return generation(id, "succeeded", "https://hub.oxen.ai/api/repos/me/results/files/" + id + ".png", null);
  }

  private JobHandle submitted(String... ids) {
    server.enqueue(json(200, enqueued(ids)));
    JobHandle handle = client.submit(MODEL, parse("{\"prompt\":\"An astronaut walking on Mars\",\"num_generations\":" + ids.length + "}"), GenerationClient.SubmitExtras.NONE);
    next(server);
    return atFirstPoll(handle);
  }

  @Nested
  class Enqueue {

    @Test
    void bodyIsModelPlusTheInputSpreadWithNumGenerationsPassedThrough() {
      server.enqueue(json(200, enqueued(G1, G2)));

      client.submit(MODEL, parse("{\"prompt\":\"An astronaut walking on Mars\",\"num_generations\":2,\"aspect_ratio\":\"16:9\",\"seed\":7}"), GenerationClient.SubmitExtras.NONE);

      RecordedRequest enqueue = assertBearerRequest(next(server), "POST", "/api/ai/queue");
      assertThat(jsonBody(enqueue))
          .isEqualTo(parse("{\"model\":\"flux-2-pro\",\"prompt\":\"An astronaut walking on Mars\",\"num_generations\":2,\"aspect_ratio\":\"16:9\",\"seed\":7}"));
    }

    @Test
    void nGenerationIdsInTheAnswerBecomeNPartsEachWithItsOwnUrls() {
      JobHandle handle = submitted(G1, G2);

      assertThat(handle.jobId()).isEqualTo(G1);
      assertThat(handle.parts()).extracting(JobHandle.Part::jobId).containsExactly(G1, G2);
      assertThat(handle.parts()).extracting(JobHandle.Part::statusUrl)
          .containsExactly(server.url("/api/ai/queue/" + G1).toString(), server.url("/api/ai/queue/" + G2).toString());
      assertThat(handle.parts()).extracting(JobHandle.Part::cancelUrl)
          .containsExactly(server.url("/api/ai/queue/" + G1).toString(), server.url("/api/ai/queue/" + G2).toString());
    }

    @Test
    void olderDocsProcessingStatusInTheEnqueueAnswerIsFineToo() {
      server.enqueue(json(200, "{\"generations\":[{\"generation_id\":\"" + G1 + "\",\"status\":\"processing\"}]}"));

      JobHandle handle = client.submit(MODEL, parse("{\"prompt\":\"x\"}"), GenerationClient.SubmitExtras.NONE);

      assertThat(handle.parts()).hasSize(1);
    }

    @Test
    void enqueue400NumGenerationsOutOfRangeIsInvalidInputCarryingOxensMessage() {
      server.enqueue(
          json(400, "{\"error\":{\"type\":\"bad_request\",\"title\":\"Bad Request\",\"detail\":\"num_generations must be an integer between 1 and 4\"},\"status\":\"error\",\"status_message\":\"bad_request\"}"));

      assertGenerationFailure(() -> client.submit(MODEL, parse("{\"prompt\":\"x\",\"num_generations\":5}"), GenerationClient.SubmitExtras.NONE), ErrorCode.AI_INVALID_INPUT, "num_generations must be an integer between 1 and 4");
    }
  }

  @Nested
  class Generations {

    @ParameterizedTest
    @ValueSource(strings = {"queued", "processing"})
    void queuedAndProcessingAreRunning(String status) {
      JobHandle handle = submitted(G1);
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, generation(G1, status, null, null)));

      assertPending(outcome, status, Duration.ofSeconds(5));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", "/api/ai/queue/" + G1);
    }

    @Test
    void pollAsksAboutEachGenerationAndStaysRunningWhileOneIsStillRunning() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(200, succeeded(G1)));
      server.enqueue(json(200, generation(G2, "processing", null, null)));

      JobStatus status = client.poll(handle);

      assertThat(status.phase()).isEqualTo(Phase.RUNNING);
      assertThat(status.providerStatus()).isEqualTo("succeeded,processing");
      assertThat(next(server).getPath()).isEqualTo("/api/ai/queue/" + G1);
      assertThat(next(server).getPath()).isEqualTo("/api/ai/queue/" + G2);
    }

    @Test
    void allSucceededGivesEveryResultUrlInOrderAndOneProviderResultPerGeneration() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(200, succeeded(G1)));
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, succeeded(G2)));

      GenerationResult result = done(outcome);
      assertThat(result.outputs())
          .containsExactly("https://hub.oxen.ai/api/repos/me/results/files/" + G1 + ".png", "https://hub.oxen.ai/api/repos/me/results/files/" + G2 + ".png");
      assertThat(result.providerResult().isArray()).isTrue();
      assertThat(result.providerResult()).hasSize(2);
      assertThat(result.providerResult().get(1).path("generation_id").asText()).isEqualTo(G2);
      assertThat(result.jobId()).isEqualTo(G1);
    }

    @Test
    void oneFailedGenerationFailsTheJobNamingGenerationKOfNWithItsErrorMessage() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(200, succeeded(G1)));
      server.enqueue(json(200, generation(G2, "failed", null, "aspect_ratio '7:3' is not supported by flux-2-pro")));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(
              GenerationFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED);
                assertThat(f.getMessage())
                    .contains("generation 2 of 2")
                    .contains(G2)
                    .contains("aspect_ratio '7:3' is not supported by flux-2-pro");
              });
    }

    @Test
    void singleFailedGenerationCarriesErrorMessage() {
      JobHandle handle = submitted(G1);
      server.enqueue(json(200, generation(G1, "failed", null, "Model parameter 'duration' must be 5 or 10")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "Model parameter 'duration' must be 5 or 10");
    }

    @Test
    void cancelledGenerationIsGenerationCancelled() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(200, generation(G1, "cancelled", null, null)));
      server.enqueue(json(200, generation(G2, "processing", null, null)));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(GenerationFailure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_CANCELLED));
    }
  }

  @Nested
  class Cancel {

    @Test
    void cancelDeletesEveryGeneration() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(200, "{\"status\":\"success\",\"generation_id\":\"" + G1 + "\"}"));
      server.enqueue(json(200, "{\"status\":\"success\",\"generation_id\":\"" + G2 + "\"}"));

      CancelReport report = client.cancel(handle);

      RecordedRequest first = next(server);
      RecordedRequest second = next(server);
      assertThat(first.getMethod()).isEqualTo("DELETE");
      assertThat(first.getPath()).isEqualTo("/api/ai/queue/" + G1);
      assertThat(second.getMethod()).isEqualTo("DELETE");
      assertThat(second.getPath()).isEqualTo("/api/ai/queue/" + G2);
      assertThat(first.getHeader("Authorization")).isEqualTo("Bearer test-key");
      assertThat(report).isEqualTo(new CancelReport("oxen", G1, true, 200, "success,success"));
    }

    @Test
    void cancelOfAnUnknownGeneration404IsReportedNotRaised() {
      JobHandle handle = submitted(G1);
      server.enqueue(
          json(404, "{\"error\":{\"type\":\"resource_not_found\",\"title\":\"Generation not found\"},\"status\":\"error\",\"status_message\":\"resource_not_found\"}"));

      CancelReport report = client.cancel(handle);

      assertThat(report.accepted()).isFalse();
      assertThat(report.httpStatus()).isEqualTo(404);
      assertThat(report.providerAnswer()).isEqualTo("error");
    }
  }
}
