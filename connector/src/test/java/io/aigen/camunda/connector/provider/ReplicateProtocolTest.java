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
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replicate predictions (docs/providers.md §2) against a MockWebServer playing api.replicate.com/v1. */
class ReplicateProtocolTest extends ProviderProtocolTestBase {

  private static final String ID = "ufawqhfynnddngldkgtslldrkq";
  private static final String VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";
  private static final String MODEL = "black-forest-labs/flux-schnell";
  private static final JsonNode INPUT = parse("{\"prompt\":\"a cat\",\"num_outputs\":2}");

  ReplicateProtocolTest() {
    super(ProviderId.REPLICATE, "2026-04-26T22:13:06Z");
  }

  /** The prediction object of §2.3, with its urls on the mock server. */
  private String prediction(String status, String output, String error, String metrics) {
    return """
        {"id":"%s","model":"%s","version":"hidden","input":{"prompt":"a cat"},"output":%s,"logs":"","error":%s,
         "status":"%s","data_removed":false,"created_at":"2026-04-26T22:13:06Z","started_at":null,"completed_at":null,
         "deadline":"2026-04-26T22:14:06Z","deployment":null,
         "urls":{"get":"%s","cancel":"%s","stream":"https://stream.replicate.com/v1/files/abc","web":"https://replicate.com/p/%s"},
         "metrics":%s}"""
        .formatted(
            ID, MODEL, output, error == null ? "null" : "\"" + error + "\"", status,
            server.url("/v1/predictions/" + ID), server.url("/v1/predictions/" + ID + "/cancel"), ID, metrics);
  }

  private String prediction(String status) {
    return prediction(status, "null", null, "{}");
  }

  private JobHandle submitted() {
    return atFirstPoll(submitAnswered(json(201, prediction("starting")), MODEL, INPUT));
  }

  @Nested
  class CreateRoutes {

    @Test
    void officialModelOwnerNameGoesToModelsRouteWithOnlyInputInTheBodyAndBearerAuth() {
      server.enqueue(json(201, prediction("starting")));

      JobHandle handle = client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = assertBearerRequest(next(server), "POST", "/v1/models/black-forest-labs/flux-schnell/predictions");
      assertThat(jsonBody(create)).isEqualTo(parse("{\"input\":{\"prompt\":\"a cat\",\"num_outputs\":2}}"));
      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(handle.provider()).isEqualTo("replicate");
    }

    @Test
    void ownerNameColonVersionHashGoesToPredictionsWithVersionInTheBody() {
      server.enqueue(json(201, prediction("starting")));

      client.submit("stability-ai/sdxl:" + VERSION, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = next(server);
      assertThat(create.getPath()).isEqualTo("/v1/predictions");
      assertThat(jsonBody(create)).isEqualTo(parse("{\"version\":\"stability-ai/sdxl:" + VERSION + "\",\"input\":" + INPUT + "}"));
    }

    @Test
    void bare64HexVersionGoesToPredictionsWithVersionInTheBody() {
      server.enqueue(json(201, prediction("starting")));

      client.submit(VERSION, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = next(server);
      assertThat(create.getPath()).isEqualTo("/v1/predictions");
      assertThat(jsonBody(create)).isEqualTo(parse("{\"version\":\"" + VERSION + "\",\"input\":" + INPUT + "}"));
    }

    @Test
    void deploymentsOwnerNameGoesToDeploymentsRouteWithOnlyInput() {
      server.enqueue(json(201, prediction("starting")));

      client.submit("deployments/acme/my-flux", INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = next(server);
      assertThat(create.getPath()).isEqualTo("/v1/deployments/acme/my-flux/predictions");
      assertThat(jsonBody(create)).isEqualTo(parse("{\"input\":" + INPUT + "}"));
    }

    @Test
    void create201IsAcceptedAndTheHandlePollsAndCancelsTheUrlsOfTheAnswer() {
      JobHandle handle = submitted();

      assertThat(handle.parts()).hasSize(1);
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url("/v1/predictions/" + ID).toString());
      assertThat(handle.parts().get(0).cancelUrl()).isEqualTo(server.url("/v1/predictions/" + ID + "/cancel").toString());
    }

    @Test
    void preferWaitIsNotSentWithoutOptionsSoTheCreateIsNotHeldOpen() {
      server.enqueue(json(201, prediction("starting")));

      client.submit(MODEL, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = next(server);
      assertThat(create.getHeader("Prefer")).isNull();
      assertThat(create.getHeader("Cancel-After")).isNull();
    }

    @Test
    void preferWait5IsSentOnlyWhenOptionsSayWait5AndAStillStartingAnswerIsPolledAsUsual() {
      server.enqueue(json(201, prediction("starting")));

      JobHandle handle = client.submit(MODEL, INPUT, new SubmitExtras(parse("{\"wait\":5}"), null, null));

      RecordedRequest create = next(server);
      assertThat(create.getHeader("Prefer")).isEqualTo("wait=5");
      assertThat(create.getHeader("Cancel-After")).isNull();
      assertThat(handle.jobId()).isEqualTo(ID);
    }

    @Test
    void cancelAfterDeadlineHeaderComesFromOptionsCancelAfter() {
      server.enqueue(json(201, prediction("starting")));

      client.submit(MODEL, INPUT, new SubmitExtras(parse("{\"cancelAfter\":\"5m\"}"), null, null));

      RecordedRequest create = next(server);
      assertThat(create.getHeader("Cancel-After")).isEqualTo("5m");
      assertThat(create.getHeader("Prefer")).isNull();
    }
  }

  @Nested
  class Lifecycle {

    @ParameterizedTest
    @ValueSource(strings = {"starting", "processing"})
    void startingIncludingColdBootAndProcessingAreRunningAndPollGetsUrlsGet(String status) {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, prediction(status)));

      assertPending(outcome, status, Duration.ofSeconds(2));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", "/v1/predictions/" + ID);
    }

    @Test
    void processingShowsTheLastLineOfTheLogsTextAsProgress() {
      JobHandle handle = submitted();
      String processing = prediction("processing").replace("\"logs\":\"\"", "\"logs\":\"Using seed: 42\\n  4%|▍         | 1/28 [00:00<00:05]\\n 50%|█████     | 14/28 [00:02<00:02]\\n\"");

      WaitStep.Outcome outcome = stepAnswered(handle, json(200, processing));

      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Pending.class, p -> assertThat(p.progress().log()).isEqualTo("50%|█████     | 14/28 [00:02<00:02]"));
    }

    @Test
    void succeededWithAStringUrlOutputGivesThatUrlAndPredictTimeMetricsAndTheOneHourDeletionWarning() {
      JobHandle handle = submitted();
      server.enqueue(json(200, prediction("succeeded", "\"https://replicate.delivery/xezq/out-0.webp\"", null, "{\"predict_time\":3.1,\"total_time\":3.5}")));
      clock.advance(Duration.ofSeconds(4));

      GenerationResult result = done(waitStep().step(handle));

      assertThat(result.status()).isEqualTo("SUCCEEDED");
      assertThat(result.outputs()).containsExactly("https://replicate.delivery/xezq/out-0.webp");
      assertThat(result.providerResult()).isEqualTo(parse("\"https://replicate.delivery/xezq/out-0.webp\""));
      assertThat(result.metrics().get("provider")).isEqualTo(Map.of("predict_time", 3.1, "total_time", 3.5));
      assertThat(result.metrics()).as("2 s to the first poll, then 4 s").containsEntry("waitedMs", 6000L);
      assertThat(result.warnings()).singleElement().asString().contains("1 hour");
      assertThat(server.getRequestCount()).as("output is on the prediction: no separate result request").isEqualTo(2);
    }

    @Test
    void succeededWithAListOfUrlsGivesEveryUrl() {
      JobHandle handle = submitted();
      server.enqueue(
          json(200, prediction("succeeded", "[\"https://replicate.delivery/a.png\",\"https://replicate.delivery/b.png\"]", null, "{\"predict_time\":7.9}")));

      GenerationResult result = done(waitStep().step(handle));

      assertThat(result.outputs()).containsExactly("https://replicate.delivery/a.png", "https://replicate.delivery/b.png");
      assertThat(result.metrics().get("provider")).isEqualTo(Map.of("predict_time", 7.9));
    }

    @Test
    void failedIsGenerationFailedCarryingReplicatesErrorText() {
      JobHandle handle = submitted();
      server.enqueue(json(200, prediction("failed", "null", "CUDA error: out of memory", "{}")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "CUDA error: out of memory", ID);
    }

    @Test
    void canceledIsGenerationCancelled() {
      JobHandle handle = submitted();
      server.enqueue(json(200, prediction("canceled")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_CANCELLED, "canceled");
    }

    @Test
    void abortedByCancelAfterDeadlineIsTerminalCancelledNotPolledForeverLikeTheOfficialClientsDo() {
      JobHandle handle = submitted();
      server.enqueue(json(200, prediction("aborted")));

      assertThat(client.poll(handle).phase()).isEqualTo(Phase.CANCELLED);

      server.enqueue(json(200, prediction("aborted")));
      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_CANCELLED, "aborted");
    }

    @Test
    void throttled429WithRetryAfterOnTheStatusPollIsPendingForExactlyThatDelay() {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(429, "{\"detail\":\"Request was throttled. Your rate limit resets in ~30s.\"}").setHeader("Retry-After", "30"));

      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Pending.class,
          p -> {
            assertThat(p.delay()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.providerStatus()).isEqualTo("UNAVAILABLE");
          });
    }

    @Test
    void unknownFutureStatusIsRunningNotAFailure() {
      JobHandle handle = submitted();
      server.enqueue(json(200, prediction("booting")));

      JobStatus status = client.poll(handle);

      assertThat(status.phase()).isEqualTo(Phase.RUNNING);
    }
  }

  @Nested
  class Cancel {

    @Test
    void cancelPostsToUrlsCancelOfTheAnswerAndReportsThePredictionsStatus() {
      JobHandle handle = submitted();
      server.enqueue(json(200, prediction("canceled")));

      CancelReport report = client.cancel(handle);

      RecordedRequest cancel = assertBearerRequest(next(server), "POST", "/v1/predictions/" + ID + "/cancel");
      assertThat(report).isEqualTo(new CancelReport("replicate", ID, true, 200, "canceled"));
    }

    @Test
    void cancelOfAnAlreadySucceededPredictionIsReportedWithItsStatus() {
      JobHandle handle = submitted();
      server.enqueue(json(200, prediction("succeeded", "\"https://replicate.delivery/x.png\"", null, "{}")));

      assertThat(client.cancel(handle).providerAnswer()).isEqualTo("succeeded");
    }
  }
}
