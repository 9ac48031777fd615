package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.job.EnginePace;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.job.GenerationClient;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.multipart;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.callback.CallbackUrls;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.GenerateRequest;
import io.aigen.camunda.connector.store.LocalResultStore;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ElevenLabs dubbing (docs/providers.md §5) against a MockWebServer playing api.elevenlabs.io. */
class ElevenLabsDubbingProtocolTest extends ProviderProtocolTestBase {

  private static final String ID = "21m00Tcm4TlvDq8ikWAM";
  private static final JsonNode INPUT = parse("{\"source_url\":\"https://example.com/talk.mp4\",\"target_lang\":\"es\"}");
  private static final String SUBMITTED = "{\"dubbing_id\":\"" + ID + "\",\"expected_duration_sec\":127.5}";
  private static final byte[] MP3 = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0x00, 0x0F, (byte) 0xF0, 0x00, 0x00, 0x69};

  ElevenLabsDubbingProtocolTest() {
    super(ProviderId.ELEVENLABS_DUBBING, "2026-07-15T14:49:41Z");
  }

  /** The dubbing metadata of §5.2. */
  private static String dubbing(String status, String error) {
    return """
        {"dubbing_id":"%s","name":"My dub","status":"%s","source_language":"en","target_languages":["es"],"editable":false,
         "created_at":"2026-07-15T14:49:41.149000","media_metadata":{"content_type":"video/mp4","duration":127.5},"error":%s}"""
        .formatted(ID, status, error == null ? "null" : "\"" + error + "\"");
  }

  private JobHandle submitted() {
    return atFirstPoll(submitAnswered(json(200, SUBMITTED), null, INPUT));
  }

  @Nested
  class Submit {

    @Test
    void authIsXiApiKeyHeaderWithoutAnyAuthorizationHeader() {
      server.enqueue(json(200, SUBMITTED));

      client.submit(null, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = next(server);
      assertThat(create.getHeader("xi-api-key")).isEqualTo("test-key");
      assertThat(create.getHeader("Authorization")).isNull();
    }

    @Test
    void submitIsMultipartEvenWithOnlySourceUrlAndTargetLangAsTextParts() {
      server.enqueue(json(200, SUBMITTED));

      JobHandle handle = client.submit(null, INPUT, GenerationClient.SubmitExtras.NONE);

      RecordedRequest create = next(server);
      assertThat(create.getMethod()).isEqualTo("POST");
      assertThat(create.getPath()).isEqualTo("/v1/dubbing");
      assertThat(create.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
      Map<String, ProviderFixture.Part> parts = multipart(create);
      assertThat(parts).containsOnlyKeys("source_url", "target_lang");
      assertThat(parts.get("source_url").text()).isEqualTo("https://example.com/talk.mp4");
      assertThat(parts.get("source_url").fileName()).isNull();
      assertThat(parts.get("target_lang").text()).isEqualTo("es");
      assertThat(handle.jobId()).isEqualTo(ID);
      assertThat(handle.model()).isNull();
    }

    @Test
    void fileGivenAsDataUriIsSentAsAFilePartWithItsBytesAndType() {
      server.enqueue(json(200, SUBMITTED));
      String dataUri = "data:audio/mpeg;base64," + Base64.getEncoder().encodeToString(MP3);

      client.submit(null, parse("{\"file\":\"" + dataUri + "\",\"target_lang\":\"de\",\"num_speakers\":0,\"watermark\":true}"), GenerationClient.SubmitExtras.NONE);

      Map<String, ProviderFixture.Part> parts = multipart(next(server));
      assertThat(parts).containsOnlyKeys("file", "target_lang", "num_speakers", "watermark");
      ProviderFixture.Part file = parts.get("file");
      assertThat(file.fileName()).isNotBlank();
      assertThat(file.contentType()).isEqualTo("audio/mpeg");
      assertThat(file.content()).isEqualTo(MP3);
      assertThat(parts.get("target_lang").text()).isEqualTo("de");
      assertThat(parts.get("num_speakers").text()).isEqualTo("0");
      assertThat(parts.get("watermark").text()).isEqualTo("true");
    }

    @Test
    void missingTargetLangIsInvalidInputNamingInputTargetLangBeforeAnyRequest() {
      assertGenerationFailure(() -> client.submit(null, parse("{\"source_url\":\"https://example.com/talk.mp4\"}"), GenerationClient.SubmitExtras.NONE), ErrorCode.AI_INVALID_INPUT, "'input.target_lang'");
      assertThat(server.getRequestCount()).as("nothing sent").isZero();
    }

    @Test
    void expectedDurationSecBecomesTheHandlesExpectedDuration() {
      JobHandle handle = submitted();

      assertThat(handle.expectedDuration()).isEqualTo(Duration.ofMillis(127_500));
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(server.url("/v1/dubbing/" + ID).toString());
      assertThat(handle.parts().get(0).resultUrl()).isEqualTo(server.url("/v1/dubbing/" + ID + "/audio/es").toString());
    }

    @Test
    void generateWaitsExpectedDurationSecBeforeTheFirstPollInsteadOfTheTenSecondInterval() {
      GenerationOperations operations =
          new GenerationOperations(new ProviderSpecs(new ProviderSettings(Map.of("elevenlabs-dubbing", ProviderFixture.baseUrl(ProviderId.ELEVENLABS_DUBBING, server)))), new GenerationClients(ProviderFixture.http(), new LocalResultStore(results, null), clock), new CallbackUrls(null), clock, Json.mapper(), EnginePace.STEADY);
      server.enqueue(json(200, SUBMITTED));

      WaitStep.Outcome first =
          operations.generate(
              new GenerateRequest(ProviderId.ELEVENLABS_DUBBING, "test-key", null, null, null, Map.of("source_url", "https://example.com/talk.mp4", "target_lang", "es"), null, null, null),
              null);

      assertThat(first).isInstanceOfSatisfying(
          WaitStep.Pending.class,
          p -> {
            assertThat(p.delay()).as("the estimate, plus up to 10 % jitter, never less").isBetween(Duration.ofMillis(127_500), Duration.ofMillis(140_250));
            assertThat(p.providerStatus()).isEqualTo("SUBMITTED");
            assertThat(p.handle().jobId()).isEqualTo(ID);
          });
      assertThat(next(server).getHeader("xi-api-key")).isEqualTo("test-key");
    }

    @Test
    void validation422IsInvalidInput() {
      server.enqueue(json(422, "{\"detail\":[{\"loc\":[\"body\",\"target_lang\"],\"msg\":\"Unsupported language: xx\",\"type\":\"value_error\"}]}"));

      assertGenerationFailure(() -> client.submit(null, parse("{\"source_url\":\"https://example.com/a.mp4\",\"target_lang\":\"xx\"}"), GenerationClient.SubmitExtras.NONE), ErrorCode.AI_INVALID_INPUT, "Unsupported language: xx");
    }
  }

  @Nested
  class StatusAndAudio {

    @ParameterizedTest
    @ValueSource(strings = {"queued", "preparing", "dubbing"})
    void queuedPreparingAndDubbingAreRunning(String status) {
      JobHandle handle = submitted();
      WaitStep.Outcome outcome = stepAnswered(handle, json(200, dubbing(status, null)));

      assertThat(outcome).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.providerStatus()).isEqualTo(status));
      RecordedRequest poll = assertRequest(next(server), "GET", "/v1/dubbing/" + ID, "xi-api-key", "test-key");
      assertThat(poll.getHeader("Authorization")).isNull();
    }

    @Test
    void dubbedFetchesAudioOfTargetLang425TooEarlyIsPendingThen200BytesAreStoredAndOnlyTheirUrlIsReturned() throws Exception {
      JobHandle handle = submitted();
      server.enqueue(json(200, dubbing("dubbed", null)));
      WaitStep.Outcome tooEarly = stepAnswered(handle, json(425, "{\"detail\":{\"status\":\"dubbing_not_ready\",\"message\":\"Dubbing is not ready yet\"}}"));

      assertThat(tooEarly).as("425 Too Early is not a failure").isInstanceOf(WaitStep.Pending.class);
      next(server); // status
      RecordedRequest firstAudio = assertRequest(next(server), "GET", "/v1/dubbing/" + ID + "/audio/es", "xi-api-key", "test-key");

      server.enqueue(json(200, dubbing("dubbed", null)));
      server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "audio/mpeg").setBody(new Buffer().write(MP3)));
      WaitStep.Outcome outcome = waitStep().step(((WaitStep.Pending) tooEarly).handle());

      GenerationResult result = done(outcome);
      assertThat(result.outputs()).singleElement().asString().startsWith("file:").endsWith(".mp3");
      Path stored = Path.of(URI.create(result.outputs().get(0)));
      assertThat(stored).startsWith(results);
      assertThat(Files.readAllBytes(stored)).isEqualTo(MP3);
      JsonNode providerResult = result.providerResult();
      assertThat(providerResult.path("url").asText()).isEqualTo(result.outputs().get(0));
      assertThat(providerResult.path("contentType").asText()).isEqualTo("audio/mpeg");
      assertThat(providerResult.path("sizeBytes").asLong()).isEqualTo(MP3.length);
      assertThat(providerResult.toString()).doesNotContain(Base64.getEncoder().encodeToString(MP3));
      assertThat(providerResult.size()).as("a description of the file, no bytes").isEqualTo(4);
    }

    @Test
    void failedIsGenerationFailedWithTheErrorField() {
      JobHandle handle = submitted();
      server.enqueue(json(200, dubbing("failed", "Could not detect any speech in the source")));

      assertGenerationFailure(() -> waitStep().step(handle), ErrorCode.AI_GENERATION_FAILED, "Could not detect any speech in the source");
      assertThat(server.getRequestCount()).as("no audio request for a failed dub").isEqualTo(2);
    }
  }

  @Nested
  class Cancel {

    @Test
    void cancelDeletesTheDubbingProjectWithXiApiKey() {
      JobHandle handle = submitted();
      server.enqueue(json(200, "{\"status\":\"ok\"}"));

      CancelReport report = client.cancel(handle);

      RecordedRequest cancel = assertRequest(next(server), "DELETE", "/v1/dubbing/" + ID, "xi-api-key", "test-key");
      assertThat(report).isEqualTo(new CancelReport("elevenlabs-dubbing", ID, true, 200, "ok"));
    }
  }
}
