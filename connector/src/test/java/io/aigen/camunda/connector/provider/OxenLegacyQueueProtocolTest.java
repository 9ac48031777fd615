package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.GenerationClient;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.jsonBody;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Oxen.ai's async queue before May 2026 (docs/providers.md §7.2): a generation is listed while it runs,
 * without status or result URL, and answers 404 once it ended, whatever the outcome.
 */
class OxenLegacyQueueProtocolTest extends ProviderProtocolTestBase {

  private static final String G1 = "bb8f5eb7-1111-4c1e-9a43-0f1e2d3c4b5a";
  private static final String G2 = "7cf9b23a-2222-4d2f-8b54-1a2b3c4d5e6f";
  private static final String MODEL = "flux-2-pro";
  private static final String NOT_FOUND =
      "{\"error\":{\"type\":\"resource_not_found\",\"title\":\"Generation not found\"},\"status\":\"error\",\"status_message\":\"resource_not_found\"}";

  OxenLegacyQueueProtocolTest() {
    super(ProviderId.OXEN_LEGACY, "2026-04-01T10:00:00Z");
  }

  /** An in-progress generation as the old queue listed it: no status, no result URL. */
  private static String inProgress(String id) {
    return """
        {"generation_id":"%s","model":"%s","prompt":"An astronaut walking on Mars","media_type":"image","enqueued_at":1775091431}"""
        .formatted(id, MODEL);
  }

  private JobHandle submitted(String... ids) {
    StringBuilder generations = new StringBuilder();
    for (String id : ids) {
      generations.append(generations.isEmpty() ? "" : ",").append("{\"generation_id\":\"").append(id).append("\"}");
    }
    server.enqueue(json(200, "{\"generations\":[" + generations + "]}"));
    JobHandle handle = client.submit(MODEL, parse("{\"prompt\":\"An astronaut walking on Mars\",\"num_generations\":" + ids.length + "}"), GenerationClient.SubmitExtras.NONE);
    RecordedRequest enqueue = next(server);
    assertThat(enqueue.getPath()).isEqualTo("/api/ai/queue");
    assertThat(jsonBody(enqueue).path("model").asText()).isEqualTo(MODEL);
    return atFirstPoll(handle);
  }

  @Nested
  class Polling {

    @Test
    void http200WithoutAnyStatusFieldMeansStillRunning() {
      JobHandle handle = submitted(G1);
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, inProgress(G1)));

      assertPending(outcome, "HTTP 200", Duration.ofSeconds(5));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", "/api/ai/queue/" + G1);
    }

    @Test
    void http404MeansEndedWithUnknownOutcomeSoTheWaitIsDoneWithOutcomeUnknownNoOutputsAndAWarning() {
      JobHandle handle = submitted(G1);
      server.enqueue(json(404, NOT_FOUND));

      WaitStep.Outcome outcome = waitStep().step(handle);

      GenerationResult result = done(outcome);
      assertThat(result.status()).isEqualTo("OUTCOME_UNKNOWN");
      assertThat(result.outputs()).isEmpty();
      assertThat(result.providerResult()).isNull();
      assertThat(result.jobId()).isEqualTo(G1);
      assertThat(result.warnings()).singleElement().asString().contains(G1).contains("HTTP 404").contains("does not report whether it succeeded");
      assertThat(result.metrics()).containsEntry("polls", 1).containsEntry("waitedMs", spec.timing().interval().toMillis());
      assertThat(server.getRequestCount()).as("no result request").isEqualTo(2);
    }

    @Test
    void withNGenerationsTheJobRunsWhileAnyIsStillListed() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(404, NOT_FOUND));
      server.enqueue(json(200, inProgress(G2)));

      JobStatus status = client.poll(handle);

      assertThat(status.phase()).isEqualTo(Phase.RUNNING);
      assertThat(next(server).getPath()).isEqualTo("/api/ai/queue/" + G1);
      assertThat(next(server).getPath()).isEqualTo("/api/ai/queue/" + G2);
    }

    @Test
    void withNGenerationsTheOutcomeIsUnknownOnceAllAnswer404() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(200, inProgress(G1)));
      server.enqueue(json(404, NOT_FOUND));
      WaitStep.Outcome first = waitStep().step(handle);
      assertThat(first).isInstanceOf(WaitStep.Pending.class);

      server.enqueue(json(404, NOT_FOUND));
      server.enqueue(json(404, NOT_FOUND));
      WaitStep.Outcome second = waitStep().step(((WaitStep.Pending) first).handle());

      assertThat(second).isInstanceOfSatisfying(
          WaitStep.Done.class,
          d -> {
            assertThat(d.result().status()).isEqualTo("OUTCOME_UNKNOWN");
            assertThat(d.result().outputs()).isEmpty();
            assertThat(d.result().warnings()).hasSize(1);
          });
    }
  }

  @Nested
  class Cancel {

    @Test
    void cancelDeletesEachGenerationAndOneThatAlreadyEnded404IsReportedNotRaised() {
      JobHandle handle = submitted(G1, G2);
      server.enqueue(json(200, "{\"status\":\"success\",\"generation_id\":\"" + G1 + "\"}"));
      server.enqueue(json(404, NOT_FOUND));

      CancelReport report = client.cancel(handle);

      RecordedRequest first = next(server);
      assertThat(first.getMethod()).isEqualTo("DELETE");
      assertThat(first.getPath()).isEqualTo("/api/ai/queue/" + G1);
      assertThat(next(server).getPath()).isEqualTo("/api/ai/queue/" + G2);
      assertThat(report.accepted()).isTrue();
      assertThat(report.providerAnswer()).isEqualTo("success,error");
    }
  }
}
