package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.GenerationClient;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.multipart;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.JobStatus;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.support.ProviderFixture;
import io.aigen.camunda.connector.support.ProviderProtocolTestBase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Stability AI image-to-video (docs/providers.md §6) against a MockWebServer playing api.stability.ai. */
class StabilityVideoProtocolTest extends ProviderProtocolTestBase {

  private static final String ID = "a6dc6c6e20acda010fe14d71f180658f2896ed9b4ec25aa99a6ff06c796987c4";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  private static final byte[] MP4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0, (byte) 0xFF, (byte) 0x80};
  private static final String PNG_DATA_URI = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
  private static final String MP4_BASE64 = Base64.getEncoder().encodeToString(MP4);

  StabilityVideoProtocolTest() {
    super(ProviderId.STABILITY_VIDEO, "2026-05-01T09:00:00Z");
  }

  private static JsonNode input(String image) {
    return parse("{\"image\":\"" + image + "\",\"seed\":0,\"cfg_scale\":1.8,\"motion_bucket_id\":127}");
  }

  private JobHandle submitted() {
    server.enqueue(json(200, "{\"id\":\"" + ID + "\"}"));
    JobHandle handle = client.submit(null, input(PNG_DATA_URI), GenerationClient.SubmitExtras.NONE);
    next(server);
    return atFirstPoll(handle);
  }

  private static String finished(String finishReason) {
    return "{\"video\":\"" + MP4_BASE64 + "\",\"finish_reason\":\"" + finishReason + "\",\"seed\":123}";
  }

  @Nested
  class Submit {

    @Test
    void multipartWithImageFilePartFromADataUriAndTheOtherFieldsAsTextParts() {
      server.enqueue(json(200, "{\"id\":\"" + ID + "\"}"));

      JobHandle handle = client.submit(null, input(PNG_DATA_URI), GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = assertBearerRequest(next(server), "POST", "/v2beta/image-to-video");
      Map<String, ProviderFixture.Part> parts = multipart(create);
      assertThat(parts).containsOnlyKeys("image", "seed", "cfg_scale", "motion_bucket_id");
      assertThat(parts.get("image").fileName()).isNotBlank();
      assertThat(parts.get("image").contentType()).isEqualTo("image/png");
      assertThat(parts.get("image").content()).isEqualTo(PNG);
      assertThat(parts.get("seed").text()).isEqualTo("0");
      assertThat(parts.get("cfg_scale").text()).isEqualTo("1.8");
      assertThat(parts.get("motion_bucket_id").text()).isEqualTo("127");
      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url("/v2beta/image-to-video/result/" + ID).toString());
    }

    @Test
    void imageGivenAsUrlIsDownloadedWithoutCredentialsAndSentAsTheFilePart() {
      server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "image/png").setBody(new Buffer().write(PNG)));
      server.enqueue(json(200, "{\"id\":\"" + ID + "\"}"));
      String imageUrl = server.url("/frames/first.png").toString();

      client.submit(null, input(imageUrl), GenerationClient.SubmitExtras.NONE);

      RecordedRequest download = next(server);
      assertThat(download.getMethod()).isEqualTo("GET");
      assertThat(download.getPath()).isEqualTo("/frames/first.png");
      assertThat(download.getHeader("Authorization")).as("a file download goes without the API key").isNull();
      RecordedRequest create = next(server);
      assertThat(create.getPath()).isEqualTo("/v2beta/image-to-video");
      assertThat(create.getHeader("Authorization")).isEqualTo("Bearer test-key");
      ProviderFixture.Part image = multipart(create).get("image");
      assertThat(image.fileName()).isEqualTo("first.png");
      assertThat(image.contentType()).isEqualTo("image/png");
      assertThat(image.content()).isEqualTo(PNG);
    }

    @Test
    void imageUrlThatCannotBeDownloadedIsInvalidInputNamingInputImageAndNothingIsSubmitted() {
      server.enqueue(new MockResponse().setResponseCode(404));
      String imageUrl = server.url("/frames/missing.png").toString();

      assertGenerationFailure(() -> client.submit(null, input(imageUrl), GenerationClient.SubmitExtras.NONE), ErrorCode.AI_INVALID_INPUT, "'input.image'", "404");
      assertThat(server.getRequestCount()).as("only the download").isEqualTo(1);
    }

    @Test
    void missingImageIsInvalidInputNamingInputImageBeforeAnyRequest() {
      assertGenerationFailure(() -> client.submit(null, parse("{\"seed\":0,\"cfg_scale\":1.8}"), GenerationClient.SubmitExtras.NONE), ErrorCode.AI_INVALID_INPUT, "'input.image'");
      assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void badRequest400WithErrorsListIsInvalidInput() {
      server.enqueue(json(400, "{\"id\":\"e1\",\"name\":\"bad_request\",\"errors\":[\"image: dimensions must be 1024x576, 576x1024 or 768x768\"]}"));

      assertGenerationFailure(() -> client.submit(null, input(PNG_DATA_URI), GenerationClient.SubmitExtras.NONE), ErrorCode.AI_INVALID_INPUT, "dimensions must be 1024x576");
    }
  }

  @Nested
  class Result {

    @Test
    void http202IsRunningByCodeWithoutAnyStatusFieldAndThePollAsksForJson() {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(202, "{\"id\":\"" + ID + "\",\"status\":\"in-progress\"}"));

      assertPending(outcome, "HTTP 202", Duration.ofSeconds(10));
      RecordedRequest poll = assertBearerRequest(next(server), "GET", "/v2beta/image-to-video/result/" + ID);
      assertThat(poll.getHeader("Accept")).as("video/* would answer raw MP4 without finish_reason").isEqualTo("application/json");
    }

    @Test
    void http200WithFinishReasonSuccessStoresTheBase64VideoAsAFileAndKeepsNoBase64InTheResult() throws Exception {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, finished("SUCCESS")));

      GenerationResult result = done(outcome);
      assertThat(result.outputs()).singleElement().asString().startsWith("file:").endsWith(".mp4");
      Path stored = Path.of(URI.create(result.outputs().get(0)));
      assertThat(stored).startsWith(results);
      assertThat(Files.readAllBytes(stored)).isEqualTo(MP4);
      JsonNode providerResult = result.providerResult();
      assertThat(providerResult.toString()).doesNotContain(MP4_BASE64);
      assertThat(providerResult.path("finish_reason").asText()).isEqualTo("SUCCESS");
      assertThat(providerResult.path("seed").asInt()).isEqualTo(123);
      assertThat(providerResult.path("video").path("url").asText()).isEqualTo(result.outputs().get(0));
      assertThat(providerResult.path("video").path("contentType").asText()).isEqualTo("video/mp4");
      assertThat(server.getRequestCount()).as("the finished poll answer is the result").isEqualTo(2);
    }

    @Test
    void contentFilteredArrivesAsHttp200AndIsContentFiltered() {
      JobHandle handle = submitted();
      server.enqueue(json(200, finished("CONTENT_FILTERED")));
      server.enqueue(json(200, finished("CONTENT_FILTERED")));

      JobStatus status = client.poll(handle);
      assertThat(status.phase()).isEqualTo(Phase.FAILED);
      assertThat(status.contentFiltered()).isTrue();

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(GenerationFailure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.AI_CONTENT_FILTERED));
      assertThat(results).isEmptyDirectory();
    }

    @Test
    void finishReasonErrorAtHttp200IsGenerationFailed() {
      JobHandle handle = submitted();
      server.enqueue(json(200, finished("ERROR")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "ERROR", ID);
    }

    @Test
    void http404UnknownIdOrOtherKeyIsGenerationFailed() {
      JobHandle handle = submitted();
      server.enqueue(json(404, "{\"id\":\"e2\",\"name\":\"not_found\",\"errors\":[\"generation not found\"]}"));

      assertThatThrownBy(() -> waitStep().step(handle))
          .isInstanceOfSatisfying(GenerationFailure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_FAILED));
    }
  }

  @Nested
  class NoCancel {

    @Test
    void stabilityHasNoCancelSoTheSpecSaysSoAndNothingIsSent() {
      assertThat(spec.canCancel()).isFalse();
      JobHandle handle = submitted();

      CancelReport report = client.cancel(handle);

      assertThat(report).isEqualTo(new CancelReport("stability-video", ID, false, 0, "NOT_SUPPORTED"));
      assertThat(handle.parts().get(0).cancelUrl()).isNull();
      assertThat(server.getRequestCount()).as("only the submit").isEqualTo(1);
    }
  }
}
