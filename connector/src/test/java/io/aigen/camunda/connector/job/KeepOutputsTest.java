package io.aigen.camunda.connector.job;

import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.support.ProviderProtocolTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The task option {@code keepOutputs} on Replicate's preset, against a MockWebServer that plays
 * both api.replicate.com and its media host: what is copied, from where, with which headers, and
 * what happens when a copy fails for good or for a while.
 */
class KeepOutputsTest extends ProviderProtocolTestBase {

  private static final String ID = "ufawqhfynnddngldkgtslldrkq";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

  KeepOutputsTest() {
    super(ProviderId.REPLICATE, "2026-04-26T22:13:06Z");
  }

  private String succeeded(String... outputs) {
    String list = String.join(",", java.util.Arrays.stream(outputs).map(o -> "\"" + o + "\"").toList());
    return """
        {"id":"%s","status":"succeeded","output":[%s],"error":null,"logs":"","metrics":{},
         "urls":{"get":"%s","cancel":"%s"}}"""
        .formatted(ID, list, server.url("/v1/predictions/" + ID), server.url("/v1/predictions/" + ID + "/cancel"));
  }

  private JobHandle submitted() {
    String starting = """
        {"id":"%s","status":"starting","urls":{"get":"%s","cancel":"%s"}}"""
        .formatted(ID, server.url("/v1/predictions/" + ID), server.url("/v1/predictions/" + ID + "/cancel"));
    return atFirstPoll(submitAnswered(json(201, starting), "black-forest-labs/flux-schnell", parse("{\"prompt\":\"a cat\"}")));
  }

  private WaitStep keeping() {
    return new WaitStep(client, spec.timing(), EnginePace.STEADY, clock, true);
  }

  private static MockResponse media(String contentType, byte[] body) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", contentType).setBody(new Buffer().write(body));
  }

  @Test
  void everyOutputIsCopiedWithoutCredentialsAndTheProviderUrlsAreKeptBeside() throws Exception {
    JobHandle handle = submitted();
    String image = server.url("/files/" + ID + "-0.png").toString();
    String video = server.url("/files/" + ID + ".mp4?token=abc").toString();
    server.enqueue(json(200, succeeded(image, video)));
    server.enqueue(media("image/png", PNG));
    server.enqueue(media("video/mp4", "....ftypisom".getBytes()));

    GenerationResult result = done(keeping().step(handle));

    next(server);
    RecordedRequest imageDownload = next(server);
    RecordedRequest videoDownload = next(server);
    assertThat(imageDownload.getPath()).isEqualTo("/files/" + ID + "-0.png");
    assertThat(videoDownload.getPath()).isEqualTo("/files/" + ID + ".mp4?token=abc");
    for (RecordedRequest download : List.of(imageDownload, videoDownload)) {
      assertThat(download.getHeader("Authorization")).isNull();
      assertThat(download.getHeaders().names()).doesNotContain("Prefer", "Cancel-After");
    }
    assertThat(result.originalOutputs()).containsExactly(image, video);
    assertThat(result.outputs()).hasSize(2).allSatisfy(url -> assertThat(url).startsWith(results.toUri().toString()));
    assertThat(result.outputs().get(0)).endsWith("replicate-" + ID + "-output-0.png");
    assertThat(result.outputs().get(1)).endsWith("replicate-" + ID + "-output-1.mp4");
    assertThat(Files.readAllBytes(results.resolve("replicate-" + ID + "-output-0.png"))).isEqualTo(PNG);
    assertThat(result.warnings()).singleElement().asString().contains("Replicate deletes");
    JsonNode asVariables = Json.mapper().valueToTree(result);
    assertThat(asVariables.get("originalOutputs")).hasSize(2);
  }

  @Test
  void withoutTheOptionNothingIsDownloadedAndNoOriginalOutputsAppear() {
    JobHandle handle = submitted();
    String image = server.url("/files/" + ID + "-0.png").toString();
    server.enqueue(json(200, succeeded(image)));

    GenerationResult result = done(waitStep().step(handle));

    assertThat(result.outputs()).containsExactly(image);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(Json.mapper().valueToTree(result).has("originalOutputs")).isFalse();
  }

  @Test
  void anOutputOnAHostThatIsNeitherTheProvidersNorItsMediaHostIsNotFetched() {
    JobHandle handle = submitted();
    server.enqueue(json(200, succeeded("https://media.attacker.example/x.png")));

    GenerationResult result = done(keeping().step(handle));

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(result.outputs()).containsExactly("https://media.attacker.example/x.png");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w)
        .contains("Output 1 (https://media.attacker.example/x.png) was not kept")
        .contains("media.attacker.example is neither the provider's")
        .contains("aigen.providers.replicate.media-hosts"));
  }

  @Test
  void aWrongContentTypeEndsWithAWarningAndTheProviderUrl() {
    JobHandle handle = submitted();
    String page = server.url("/files/expired.png").toString();
    server.enqueue(json(200, succeeded(page)));
    server.enqueue(media("text/html; charset=utf-8", "<html>link expired</html>".getBytes()));

    GenerationResult result = done(keeping().step(handle));

    assertThat(result.outputs()).containsExactly(page);
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("its content type is 'text/html', not an image, video or audio file"));
  }

  @Test
  void anOutputLargerThanTheStoresLimitEndsWithAWarningAlsoWhenItsLengthIsNotAnnounced(@org.junit.jupiter.api.io.TempDir Path small) {
    client = new GenerationClients(io.aigen.camunda.connector.support.ProviderFixture.http(), new io.aigen.camunda.connector.store.LocalResultStore(small, null, 1000), clock)
        .client(spec, io.aigen.camunda.connector.support.ProviderFixture.KEY);
    JobHandle handle = submitted();
    String announced = server.url("/files/a.png").toString();
    String chunked = server.url("/files/b.png").toString();
    server.enqueue(json(200, succeeded(announced, chunked)));
    server.enqueue(media("image/png", new byte[1001]));
    server.enqueue(media("image/png", new byte[0]).setChunkedBody(new Buffer().write(new byte[5000]), 512));

    GenerationResult result = done(keeping().step(handle));

    assertThat(result.outputs()).containsExactly(announced, chunked);
    assertThat(result.warnings()).filteredOn(w -> w.contains("larger than the result store's limit of 1000 bytes (aigen.results.max-file-size)")).hasSize(2);
    assertThat(small).isEmptyDirectory();
  }

  @Test
  void aPassingFailureIsTriedAgainOnThePollScheduleThenCopied() {
    JobHandle handle = submitted();
    String image = server.url("/files/" + ID + "-0.png").toString();
    server.enqueue(json(200, succeeded(image)));
    server.enqueue(new MockResponse().setResponseCode(503));

    WaitStep.Outcome first = keeping().step(handle);

    assertThat(first).isInstanceOfSatisfying(WaitStep.Pending.class, p -> {
      assertThat(p.providerStatus()).isEqualTo("KEEPING_OUTPUTS");
      assertThat(p.delay()).isPositive();
    });
    clock.advance(((WaitStep.Pending) first).delay());
    server.enqueue(json(200, succeeded(image)));
    server.enqueue(media("image/png", PNG));

    GenerationResult result = done(keeping().step(handle));

    assertThat(result.outputs()).singleElement().asString().startsWith(results.toUri().toString());
    assertThat(result.warnings()).noneMatch(w -> w.contains("not kept"));
  }

  @Test
  void aPassingFailureOnTheLastAttemptBeforeTheMaxDurationEndsWithAWarningNotATimeout() {
    JobHandle handle = submitted();
    clock.set(handle.submittedAt().plus(spec.timing().maxDuration()).minus(Duration.ofSeconds(1)));
    String image = server.url("/files/" + ID + "-0.png").toString();
    server.enqueue(json(200, succeeded(image)));
    server.enqueue(new MockResponse().setResponseCode(502));

    GenerationResult result = done(keeping().step(handle));

    assertThat(result.status()).isEqualTo("SUCCEEDED");
    assertThat(result.outputs()).containsExactly(image);
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("its host answered HTTP 502").contains("max duration"));
  }

  @Test
  void anOutputThatIsGoneEndsWithAWarningAtOnce() {
    JobHandle handle = submitted();
    String image = server.url("/files/gone.png").toString();
    server.enqueue(json(200, succeeded(image)));
    server.enqueue(new MockResponse().setResponseCode(404));

    GenerationResult result = done(keeping().step(handle));

    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("its host answered HTTP 404 (it is gone)"));
  }
}
