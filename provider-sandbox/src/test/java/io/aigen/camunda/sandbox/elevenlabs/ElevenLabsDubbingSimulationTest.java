package io.aigen.camunda.sandbox.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.MultipartBody;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.media.FakeMedia;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ElevenLabsDubbingSimulationTest {

  static final String KEY = "xi-test-key";
  static final Duration WAIT = Duration.ofSeconds(5);
  static final byte[] VIDEO = FakeMedia.mp4("source clip");

  private ProviderSandbox sandbox;
  private final SandboxHttp http = new SandboxHttp(null);

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private HttpRequest.Builder request(String path) {
    return http.request(sandbox.providerBaseUrl("elevenlabs-dubbing") + path).header("xi-api-key", KEY);
  }

  private Reply call(String method, String path) {
    return http.send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private Reply post(MultipartBody form) {
    return http.send(request("/v1/dubbing").header("Content-Type", form.contentType()).POST(form.publisher()));
  }

  private static MultipartBody upload(String sandboxKnobs) {
    MultipartBody form = new MultipartBody().file("file", "clip.mp4", "video/mp4", VIDEO).field("target_lang", "es");
    return sandboxKnobs == null ? form : form.field("sandbox", sandboxKnobs);
  }

  private String submit(MultipartBody form) {
    Reply reply = post(form);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json().get("dubbing_id").asText();
  }

  private JsonNode awaitStatus(String id, String status) {
    Supplier<Reply> read = () -> {
      Reply reply = call("GET", "/v1/dubbing/" + id);
      assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
      return reply;
    };
    return SandboxHttp.awaitMatch(read, reply -> reply.json().get("status").asText().equals(status), WAIT).json();
  }

  private static void assertDetail(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    assertThat(reply.json().get("detail").get("status").asText()).isEqualTo(code);
    assertThat(reply.json().get("detail").get("message").asText()).isNotBlank();
  }

  private static void assertValidation(Reply reply, String loc, String type) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(422);
    JsonNode item = reply.json().get("detail").get(0);
    assertThat(item.get("loc").toString()).isEqualTo(loc);
    assertThat(item.get("type").asText()).isEqualTo(type);
    assertThat(item.get("msg").asText()).isNotBlank();
  }

  @Test
  void submitAnswersATwentyCharacterIdAndTheExpectedDuration() {
    Reply reply = post(upload("{\"durationMs\":1500}"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("dubbing_id").asText()).matches("[0-9A-Za-z]{20}");
    assertThat(reply.json().get("expected_duration_sec").isFloatingPointNumber()).isTrue();
    assertThat(reply.json().get("expected_duration_sec").asDouble()).isEqualTo(1.5);
    assertThat(reply.json().size()).isEqualTo(2);
  }

  @Test
  void statusGoesFromQueuedThroughPreparingAndDubbingToDubbed() {
    String id = submit(upload("{\"durationMs\":1200}").field("name", "My dub").field("source_lang", "de"));
    List<String> seen = new ArrayList<>();

    JsonNode dubbed;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode body = call("GET", "/v1/dubbing/" + id).json();
      String status = body.get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
      }
      if (status.equals("dubbed")) {
        dubbed = body;
        break;
      }
      assertThat(System.nanoTime()).as("still " + body).isLessThan(deadline);
      SandboxHttp.sleep(20);
    }

    assertThat(seen).containsExactly("queued", "preparing", "dubbing", "dubbed");
    assertThat(dubbed.get("dubbing_id").asText()).isEqualTo(id);
    assertThat(dubbed.get("name").asText()).isEqualTo("My dub");
    assertThat(dubbed.get("source_language").asText()).isEqualTo("de");
    assertThat(dubbed.get("target_languages").toString()).isEqualTo("[\"es\"]");
    assertThat(dubbed.get("editable").asBoolean(true)).isFalse();
    assertThat(dubbed.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    assertThat(dubbed.get("media_metadata").get("content_type").asText()).isEqualTo("video/mp4");
    assertThat(dubbed.get("media_metadata").get("duration").asDouble()).isCloseTo(1.2, offset(1e-9));
    assertThat(dubbed.get("error").isNull()).isTrue();
  }

  @Test
  void audioIsTooEarlyUntilDubbedThenAnMp3() {
    String id = submit(upload("{\"durationMs\":500}"));

    assertDetail(call("GET", "/v1/dubbing/" + id + "/audio/es"), 425, "dubbing_not_ready");
    awaitStatus(id, "dubbed");

    HttpResponse<byte[]> audio = http.send(request("/v1/dubbing/" + id + "/audio/es").GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(audio.statusCode()).isEqualTo(200);
    assertThat(audio.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
    assertThat(new String(audio.body(), 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("ID3");
    assertThat(new String(audio.body(), StandardCharsets.UTF_8)).contains(id).contains("in es");
    assertDetail(call("GET", "/v1/dubbing/" + id + "/audio/fr"), 404, "language_not_found");
    assertDetail(call("GET", "/v1/dubbing/unknownunknownunknow/audio/es"), 404, "dubbing_not_found");
  }

  @Test
  void sourceUrlAloneIsEnoughButTheSubmitMustStillBeMultipart() {
    MultipartBody form = new MultipartBody()
        .field("source_url", "https://example.org/talk.mp3").field("target_lang", "fr").field("source_lang", "auto");
    String id = submit(form);

    JsonNode body = call("GET", "/v1/dubbing/" + id).json();
    assertThat(body.get("name").asText()).isEqualTo("https://example.org/talk.mp3");
    assertThat(body.get("source_language").asText()).isEqualTo("en");
    assertThat(body.get("media_metadata").get("content_type").asText()).isEqualTo("audio/mpeg");

    Reply json = http.send(request("/v1/dubbing").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"source_url\":\"https://example.org/a.mp4\",\"target_lang\":\"es\"}")));
    assertValidation(json, "[\"body\"]", "value_error");
    assertThat(json.json().get("detail").get(0).get("msg").asText()).contains("multipart/form-data");
  }

  @Test
  void exactlyOneOfFileAndSourceUrlIsRequired() {
    assertValidation(post(new MultipartBody().field("target_lang", "es")), "[\"body\",\"file\"]", "value_error.missing");
    assertValidation(post(upload(null).field("source_url", "https://example.org/a.mp4")),
        "[\"body\",\"source_url\"]", "value_error");
    assertValidation(post(new MultipartBody().field("file", "not a file part").field("target_lang", "es")),
        "[\"body\",\"file\"]", "value_error.missing");
  }

  @Test
  void targetLanguageIsRequiredAndTypedFieldsAreChecked() {
    MultipartBody noTarget = new MultipartBody().file("file", "clip.mp4", "video/mp4", VIDEO);
    assertValidation(post(noTarget), "[\"body\",\"target_lang\"]", "value_error.missing");
    assertValidation(post(upload(null).field("num_speakers", "two")), "[\"body\",\"num_speakers\"]", "type_error.integer");
    assertValidation(post(upload(null).field("watermark", "maybe")), "[\"body\",\"watermark\"]", "type_error.bool");
    assertThat(post(upload(null).field("num_speakers", "0").field("watermark", "TRUE").field("mode", "automatic")).status())
        .isEqualTo(200);
  }

  @Test
  void failedDubReportsTheErrorAndHasNoAudio() {
    String id = submit(upload("{\"durationMs\":200,\"fail\":\"Unsupported audio codec\"}"));

    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.get("error").asText()).isEqualTo("Unsupported audio codec");
    Reply audio = call("GET", "/v1/dubbing/" + id + "/audio/es");
    assertDetail(audio, 404, "dubbing_failed");
    assertThat(audio.json().get("detail").get("message").asText()).contains("Unsupported audio codec");
  }

  @Test
  void failMarkerInTheNameFailsTheDub() {
    String id = submit(upload(null).field("name", "intro [fail]"));

    assertThat(awaitStatus(id, "failed").get("error").asText()).contains("[fail]");
  }

  @Test
  void slowMarkerInTheNameMakesTheDubTenTimesLonger() {
    Reply reply = post(upload(null).field("name", "intro [slow]"));

    assertThat(reply.json().get("expected_duration_sec").asDouble()).isEqualTo(3.0);
    SandboxHttp.sleep(450);
    assertThat(call("GET", "/v1/dubbing/" + reply.json().get("dubbing_id").asText()).json().get("status").asText())
        .isNotEqualTo("dubbed");
  }

  @Test
  void deleteRemovesTheProjectAtAnyStage() {
    String id = submit(upload("{\"durationMs\":5000}"));

    Reply deleted = call("DELETE", "/v1/dubbing/" + id);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json()).isEqualTo(SandboxHttp.json("{\"status\":\"ok\"}"));
    assertDetail(call("GET", "/v1/dubbing/" + id), 404, "dubbing_not_found");
    assertDetail(call("GET", "/v1/dubbing/" + id + "/audio/es"), 404, "dubbing_not_found");
    assertDetail(call("DELETE", "/v1/dubbing/" + id), 404, "dubbing_not_found");
  }

  @Test
  void firstStatusPollsAreRateLimited() {
    String id = submit(upload("{\"rateLimitPolls\":2,\"retryAfterSeconds\":3}"));

    for (int i = 0; i < 2; i++) {
      Reply limited = call("GET", "/v1/dubbing/" + id);
      assertDetail(limited, 429, "rate_limit_exceeded");
      assertThat(limited.header("Retry-After")).isEqualTo("3");
    }
    assertThat(call("GET", "/v1/dubbing/" + id).status()).isEqualTo(200);
  }

  @Test
  void requestsWithoutAnApiKeyAreUnauthorized() {
    String id = submit(upload(null));

    Reply missing = http.send(http.request(sandbox.providerBaseUrl("elevenlabs-dubbing") + "/v1/dubbing/" + id).GET());
    assertDetail(missing, 401, "invalid_api_key");
    Reply bearer = http.send(http.request(sandbox.providerBaseUrl("elevenlabs-dubbing") + "/v1/dubbing/" + id)
        .header("Authorization", "Bearer " + KEY).GET());
    assertDetail(bearer, 401, "invalid_api_key");
    Reply blank = http.send(http.request(sandbox.providerBaseUrl("elevenlabs-dubbing") + "/v1/dubbing")
        .header("xi-api-key", " ").POST(upload(null).publisher()));
    assertDetail(blank, 401, "invalid_api_key");
  }

  @Test
  void unknownIdsPathsAndMethodsAreRefused() {
    assertDetail(call("GET", "/v1/dubbing/unknownunknownunknow"), 404, "dubbing_not_found");
    assertThat(call("GET", "/v1/voices").status()).isEqualTo(404);
    assertThat(call("GET", "/v1/dubbing/x/audio").status()).isEqualTo(404);
    Reply put = call("PUT", "/v1/dubbing/" + submit(upload(null)));
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.json().get("detail").asText()).isEqualTo("Method Not Allowed");
  }

  @Test
  void sandboxFieldErrorsAndForcedSubmitStatuses() {
    assertValidation(post(upload("{\"durationMS\":10}")), "[\"body\",\"sandbox\",\"durationMS\"]", "value_error");
    assertValidation(post(upload("{not json")), "[\"body\",\"sandbox\"]", "value_error");

    Reply limited = post(upload("{\"submitStatus\":429,\"retryAfterSeconds\":7}"));
    assertDetail(limited, 429, "rate_limit_exceeded");
    assertThat(limited.header("Retry-After")).isEqualTo("7");
    assertDetail(post(upload("{\"submitStatus\":503}")), 503, "internal_server_error");
    assertValidation(post(upload("{\"submitStatus\":422}")), "[\"body\"]", "value_error");
    assertThat(post(upload("{\"submitStatus\":200}")).status()).isEqualTo(200);
  }

  @Test
  void malformedMultipartBodiesAreRejected() {
    Reply reply = http.send(request("/v1/dubbing").header("Content-Type", "multipart/form-data; boundary=xyz")
        .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end")));

    assertValidation(reply, "[\"body\"]", "value_error");
    assertThat(reply.json().get("detail").get(0).get("msg").asText()).contains("closing boundary");
  }
}
