package io.aigen.camunda.sandbox.stability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.MultipartBody;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StabilityVideoSimulationTest {

  static final String KEY = "sk-test";
  static final Duration WAIT = Duration.ofSeconds(5);
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

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

  private HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder request = http.request(sandbox.providerBaseUrl("stability-video") + path);
    return key == null ? request : request.header("Authorization", "Bearer " + key);
  }

  private Reply post(MultipartBody form) {
    return http.send(request("/v2beta/image-to-video", KEY).header("Content-Type", form.contentType()).POST(form.publisher()));
  }

  private Reply result(String id, String accept) {
    HttpRequest.Builder request = request("/v2beta/image-to-video/result/" + id, KEY).GET();
    return http.send(accept == null ? request : request.header("Accept", accept));
  }

  private static MultipartBody image(String sandboxKnobs) {
    MultipartBody form = new MultipartBody().file("image", "start.png", "image/png", PNG);
    return sandboxKnobs == null ? form : form.field("sandbox", sandboxKnobs);
  }

  private String submit(MultipartBody form) {
    Reply reply = post(form);
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(200);
    return reply.json().get("id").asText();
  }

  /** Polls with {@code Accept: application/json} until the result is no longer 202. */
  private Reply awaitResult(String id) {
    return SandboxHttp.awaitMatch(() -> result(id, "application/json"), reply -> reply.status() != 202, WAIT);
  }

  private static void assertError(Reply reply, int status, String name, String... errors) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
    JsonNode body = reply.json();
    assertThat(body.get("id").asText()).matches("[0-9a-f]{32}");
    assertThat(body.get("name").asText()).isEqualTo(name);
    List<String> actual = new ArrayList<>();
    body.get("errors").forEach(e -> actual.add(e.asText()));
    if (errors.length == 0) {
      assertThat(actual).isNotEmpty();
    } else {
      assertThat(actual).containsExactlyInAnyOrder(errors);
    }
  }

  @Test
  void resultIsAcceptedThenInProgressThenTheRawVideo() {
    Reply submitted = post(image("{\"durationMs\":400}").field("seed", "7").field("cfg_scale", "1.8")
        .field("motion_bucket_id", "127"));
    assertThat(submitted.status()).isEqualTo(200);
    assertThat(submitted.json().size()).isEqualTo(1);
    String id = submitted.json().get("id").asText();
    assertThat(id).matches("[0-9a-f]{64}");

    Reply running = result(id, null);
    assertThat(running.status()).isEqualTo(202);
    assertThat(running.json()).isEqualTo(SandboxHttp.json("{\"id\":\"" + id + "\",\"status\":\"in-progress\"}"));

    awaitResult(id);
    HttpResponse<byte[]> video = http.send(request("/v2beta/image-to-video/result/" + id, KEY).GET(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(video.statusCode()).isEqualTo(200);
    assertThat(video.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(video.headers().firstValue("finish-reason")).hasValue("SUCCESS");
    assertThat(video.headers().firstValue("seed")).hasValue("7");
    assertThat(new String(video.body(), 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("ftyp");
    assertThat(new String(video.body(), StandardCharsets.UTF_8)).contains(id).contains("start.png");

    HttpResponse<byte[]> explicit = http.send(request("/v2beta/image-to-video/result/" + id, KEY)
        .header("Accept", "video/*").GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(explicit.body()).isEqualTo(video.body());
  }

  @Test
  void jsonResultCarriesTheVideoAsBase64WithFinishReasonAndSeed() {
    String id = submit(image("{\"durationMs\":100}").field("seed", "123"));

    Reply done = awaitResult(id);
    assertThat(done.status()).isEqualTo(200);
    JsonNode body = done.json();
    assertThat(body.get("finish_reason").asText()).isEqualTo("SUCCESS");
    assertThat(body.get("seed").asLong()).isEqualTo(123);
    byte[] video = Base64.getDecoder().decode(body.get("video").asText());
    assertThat(new String(video, 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("ftyp");
  }

  @Test
  void seedZeroOrAbsentMeansARandomSeedThatStaysTheSame() {
    String id = submit(image("{\"durationMs\":0}").field("seed", "0"));

    long seed = awaitResult(id).json().get("seed").asLong();
    assertThat(seed).isBetween(1L, 4_294_967_294L);
    assertThat(result(id, "application/json").json().get("seed").asLong()).isEqualTo(seed);
    assertThat(result(id, null).header("seed")).isEqualTo(Long.toString(seed));
  }

  @Test
  void failureEndsWithFinishReasonErrorStillAsHttp200() {
    String id = submit(image("{\"durationMs\":100,\"fail\":\"GPU fault\"}"));

    Reply done = awaitResult(id);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().get("finish_reason").asText()).isEqualTo("ERROR");
    Reply raw = result(id, "video/*");
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.header("finish-reason")).isEqualTo("ERROR");
    assertThat(raw.response().body()).contains("GPU fault");
  }

  @Test
  void contentFilteredIsAFailTypeAndArrivesAsHttp200() {
    String id = submit(image("{\"durationMs\":100,\"fail\":\"flagged\",\"failType\":\"CONTENT_FILTERED\"}"));

    assertThat(awaitResult(id).json().get("finish_reason").asText()).isEqualTo("CONTENT_FILTERED");
    Reply raw = result(id, null);
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.header("finish-reason")).isEqualTo("CONTENT_FILTERED");
  }

  @Test
  void imageIsRequiredAsAFilePart() {
    assertError(post(new MultipartBody().field("seed", "1")), 400, "bad_request", "image: required");
    assertError(post(new MultipartBody().field("image", "https://example.org/a.png")), 400, "bad_request", "image: required");
    assertError(post(new MultipartBody().file("image", "a.png", "image/png", new byte[0])), 400, "bad_request",
        "image: must not be empty");
  }

  @Test
  void numericFieldsAreValidatedAndEachErrorNamesItsField() {
    assertError(post(image(null).field("seed", "-1").field("cfg_scale", "10.5").field("motion_bucket_id", "0")),
        400, "bad_request",
        "seed: must be an integer between 0 and 4294967294",
        "cfg_scale: must be a number between 0 and 10",
        "motion_bucket_id: must be an integer between 1 and 255");
    assertError(post(image(null).field("cfg_scale", "high")), 400, "bad_request", "cfg_scale: must be a number between 0 and 10");
    assertError(post(image(null).field("motion_bucket_id", "256")), 400, "bad_request",
        "motion_bucket_id: must be an integer between 1 and 255");
    assertThat(post(image(null).field("seed", "4294967294").field("cfg_scale", "0").field("motion_bucket_id", "255")).status())
        .isEqualTo(200);
    assertThat(post(image(null).field("cfg_scale", "10").field("motion_bucket_id", "1")).status()).isEqualTo(200);
  }

  @Test
  void submitMustBeMultipart() {
    Reply json = http.send(request("/v2beta/image-to-video", KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"image\":\"aGk=\"}")));

    assertError(json, 400, "bad_request", "body: Content-Type must be multipart/form-data");
  }

  @Test
  void unknownIdOrAnotherKeysIdIsNotFound() {
    String id = submit(image(null));

    assertError(result("0".repeat(64), null), 404, "not_found");
    Reply otherKey = http.send(request("/v2beta/image-to-video/result/" + id, "sk-other").GET());
    assertError(otherKey, 404, "not_found");
    assertThat(result(id, null).status()).isIn(200, 202);
  }

  @Test
  void firstResultPollsAreRateLimited() {
    String id = submit(image("{\"rateLimitPolls\":2,\"retryAfterSeconds\":4}"));

    for (int i = 0; i < 2; i++) {
      Reply limited = result(id, "application/json");
      assertError(limited, 429, "rate_limit_exceeded");
      assertThat(limited.header("Retry-After")).isEqualTo("4");
    }
    assertThat(result(id, "application/json").status()).isIn(200, 202);
  }

  @Test
  void requestsWithoutABearerKeyAreUnauthorized() {
    String id = submit(image(null));

    assertError(http.send(request("/v2beta/image-to-video/result/" + id, null).GET()), 401, "unauthorized");
    assertError(http.send(request("/v2beta/image-to-video/result/" + id, null).header("Authorization", "Key " + KEY).GET()),
        401, "unauthorized");
    MultipartBody form = image(null);
    assertError(http.send(request("/v2beta/image-to-video", null).header("Content-Type", form.contentType())
        .POST(form.publisher())), 401, "unauthorized");
  }

  @Test
  void thereIsNoCancelAndOtherPathsAreNotFound() {
    String id = submit(image(null));

    assertError(http.send(request("/v2beta/image-to-video/result/" + id, KEY).DELETE()), 405, "method_not_allowed");
    assertError(http.send(request("/v2beta/image-to-video", KEY).GET()), 405, "method_not_allowed");
    assertError(http.send(request("/v2beta/image-to-video/" + id, KEY).GET()), 404, "not_found");
  }

  @Test
  void sandboxFieldErrorsAndForcedSubmitStatuses() {
    assertError(post(image("{\"durationMS\":1}")), 400, "bad_request");
    assertThat(post(image("{\"durationMS\":1}")).json().get("errors").get(0).asText()).startsWith("sandbox.durationMS: ");
    assertThat(post(image("[1]")).json().get("errors").get(0).asText()).startsWith("sandbox: ");

    assertError(post(image("{\"submitStatus\":503}")), 503, "internal_error");
    Reply limited = post(image("{\"submitStatus\":429,\"retryAfterSeconds\":9}"));
    assertError(limited, 429, "rate_limit_exceeded");
    assertThat(limited.header("Retry-After")).isEqualTo("9");
  }
}
