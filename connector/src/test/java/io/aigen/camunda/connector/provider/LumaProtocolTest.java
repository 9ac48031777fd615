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
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.support.ProviderProtocolTestBase;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Luma Dream Machine (docs/providers.md §4) against a MockWebServer playing api.lumalabs.ai/dream-machine/v1. */
class LumaProtocolTest extends ProviderProtocolTestBase {

  private static final String ID = "123e4567-e89b-12d3-a456-426614174000";
  private static final String BASE = "/dream-machine/v1";
  private static final JsonNode INPUT = parse("{\"prompt\":\"A teddy bear playing guitar\",\"aspect_ratio\":\"16:9\",\"loop\":false,\"resolution\":\"720p\",\"duration\":\"5s\"}");

  LumaProtocolTest() {
    super(ProviderId.LUMA, "2026-06-01T12:00:00Z");
  }

  /** The Generation object of §4.3: the state is in {@code state}, not {@code status}. */
  private static String generation(String type, String state, String failureReason, String video, String image, String progressVideo) {
    return """
        {"id":"%s","generation_type":"%s","state":"%s","failure_reason":%s,"created_at":"2026-06-01T12:00:00Z","model":"ray-2",
         "assets":{"video":%s,"image":%s,"progress_video":%s},"request":{"model":"ray-2","prompt":"A teddy bear playing guitar"}}"""
        .formatted(ID, type, state, quoted(failureReason), quoted(video), quoted(image), quoted(progressVideo));
  }

  private static String quoted(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  private static String video(String state) {
    return generation("video", state, null, null, null, null);
  }

  private JobHandle submitted() {
    return atFirstPoll(submitAnswered(json(201, video("queued")), "ray-2", INPUT));
  }

  @Nested
  class Create {

    @Test
    void defaultRouteIsGenerationsVideoWithModelNextToTheInputAndNoCallbackUrl() {
      server.enqueue(json(201, video("queued")));

      JobHandle handle = client.submit("ray-2", INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = assertBearerRequest(next(server), "POST", BASE + "/generations/video");
      JsonNode body = jsonBody(create);
      assertThat(body).isEqualTo(parse("{\"model\":\"ray-2\"," + INPUT.toString().substring(1)));
      assertThat(body.has("callback_url")).isFalse();
      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url(BASE + "/generations/" + ID).toString());
    }

    @Test
    void optionsEndpointGenerationsUsesTheOlderVideoRoute() {
      server.enqueue(json(201, video("queued")));

      client.submit("ray-1-6", INPUT, new SubmitExtras(parse("{\"endpoint\":\"generations\"}"), null, null));

      assertThat(next(server).getPath()).isEqualTo(BASE + "/generations");
    }

    @Test
    void optionsEndpointGenerationsImageUsesTheImageRoute() {
      server.enqueue(json(201, generation("image", "queued", null, null, null, null)));

      client.submit("photon-1", parse("{\"prompt\":\"a lighthouse\",\"aspect_ratio\":\"1:1\"}"), new SubmitExtras(parse("{\"endpoint\":\"generations/image\"}"), null, null));

      RecordedRequest create = next(server);
      assertThat(create.getPath()).isEqualTo(BASE + "/generations/image");
      assertThat(jsonBody(create)).isEqualTo(parse("{\"model\":\"photon-1\",\"prompt\":\"a lighthouse\",\"aspect_ratio\":\"1:1\"}"));
    }

    @Test
    void callbackUrlIsSentOnlyWhenThereIsOne() {
      server.enqueue(json(201, video("queued")));

      client.submit("ray-2", INPUT, new SubmitExtras(null, "https://example.com/luma", null));

      assertThat(jsonBody(next(server)).path("callback_url").asText()).isEqualTo("https://example.com/luma");
    }
  }

  @Nested
  class States {

    @ParameterizedTest
    @ValueSource(strings = {"queued", "dreaming"})
    void queuedAndDreamingReadFromStateNotStatusAreRunning(String state) {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, video(state)));

      assertPending(outcome, state, Duration.ofSeconds(5));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", BASE + "/generations/" + ID);
    }

    @Test
    void completedVideoGivesAssetsVideoButNotTheProgressVideo() {
      JobHandle handle = submitted();
      String completed = generation("video", "completed", null, "https://cdn.lumalabs.ai/v.mp4", null, "https://cdn.lumalabs.ai/progress.mp4");
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, completed));

      GenerationResult result = done(outcome);
      assertThat(result.outputs()).containsExactly("https://cdn.lumalabs.ai/v.mp4");
      assertThat(result.providerResult()).isEqualTo(parse(completed));
    }

    @Test
    void completedImageGivesAssetsImage() {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, generation("image", "completed", null, null, "https://cdn.lumalabs.ai/i.jpg", null)));

      assertThat(outcome).isInstanceOfSatisfying(
          WaitStep.Done.class, d -> assertThat(d.result().outputs()).containsExactly("https://cdn.lumalabs.ai/i.jpg"));
    }

    @Test
    void failedIsGenerationFailedWithFailureReasonAsTheError() {
      JobHandle handle = submitted();
      server.enqueue(json(200, generation("video", "failed", "400: prompt not allowed because advanced moderation failed", null, null, null)));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "prompt not allowed because advanced moderation failed", ID);
    }
  }

  @Nested
  class Cancel {

    @Test
    void cancelIsDeleteGenerationAnswering204() {
      JobHandle handle = submitted();
      server.enqueue(new MockResponse().setResponseCode(204));

      CancelReport report = client.cancel(handle);

      RecordedRequest cancel = assertBearerRequest(next(server), "DELETE", BASE + "/generations/" + ID);
      assertThat(report).isEqualTo(new CancelReport("luma", ID, true, 204, "HTTP 204"));
    }
  }
}
