package io.aigen.camunda.connector.spec;

import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import io.aigen.camunda.connector.job.EnginePace;
import static io.aigen.camunda.connector.support.ProviderFixture.json;
import static io.aigen.camunda.connector.support.ProviderFixture.jsonBody;
import static io.aigen.camunda.connector.support.ProviderFixture.multipart;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static io.aigen.camunda.connector.support.ProviderFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.callback.CallbackUrls;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.GenerationClient.SubmitExtras;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.JobStatus;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.model.SubmitRequest;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.support.MutableClock;
import io.aigen.camunda.connector.support.ProviderFixture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Custom poll specs (docs/poll-spec.md): AsyncQueue's own provider templates pasted as-is
 * (docs/providers.md §9.4), every extension, and every kind of invalid spec.
 */
class CustomSpecTest {

  // docs/providers.md §9.4, GET /v1/providers, exactly as printed there.
  static final String ASYNCQUEUE_FAL =
      """
      {"id":"fal","pollConfig":{"urlTemplate":"{startResult.body.status_url}","interval":3,"statusPath":"status",
         "doneValues":["COMPLETED"],"failValues":["FAILED"],"resultPath":"","resultUrlTemplate":"{startResult.body.response_url}",
         "forwardAuth":true,"maxDuration":600}}""";
  static final String ASYNCQUEUE_REPLICATE =
      """
      {"id":"replicate","pollConfig":{"urlTemplate":"https://api.replicate.com/v1/predictions/{startResult.body.id}","interval":5,
         "statusPath":"status","doneValues":["succeeded"],"failValues":["failed","canceled"],"resultPath":"output","forwardAuth":true,"maxDuration":600}}""";
  static final String ASYNCQUEUE_RUNWAYML =
      """
      {"id":"runwayml","pollConfig":{"urlTemplate":"https://api.dev.runwayml.com/v1/tasks/{startResult.body.id}","interval":5,
         "statusPath":"status","doneValues":["SUCCEEDED"],"failValues":["FAILED","CANCELLED"],"resultPath":"output","errorPath":"failure",
         "forwardAuth":true,"maxDuration":600}}""";
  static final String ASYNCQUEUE_LUMA =
      """
      {"id":"luma","pollConfig":{"urlTemplate":"https://api.lumalabs.ai/dream-machine/v1/generations/{startResult.body.id}","interval":5,
         "statusPath":"state","doneValues":["completed"],"failValues":["failed"],"resultPath":"assets.video","errorPath":"failure_reason",
         "forwardAuth":true,"maxDuration":600}}""";
  static final String ASYNCQUEUE_ELEVENLABS = "{\"id\":\"elevenlabs-dubbing\", \"…\": \"interval 10, maxDuration 1800 (table); rest not retrievable\"}";

  @TempDir Path results;
  private MockWebServer server;
  private MutableClock clock;
  private String base;

  @BeforeEach
  void start() {
    server = ProviderFixture.server();
    clock = MutableClock.at("2026-08-01T10:00:00Z");
    String url = server.url("/").toString();
    base = url.substring(0, url.length() - 1);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  /** JSON written with single quotes, {@code @BASE} standing for the mock server's origin. */
  private String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"').replace("@BASE", base);
  }

  private PollSpec read(String singleQuoted) {
    return SpecReader.read(parse(q(singleQuoted)), "custom");
  }

  /** The spec without jitter, so delays can be asserted exactly. */
  private static PollSpec noJitter(PollSpec spec) {
    Timing t = spec.timing();
    return spec.withTiming(new Timing(t.interval(), t.backoff(), t.maxInterval(), 0.0, t.maxDuration()));
  }

  private GenerationClient client(PollSpec spec) {
    return ProviderFixture.client(spec, clock, results);
  }

  private WaitStep waitStep(GenerationClient client) {
    return new WaitStep(client, client.spec().timing(), EnginePace.STEADY, clock);
  }

  private JobHandle submit(GenerationClient client, String answer) {
    server.enqueue(json(200, answer));
    JobHandle handle = client.submit("acme/model", parse("{\"prompt\":\"a cat\"}"), GenerationClient.SubmitExtras.NONE);
    next(server);
    return clock.toFirstPoll(client.spec().timing(), handle);
  }

  private GenerationOperations operations() {
    return new GenerationOperations(new ProviderSpecs(ProviderSettings.defaults()), new GenerationClients(ProviderFixture.http(), new LocalResultStore(results, null), clock), new CallbackUrls(null), clock, Json.mapper(), EnginePace.STEADY);
  }

  private static GenerationResult done(WaitStep.Outcome outcome) {
    assertThat(outcome).isInstanceOf(WaitStep.Done.class);
    return ((WaitStep.Done) outcome).result();
  }

  private static void assertFailure(Throwable thrown, ErrorCode code, String... mentions) {
    assertThat(thrown).isInstanceOfSatisfying(
        GenerationFailure.class,
        f -> {
          assertThat(f.code()).isEqualTo(code);
          for (String mention : mentions) {
            assertThat(f.getMessage()).contains(mention);
          }
        });
  }

  private static Throwable thrown(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("nothing was thrown");
  }

  @Nested
  class AsyncQueueTemplatesPastedAsIs {

    /** An AsyncQueue template with only its hard-coded host moved to the mock server. */
    private String onMockServer(String template, String host) {
      return template.replace(host, base);
    }

    private JobHandle submitCustom(String customSpec, String submitUrl, String model, Object input, String answer) {
      server.enqueue(json(201, answer));
      JobHandle handle = operations().submit(new SubmitRequest(ProviderId.CUSTOM, "test-key", submitUrl, customSpec, model, input, null, null, null));
      RecordedRequest submit = next(server);
      assertThat(submit.getHeader("Authorization")).isEqualTo("Bearer test-key");
      return clock.toFirstPoll(SpecReader.read(handle.customSpec(), "custom").timing(), handle);
    }

    private WaitStep.Outcome await(JobHandle handle) {
      return operations().await(new AwaitRequest("test-key", handle, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {ASYNCQUEUE_FAL, ASYNCQUEUE_REPLICATE, ASYNCQUEUE_RUNWAYML, ASYNCQUEUE_LUMA})
    void everyVerifiedTemplateParsesAsPrintedOnceTheSubmitUrlIsGiven(String template) {
      JsonNode entry = parse(template);
      ((com.fasterxml.jackson.databind.node.ObjectNode) entry).put("targetUrl", "https://api.example.com/v1/jobs");

      PollSpec spec = SpecReader.read(entry, "custom");

      JsonNode poll = entry.get("pollConfig");
      assertThat(spec.id()).isEqualTo(entry.get("id").asText());
      assertThat(spec.status().statusPath()).isEqualTo(poll.get("statusPath").asText());
      assertThat(spec.status().values().done()).containsExactlyElementsOf(toList(poll.get("doneValues")));
      assertThat(spec.status().values().fail()).containsExactlyElementsOf(toList(poll.get("failValues")));
      assertThat(spec.timing().interval()).isEqualTo(Duration.ofSeconds(poll.get("interval").asLong()));
      assertThat(spec.timing().maxDuration()).isEqualTo(Duration.ofSeconds(600));
      assertThat(spec.forwardAuth()).isTrue();
      assertThat(spec.result().resultPath()).isEqualTo(poll.get("resultPath").asText());
      assertThat(spec.auth()).isEqualTo(Auth.bearer());
      assertThat(spec.canCancel()).isFalse();
    }

    private static List<String> toList(JsonNode array) {
      List<String> values = new ArrayList<>();
      array.forEach(v -> values.add(v.asText()));
      return values;
    }

    @Test
    void aTemplateAloneWithoutTheSubmitUrlIsASpecExceptionNamingTargetUrl() {
      assertThatThrownBy(() -> SpecReader.read(parse(ASYNCQUEUE_LUMA), "custom"))
          .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("targetUrl"));
    }

    @Test
    void theElevenLabsEntryThatProvidersMdCouldNotRetrieveIsRejectedNamingItsPlaceholderKey() {
      Throwable thrown =
          thrown(() -> operations().submit(new SubmitRequest(ProviderId.CUSTOM, "test-key", base + "/v1/dubbing", ASYNCQUEUE_ELEVENLABS, null, Map.of("target_lang", "es"), null, null, null)));

      assertFailure(thrown, ErrorCode.AI_INVALID_INPUT, "'customSpec'", "spec.…", "unknown key");
      assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void falTemplateWorksAsIsAsProviderEntryAndAsBarePollConfigAndFetchesTheResultFromResponseUrl(boolean bare) {
      String template = bare ? parse(ASYNCQUEUE_FAL).get("pollConfig").toString() : ASYNCQUEUE_FAL;
      String app = "/fal-ai/flux/requests/req-1";
      JobHandle handle =
          submitCustom(
              template, base + "/fal-ai/flux/dev", null, Map.of("prompt", "a cat"),
              q("{'request_id':'req-1','status_url':'@BASE" + app + "/status','response_url':'@BASE" + app + "','cancel_url':'@BASE" + app + "/cancel'}"));
      server.enqueue(json(202, "{\"status\":\"IN_PROGRESS\"}"));
      server.enqueue(json(200, "{\"status\":\"COMPLETED\"}"));
      server.enqueue(json(200, "{\"images\":[{\"url\":\"https://v3.fal.media/files/a.png\"}],\"seed\":1}"));

      WaitStep.Outcome running = await(handle);
      assertThat(running).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.delay()).isBetween(Duration.ofMillis(2700), Duration.ofMillis(3300)));
      GenerationResult result = done(await(((WaitStep.Pending) running).handle()));

      assertThat(next(server).getPath()).isEqualTo(app + "/status");
      assertThat(next(server).getPath()).isEqualTo(app + "/status");
      RecordedRequest fetch = next(server);
      assertThat(fetch.getPath()).isEqualTo(app);
      assertThat(fetch.getHeader("Authorization")).as("forwardAuth: true").isEqualTo("Bearer test-key");
      assertThat(result.outputs()).containsExactly("https://v3.fal.media/files/a.png");
    }

    @Test
    void falTemplateHasNoErrorPathSoCompletedWithErrorIsCaughtOnlyByTheFailingResultFetch() {
      String app = "/fal-ai/flux/requests/req-1";
      JobHandle handle =
          submitCustom(
              ASYNCQUEUE_FAL, base + "/fal-ai/flux/dev", null, Map.of("prompt", "a cat"),
              q("{'request_id':'req-1','status_url':'@BASE" + app + "/status','response_url':'@BASE" + app + "'}"));
      server.enqueue(json(200, "{\"status\":\"COMPLETED\",\"error\":\"Model failed\",\"error_type\":\"internal_error\"}"));
      server.enqueue(json(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}]}"));

      assertFailure(thrown(() -> await(handle)), ErrorCode.AI_GENERATION_FAILED, "422", "field required");
      assertThat(server.getRequestCount()).as("submit, status, result").isEqualTo(3);
    }

    @Test
    void replicateTemplateWithOnlyItsHostMovedPollsThePredictionAndGivesTheOutputUrls() {
      String template = onMockServer(ASYNCQUEUE_REPLICATE, "https://api.replicate.com");
      JobHandle handle =
          submitCustom(
              template, base + "/v1/models/black-forest-labs/flux-schnell/predictions", null, Map.of("input", Map.of("prompt", "a cat")),
              "{\"id\":\"ufaw\",\"status\":\"starting\",\"output\":null}");
      server.enqueue(json(200, "{\"id\":\"ufaw\",\"status\":\"succeeded\",\"output\":[\"https://replicate.delivery/a.webp\",\"https://replicate.delivery/b.webp\"]}"));

      GenerationResult result = done(await(handle));

      RecordedRequest poll = next(server);
      assertThat(poll.getPath()).isEqualTo("/v1/predictions/ufaw");
      assertThat(poll.getHeader("Authorization")).isEqualTo("Bearer test-key");
      assertThat(result.outputs()).containsExactly("https://replicate.delivery/a.webp", "https://replicate.delivery/b.webp");
      assertThat(result.providerResult()).isEqualTo(parse("[\"https://replicate.delivery/a.webp\",\"https://replicate.delivery/b.webp\"]"));
    }

    @Test
    void replicateTemplateOmitsAbortedSoAnAbortedPredictionKeepsPollingUnlikeOurPreset() {
      // docs/providers.md §9.4: "replicate omits aborted" — as pasted, it is an unknown status, hence running.
      String template = onMockServer(ASYNCQUEUE_REPLICATE, "https://api.replicate.com");
      JobHandle handle =
          submitCustom(template, base + "/v1/predictions", null, Map.of("version", "5c7d", "input", Map.of("prompt", "a cat")), "{\"id\":\"ufaw\",\"status\":\"starting\"}");
      server.enqueue(json(200, "{\"id\":\"ufaw\",\"status\":\"aborted\",\"output\":null}"));

      assertThat(await(handle)).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.providerStatus()).isEqualTo("aborted"));
      assertThat(io.aigen.camunda.connector.provider.ProviderCatalog.spec(ProviderId.REPLICATE).status().phaseOf("aborted")).isEqualTo(Phase.CANCELLED);
    }

    @Test
    void replicateTemplateListsCanceledAsAFailValueSoItEndsAsGenerationFailed() {
      String template = onMockServer(ASYNCQUEUE_REPLICATE, "https://api.replicate.com");
      JobHandle handle = submitCustom(template, base + "/v1/predictions", null, Map.of("version", "5c7d"), "{\"id\":\"ufaw\",\"status\":\"starting\"}");
      server.enqueue(json(200, "{\"id\":\"ufaw\",\"status\":\"canceled\",\"error\":null}"));

      assertFailure(thrown(() -> await(handle)), ErrorCode.AI_GENERATION_FAILED, "canceled");
    }

    @Test
    void runwayTemplateSendsNoXRunwayVersionButReadsFailureAndTheHeadersExtensionAddsTheVersion() {
      String template = onMockServer(ASYNCQUEUE_RUNWAYML, "https://api.dev.runwayml.com");
      JobHandle handle = submitCustom(template, base + "/v1/image_to_video", null, Map.of("model", "gen4_turbo", "promptText", "x"), "{\"id\":\"t1\"}");
      server.enqueue(json(200, "{\"id\":\"t1\",\"status\":\"FAILED\",\"failure\":\"Generation was rejected\",\"failureCode\":\"SAFETY.INPUT.TEXT\"}"));

      assertFailure(thrown(() -> await(handle)), ErrorCode.AI_GENERATION_FAILED, "Generation was rejected");
      assertThat(next(server).getHeader("X-Runway-Version")).as("the template's gap (docs/providers.md §9.4)").isNull();

      JsonNode withVersion = parse(template);
      ((com.fasterxml.jackson.databind.node.ObjectNode) withVersion).set("headers", parse("{\"X-Runway-Version\":\"2024-11-06\"}"));
      JobHandle second = submitCustom(withVersion.toString(), base + "/v1/image_to_video", null, Map.of("model", "gen4_turbo"), "{\"id\":\"t2\"}");
      server.enqueue(json(200, "{\"id\":\"t2\",\"status\":\"RUNNING\",\"progress\":0.5}"));
      await(second);
      assertThat(next(server).getHeader("X-Runway-Version")).isEqualTo("2024-11-06");
    }

    @Test
    void lumaTemplateWithOnlyItsHostMovedReadsStateAndGivesAssetsVideo() {
      String template = onMockServer(ASYNCQUEUE_LUMA, "https://api.lumalabs.ai");
      JobHandle handle =
          submitCustom(template, base + "/dream-machine/v1/generations/video", null, Map.of("model", "ray-2", "prompt", "a teddy bear"), "{\"id\":\"g1\",\"state\":\"queued\"}");
      server.enqueue(json(200, "{\"id\":\"g1\",\"state\":\"dreaming\"}"));
      server.enqueue(json(200, "{\"id\":\"g1\",\"state\":\"completed\",\"assets\":{\"video\":\"https://cdn.lumalabs.ai/v.mp4\",\"progress_video\":\"https://cdn.lumalabs.ai/p.mp4\"}}"));

      WaitStep.Outcome dreaming = await(handle);
      assertThat(dreaming).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.providerStatus()).isEqualTo("dreaming"));
      GenerationResult result = done(await(((WaitStep.Pending) dreaming).handle()));

      assertThat(next(server).getPath()).isEqualTo("/dream-machine/v1/generations/g1");
      assertThat(result.outputs()).containsExactly("https://cdn.lumalabs.ai/v.mp4");
      assertThat(result.providerResult().asText()).isEqualTo("https://cdn.lumalabs.ai/v.mp4");
    }

    @Test
    void lumaTemplateFailedCarriesFailureReason() {
      String template = onMockServer(ASYNCQUEUE_LUMA, "https://api.lumalabs.ai");
      JobHandle handle = submitCustom(template, base + "/dream-machine/v1/generations/video", null, Map.of("model", "ray-2"), "{\"id\":\"g1\",\"state\":\"queued\"}");
      server.enqueue(json(200, "{\"id\":\"g1\",\"state\":\"failed\",\"failure_reason\":\"prompt not allowed\"}"));

      assertFailure(thrown(() -> await(handle)), ErrorCode.AI_GENERATION_FAILED, "prompt not allowed");
    }

    @Test
    void templateKeptWithItsRealHostIsRefusedBeforeCredentialsLeaveForAnotherHost() {
      JobHandle handle = submitCustom(ASYNCQUEUE_LUMA, base + "/dream-machine/v1/generations/video", null, Map.of("model", "ray-2"), "{\"id\":\"g1\",\"state\":\"queued\"}");

      Throwable thrown = thrown(() -> await(handle));

      assertThat(thrown).isInstanceOf(io.aigen.camunda.connector.error.ProviderRejected.class).hasMessageContaining("api.lumalabs.ai");
      assertThat(server.getRequestCount()).as("only the submit").isEqualTo(1);
    }
  }

  @Nested
  class Extensions {

    @Test
    void statusCodesGiveThePhaseByHttpCode202RunningThen200Succeeded() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusCodes':{'202':'running','200':'succeeded'}}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(202, "{\"id\":\"j1\"}"));
      server.enqueue(json(200, "{\"url\":\"https://cdn.example.com/j1.png\"}"));

      WaitStep.Outcome first = waitStep(client).step(handle);
      assertThat(first).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.providerStatus()).isEqualTo("HTTP 202"));
      assertThat(done(waitStep(client).step(handle)).outputs()).containsExactly("https://cdn.example.com/j1.png");
      assertThat(next(server).getPath()).isEqualTo("/v1/jobs/j1");
    }

    @ParameterizedTest(name = "HTTP {0} mapped to {1}")
    @org.junit.jupiter.params.provider.CsvSource({"404, outcome_unknown, OUTCOME_UNKNOWN", "410, cancelled, CANCELLED", "409, failed, FAILED", "200, running, RUNNING"})
    void statusCodesMapAnyCodeToAnyPhase(int code, String phase, Phase expected) {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusCodes':{'" + code + "':'" + phase + "'}}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(code, "{}"));

      assertThat(client.poll(handle).phase()).isEqualTo(expected);
    }

    @Test
    void errorPathOnADoneStatusMeansFailureUnlessTheValueIsANotErrorValue() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],"
              + "'errorPath':'error','notErrorValues':['none']}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"status\":\"done\",\"error\":\"none\",\"url\":\"https://cdn/x.png\"}"));
      server.enqueue(json(200, "{\"status\":\"done\",\"error\":\"disk full\"}"));

      assertThat(done(waitStep(client).step(handle)).outputs()).containsExactly("https://cdn/x.png");
      assertFailure(thrown(() -> waitStep(client).step(handle)), ErrorCode.AI_GENERATION_FAILED, "disk full");
    }

    @Test
    void errorCodePathAndContentFilteredCodesRegexGiveContentFiltered() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],'failValues':['failed'],"
              + "'errorPath':'error.message','errorCodePath':'error.code','contentFilteredCodes':'NSFW_.*'}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"status\":\"failed\",\"error\":{\"code\":\"NSFW_OUTPUT\",\"message\":\"The output was blocked\"}}"));
      server.enqueue(json(200, "{\"status\":\"failed\",\"error\":{\"code\":\"OOM\",\"message\":\"Out of memory\"}}"));

      Throwable filtered = thrown(() -> waitStep(client).step(handle));
      assertFailure(filtered, ErrorCode.AI_CONTENT_FILTERED, "The output was blocked");
      JobStatus other = client.poll(handle);
      assertThat(other.errorCode()).isEqualTo("OOM");
      assertThat(other.contentFiltered()).isFalse();
    }

    @Test
    void contentFilteredCodesMatchTheMessageWhenThereIsNoCode() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],'failValues':['failed'],"
              + "'errorPath':'error','contentFilteredCodes':'(?i).*safety.*'}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"status\":\"failed\",\"error\":\"Rejected by the Safety system\"}"));

      assertFailure(thrown(() -> waitStep(client).step(handle)), ErrorCode.AI_CONTENT_FILTERED, "Rejected by the Safety system");
    }

    @Test
    void cancelledValuesEndAsCancelledAndUnknownStatusFailStopsOnAWordNoListNames() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],"
              + "'runningValues':['waiting'],'cancelledValues':['revoked'],'unknownStatus':'fail'}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"status\":\"waiting\"}"));
      server.enqueue(json(200, "{\"status\":\"revoked\"}"));
      server.enqueue(json(200, "{\"status\":\"paused\"}"));

      assertThat(waitStep(client).step(handle)).isInstanceOf(WaitStep.Pending.class);
      assertFailure(thrown(() -> waitStep(client).step(handle)), ErrorCode.AI_GENERATION_CANCELLED, "revoked");
      assertFailure(thrown(() -> waitStep(client).step(handle)), ErrorCode.AI_GENERATION_FAILED, "unknown status 'paused'");
    }

    @Test
    void unknownStatusDefaultsToRunning() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"status\":\"paused\"}"));

      assertThat(client.poll(handle).phase()).isEqualTo(Phase.RUNNING);
    }

    @Test
    void pollMethodPostAndProgressPathInPercent() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}/status','method':'POST','statusPath':'status','doneValues':['done'],"
              + "'progressPath':'progress.percent','progressScale':'percent'}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"status\":\"running\",\"progress\":{\"percent\":42}}"));

      JobStatus status = client.poll(handle);

      assertThat(status.progress().percent()).isEqualTo(42.0);
      RecordedRequest poll = next(server);
      assertThat(poll.getMethod()).isEqualTo("POST");
      assertThat(poll.getPath()).isEqualTo("/v1/jobs/j1/status");
    }

    @Test
    void statusQueryIsAddedToTheStatusUrlUnlessItIsThereAlreadyAndQueuePositionAndLogAreRead() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{startResult.body.status_url}','statusQuery':{'logs':'1','verbose':'true'},"
              + "'statusPath':'status','doneValues':['done'],'queuePositionPath':'queue.ahead','logPath':'$.events[*].text'}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\",\"status_url\":\"" + server.url("/v1/jobs/j1?verbose=false") + "\"}");
      server.enqueue(json(200, "{\"status\":\"queued\",\"queue\":{\"ahead\":2},\"events\":[{\"text\":\"accepted\"},{\"text\":\"waiting for a GPU\"}]}"));

      JobStatus status = client.poll(handle);

      assertThat(next(server).getPath()).isEqualTo("/v1/jobs/j1?verbose=false&logs=1");
      assertThat(status.progress().queuePosition()).isEqualTo(2);
      assertThat(status.progress().log()).isEqualTo("waiting for a GPU");
    }

    @Test
    void resultPathOutputsPathMetricsPathAndNotice() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'state','doneValues':['ok'],"
              + "'resultPath':'result','outputsPath':'$.files[*].href','metricsPath':'usage','notice':'Files expire after 1 day.'}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(
          json(200, "{\"state\":\"ok\",\"usage\":{\"gpu_seconds\":12},\"result\":{\"files\":[{\"href\":\"https://cdn/a.mp4\",\"thumb\":{\"url\":\"https://cdn/a.jpg\"}},{\"href\":\"https://cdn/b.mp4\"}]}}"));

      GenerationResult result = done(waitStep(client).step(handle));

      assertThat(result.outputs()).containsExactly("https://cdn/a.mp4", "https://cdn/b.mp4");
      assertThat(result.providerResult().has("files")).isTrue();
      assertThat(result.metrics().get("provider")).isEqualTo(Map.of("gpu_seconds", 12));
      assertThat(result.warnings()).containsExactly("Files expire after 1 day.");
    }

    @Test
    void resultUrlTemplateWithResultNotReadyCodesAndAWholeBodyResultFile() throws Exception {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],"
              + "'resultUrlTemplate':'{baseUrl}/v1/jobs/{id}/download','resultNotReadyCodes':[409],'resultFile':{'contentType':'image/png'}}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
      server.enqueue(json(200, "{\"status\":\"done\"}"));
      server.enqueue(json(409, "{\"detail\":\"still rendering\"}"));
      server.enqueue(json(200, "{\"status\":\"done\"}"));
      server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/octet-stream").setBody(new Buffer().write(png)));

      WaitStep.Outcome notReady = waitStep(client).step(handle);
      assertThat(notReady).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.providerStatus()).isEqualTo("RESULT_UNAVAILABLE"));
      GenerationResult result = done(waitStep(client).step(((WaitStep.Pending) notReady).handle()));

      next(server);
      RecordedRequest download = next(server);
      assertThat(download.getPath()).isEqualTo("/v1/jobs/j1/download");
      assertThat(download.getHeader("Accept")).isEqualTo("*/*");
      assertThat(result.outputs()).singleElement().asString().endsWith(".png");
      assertThat(Files.readAllBytes(Path.of(URI.create(result.outputs().get(0))))).isEqualTo(png);
      assertThat(result.providerResult().path("contentType").asText()).as("octet-stream falls back to the spec's type").isEqualTo("image/png");
    }

    @Test
    void resultFileBase64PathNestedInTheAnswerIsStoredAndRemovedFromTheProviderResult() throws Exception {
      byte[] webp = {'R', 'I', 'F', 'F', 9, 9, 'W', 'E', 'B', 'P'};
      String b64 = Base64.getEncoder().encodeToString(webp);
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],"
              + "'resultFile':{'base64Path':'data.image_b64','contentType':'image/webp'}}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"status\":\"done\",\"data\":{\"image_b64\":\"" + b64 + "\",\"seed\":5}}"));

      GenerationResult result = done(waitStep(client).step(handle));

      assertThat(result.outputs()).singleElement().asString().endsWith(".webp");
      assertThat(Files.readAllBytes(Path.of(URI.create(result.outputs().get(0))))).isEqualTo(webp);
      assertThat(result.providerResult().toString()).doesNotContain(b64);
      assertThat(result.providerResult().path("data").path("seed").asInt()).isEqualTo(5);
      assertThat(result.providerResult().path("data").path("image_b64").path("url").asText()).isEqualTo(result.outputs().get(0));
    }

    @Test
    void linearBackoffGrowsByTheIntervalUpToMaxIntervalAndIsoIntervalsWork() {
      GenerationClient client =
          client(noJitter(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],"
              + "'interval':'PT2S','backoff':'linear','maxInterval':5,'maxDuration':'PT1H'}}")));
      assertThat(delays(client, 4)).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void exponentialBackoffDoublesUpToMaxInterval() {
      GenerationClient client =
          client(noJitter(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],"
              + "'interval':1,'backoff':'exponential','maxInterval':6}}")));
      assertThat(delays(client, 5))
          .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(6), Duration.ofSeconds(6));
    }

    @Test
    void jitterSpreadsTheDelayWithinItsShare() {
      PollSpec spec = read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],'interval':10,'jitter':0.5}}");

      assertThat(spec.timing().jitter()).isEqualTo(0.5);
      io.aigen.camunda.connector.job.PollSchedule schedule = new io.aigen.camunda.connector.job.PollSchedule(spec.timing(), null);
      java.time.Instant submitted = clock.instant();
      java.time.Instant firstPoll = submitted.plusSeconds(10);
      for (int i = 0; i < 50; i++) {
        assertThat(schedule.nextDelay(submitted, firstPoll, null, 1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
      }
    }

    private List<Duration> delays(GenerationClient client, int polls) {
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      List<Duration> delays = new ArrayList<>();
      for (int i = 0; i < polls; i++) {
        server.enqueue(json(200, "{\"status\":\"running\"}"));
        WaitStep.Pending pending = (WaitStep.Pending) waitStep(client).step(handle);
        delays.add(pending.delay());
        clock.advance(pending.delay());
        handle = pending.handle();
      }
      return delays;
    }

    @Test
    void maxDurationEndsTheWaitWithTimeoutAfterCancellingWithTheCancelSpec() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done'],'maxDuration':60},"
              + "'cancel':{'method':'PATCH','urlTemplate':'{baseUrl}/v1/jobs/{id}/state','statusPath':'state'}}"));
      JobHandle handle = submit(client, "{\"id\":\"j1\"}");
      server.enqueue(json(200, "{\"state\":\"stopping\"}"));
      clock.advance(Duration.ofSeconds(61));

      assertFailure(thrown(() -> waitStep(client).step(handle)), ErrorCode.AI_GENERATION_TIMEOUT, "PT1M", "stopping");
      RecordedRequest cancel = next(server);
      assertThat(cancel.getMethod()).isEqualTo("PATCH");
      assertThat(cancel.getPath()).isEqualTo("/v1/jobs/j1/state");
    }

    @Test
    void cancelMethodDefaultsToPostAndStatusPathReadsTheAnswer() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']},"
              + "'cancel':{'urlTemplate':'{startResult.body.links.cancel}','statusPath':'result.state'}}"));
      JobHandle handle = submit(client, q("{'id':'j1','links':{'cancel':'@BASE/v1/jobs/j1:cancel'}}"));
      server.enqueue(json(202, "{\"result\":{\"state\":\"cancelling\"}}"));

      CancelReport report = client.cancel(handle);

      RecordedRequest cancel = next(server);
      assertThat(cancel.getMethod()).isEqualTo("POST");
      assertThat(cancel.getPath()).isEqualTo("/v1/jobs/j1:cancel");
      assertThat(report).isEqualTo(new CancelReport("custom", "j1", true, 202, "cancelling"));
    }

    @Test
    void forwardAuthFalseSendsTheKeyOnlyWithTheSubmit() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','pollConfig':{'urlTemplate':'{startResult.body.poll_url}','statusPath':'status','doneValues':['done'],'forwardAuth':false}}"));
      JobHandle handle = submit(client, q("{'id':'j1','poll_url':'@BASE/signed/j1?sig=abc'}"));
      server.enqueue(json(200, "{\"status\":\"running\"}"));

      client.poll(handle);

      RecordedRequest poll = next(server);
      assertThat(poll.getPath()).isEqualTo("/signed/j1?sig=abc");
      assertThat(poll.getHeader("Authorization")).isNull();
    }

    @Test
    void authHeaderAndPrefixLikeAsyncQueuesXApiKeyAndStaticHeadersGoOnEveryCall() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','auth':{'header':'X-API-Key'},'headers':{'X-Api-Version':'7'},"
              + "'pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']},"
              + "'cancel':{'method':'DELETE','urlTemplate':'{baseUrl}/v1/jobs/{id}'}}"));
      server.enqueue(json(200, "{\"id\":\"j1\"}"));
      server.enqueue(json(200, "{\"status\":\"running\"}"));
      server.enqueue(new MockResponse().setResponseCode(204));

      JobHandle handle = client.submit("m", parse("{}"), GenerationClient.SubmitExtras.NONE);
      client.poll(handle);
      client.cancel(handle);

      for (RecordedRequest request : List.of(next(server), next(server), next(server))) {
        assertThat(request.getHeader("X-API-Key")).as(request.getMethod() + " carries the key").isEqualTo("test-key");
        assertThat(request.getHeader("Authorization")).as("no Bearer besides").isNull();
        assertThat(request.getHeader("X-Api-Version")).as(request.getMethod() + " carries the static header").isEqualTo("7");
      }
    }

    @Test
    void authHeaderWithPrefixAndAuthNone() {
      GenerationClient keyed =
          client(read("{'targetUrl':'@BASE/v1/jobs','auth':{'header':'Authorization','prefix':'Token '},"
              + "'pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']}}"));
      server.enqueue(json(200, "{\"id\":\"j1\"}"));
      keyed.submit("m", parse("{}"), GenerationClient.SubmitExtras.NONE);
      assertThat(next(server).getHeader("Authorization")).isEqualTo("Token test-key");

      GenerationClient open =
          client(read("{'targetUrl':'@BASE/v1/jobs','auth':'none','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']}}"));
      server.enqueue(json(200, "{\"id\":\"j1\"}"));
      open.submit("m", parse("{}"), GenerationClient.SubmitExtras.NONE);
      RecordedRequest submit = next(server);
      assertThat(submit.getHeader("Authorization")).isNull();
    }

    @Test
    void targetUrlWithAsyncQueuesMethodAndTheInputAsBodyAndTheUsualIdFields() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/jobs','method':'PUT','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']}}"));
      server.enqueue(json(200, "{\"task_id\":\"t-9\",\"status\":\"queued\"}"));

      JobHandle handle = client.submit(null, parse("{\"prompt\":\"a cat\",\"n\":2}"), GenerationClient.SubmitExtras.NONE);

      RecordedRequest submit = next(server);
      assertThat(submit.getMethod()).isEqualTo("PUT");
      assertThat(submit.getPath()).isEqualTo("/v1/jobs");
      assertThat(jsonBody(submit)).isEqualTo(parse("{\"prompt\":\"a cat\",\"n\":2}"));
      assertThat(handle.jobId()).as("no idPath: the first usual id field").isEqualTo("t-9");
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(base + "/v1/jobs/t-9");
    }

    @Test
    void submitUrlBodyHeadersIdPathAndExpectedSecondsPathAreFilledFromModelInputAndOptions() {
      GenerationClient client =
          client(read("{'baseUrl':'@BASE/api','submit':{'url':'{baseUrl}/{options.queue|default}/jobs',"
              + "'body':{'model':'{model}','params':'{input}','seed':'{input.seed}','...':'{options.extra}','tag':'job-{model}','hook':'{callbackUrl}','list':['{input.prompt}','{options.none}']},"
              + "'headers':{'Idempotency-Key':'{options.key}','X-Absent':'{options.absent}'},'idPath':'data.job.id','expectedSecondsPath':'data.eta'},"
              + "'pollConfig':{'urlTemplate':'{baseUrl}/jobs/{id}','statusPath':'status','doneValues':['done']}}"));
      server.enqueue(json(200, "{\"data\":{\"job\":{\"id\":\"J-1\"},\"eta\":42}}"));

      JobHandle handle =
          client.submit("acme/m", parse("{\"prompt\":\"a cat\",\"seed\":7}"), new SubmitExtras(parse("{\"queue\":\"fast\",\"key\":\"k-1\",\"extra\":{\"priority\":9}}"), null, null));

      RecordedRequest submit = next(server);
      assertThat(submit.getPath()).isEqualTo("/api/fast/jobs");
      assertThat(submit.getHeader("Idempotency-Key")).isEqualTo("k-1");
      assertThat(submit.getHeader("X-Absent")).as("a header whose placeholder has no value is left out").isNull();
      assertThat(jsonBody(submit))
          .isEqualTo(parse("{\"model\":\"acme/m\",\"params\":{\"prompt\":\"a cat\",\"seed\":7},\"seed\":7,\"priority\":9,\"tag\":\"job-acme/m\",\"list\":[\"a cat\"]}"));
      assertThat(handle.jobId()).isEqualTo("J-1");
      assertThat(handle.expectedDuration()).isEqualTo(Duration.ofSeconds(42));
      assertThat(handle.parts().get(0).statusUrl()).isEqualTo(base + "/api/jobs/J-1");
    }

    @Test
    void optionDefaultAfterTheBarIsUsedWithoutOptions() {
      GenerationClient client =
          client(read("{'baseUrl':'@BASE','submit':{'url':'{baseUrl}/{options.queue|default}/jobs'},'pollConfig':{'urlTemplate':'{baseUrl}/jobs/{id}','statusPath':'status','doneValues':['done']}}"));
      server.enqueue(json(200, "{\"id\":\"j1\"}"));

      client.submit("m", parse("{}"), GenerationClient.SubmitExtras.NONE);

      assertThat(next(server).getPath()).isEqualTo("/default/jobs");
    }

    @Test
    void idPathFindingSeveralIdsMakesOnePartEach() {
      GenerationClient client =
          client(read("{'targetUrl':'@BASE/v1/batch','pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']},"
              + "'submit':{'idPath':'$.jobs[*].id'}}"));
      JobHandle handle = submit(client, "{\"jobs\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}");
      server.enqueue(json(200, "{\"status\":\"done\",\"url\":\"https://cdn/a\"}"));
      server.enqueue(json(200, "{\"status\":\"done\",\"url\":\"https://cdn/b\"}"));
      server.enqueue(json(200, "{\"status\":\"done\",\"url\":\"https://cdn/c\"}"));

      GenerationResult result = done(waitStep(client).step(handle));

      assertThat(handle.parts()).extracting(JobHandle.Part::jobId).containsExactly("a", "b", "c");
      assertThat(result.outputs()).containsExactly("https://cdn/a", "https://cdn/b", "https://cdn/c");
    }

    @Test
    void multipartEncodingWithFileFieldsAndRequiredInput() {
      GenerationClient client =
          client(read("{'baseUrl':'@BASE','submit':{'url':'{baseUrl}/v1/upscale','encoding':'multipart','fileFields':['photo'],'requiredInput':['photo']},"
              + "'pollConfig':{'urlTemplate':'{baseUrl}/v1/upscale/{id}','statusPath':'status','doneValues':['done']}}"));
      byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x11};

      assertFailure(thrown(() -> client.submit(null, parse("{\"scale\":2}"), GenerationClient.SubmitExtras.NONE)), ErrorCode.AI_INVALID_INPUT, "'input.photo'");
      assertThat(server.getRequestCount()).isZero();

      server.enqueue(json(200, "{\"id\":\"u1\"}"));
      client.submit(null, parse("{\"photo\":\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg) + "\",\"scale\":2,\"tags\":[\"a\",\"b\"]}"), GenerationClient.SubmitExtras.NONE);

      Map<String, ProviderFixture.Part> parts = multipart(next(server));
      assertThat(parts.get("photo").contentType()).isEqualTo("image/jpeg");
      assertThat(parts.get("photo").content()).isEqualTo(jpeg);
      assertThat(parts.get("scale").text()).isEqualTo("2");
    }

    @Test
    void badDataUriInAFileFieldIsInvalidInputNamingTheField() {
      GenerationClient client =
          client(read("{'baseUrl':'@BASE','submit':{'url':'{baseUrl}/v1/upscale','encoding':'multipart','fileFields':['photo']},"
              + "'pollConfig':{'urlTemplate':'{baseUrl}/v1/upscale/{id}','statusPath':'status','doneValues':['done']}}"));

      assertFailure(thrown(() -> client.submit(null, parse("{\"photo\":\"data:image/jpeg,notbase64\"}"), GenerationClient.SubmitExtras.NONE)), ErrorCode.AI_INVALID_INPUT, "'input.photo'", "base64");
      assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void routesPickUrlAndBodyByModelRegexAndOtherModelsUseTheSubmitUrl() {
      GenerationClient client =
          client(read("{'baseUrl':'@BASE','submit':{'url':'{baseUrl}/v1/run/{model}',"
              + "'routes':[{'model':'pipelines/[a-z0-9-]+','url':'{baseUrl}/v1/{model}/start','body':{'args':'{input}'}}]},"
              + "'pollConfig':{'urlTemplate':'{baseUrl}/v1/jobs/{id}','statusPath':'status','doneValues':['done']}}"));
      server.enqueue(json(200, "{\"id\":\"1\"}"));
      server.enqueue(json(200, "{\"id\":\"2\"}"));

      client.submit("pipelines/upscale-x4", parse("{\"x\":1}"), GenerationClient.SubmitExtras.NONE);
      client.submit("acme/model", parse("{\"x\":1}"), GenerationClient.SubmitExtras.NONE);

      RecordedRequest routed = next(server);
      assertThat(routed.getPath()).isEqualTo("/v1/pipelines/upscale-x4/start");
      assertThat(jsonBody(routed)).isEqualTo(parse("{\"args\":{\"x\":1}}"));
      RecordedRequest plain = next(server);
      assertThat(plain.getPath()).isEqualTo("/v1/run/acme/model");
      assertThat(jsonBody(plain)).isEqualTo(parse("{\"x\":1}"));
    }
  }

  @Nested
  class InvalidSpecs {

    private static final String POLL = "'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusPath':'status','doneValues':['done'],'failValues':['failed']";

    static String spec(String pollConfig) {
      return "{'targetUrl':'https://api.example.com/v1/jobs','pollConfig':{" + pollConfig + "}}";
    }

    static Stream<Arguments> invalid() {
      return Stream.of(
          Arguments.of("missing statusPath", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','doneValues':['done']"), "pollConfig.statusPath"),
          Arguments.of("missing doneValues", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusPath':'status','failValues':['failed']"), "pollConfig.doneValues"),
          Arguments.of("empty doneValues", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusPath':'status','doneValues':[]"), "pollConfig.doneValues"),
          Arguments.of("doneValues not a list", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusPath':'status','doneValues':'done'"), "pollConfig.doneValues"),
          Arguments.of("missing urlTemplate", spec("'statusPath':'status','doneValues':['done']"), "pollConfig.urlTemplate"),
          Arguments.of("missing pollConfig", "{'targetUrl':'https://api.example.com/v1/jobs'}", "pollConfig"),
          Arguments.of("missing targetUrl", "{'pollConfig':{" + POLL + "}}", "targetUrl"),
          Arguments.of("typo statusPth", spec(POLL + ",'statusPth':'state'"), "pollConfig.statusPth"),
          Arguments.of("typo doneValue", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusPath':'status','doneValue':['done']"), "pollConfig.doneValue"),
          Arguments.of("typo at top level", "{'targetUrl':'https://api.example.com/v1/jobs','pollconfig':{" + POLL + "}}", "spec.pollconfig"),
          Arguments.of("typo in submit", "{'submit':{'url':'https://api.example.com/v1/jobs','idpath':'id'},'pollConfig':{" + POLL + "}}", "submit.idpath"),
          Arguments.of("typo in cancel", "{'targetUrl':'https://api.example.com/v1/jobs','pollConfig':{" + POLL + "},'cancel':{'url':'x'}}", "cancel.url"),
          Arguments.of("typo in resultFile", spec(POLL + ",'resultFile':{'base64':'video'}"), "pollConfig.resultFile.base64"),
          Arguments.of("typo in auth", "{'targetUrl':'https://api.example.com/v1/jobs','auth':{'name':'X-Key'},'pollConfig':{" + POLL + "}}", "auth.name"),
          Arguments.of("{startResult.bdy.id} in urlTemplate", spec(POLL.replace("{id}", "{startResult.bdy.id}")), "pollConfig.urlTemplate"),
          Arguments.of("{startResult.bdy.response_url} as resultUrlTemplate", spec(POLL + ",'resultUrlTemplate':'{startResult.bdy.response_url}'"), "pollConfig.resultUrlTemplate"),
          Arguments.of("{startResult.id} without body in cancel", "{'targetUrl':'https://api.example.com/v1/jobs','pollConfig':{" + POLL + "},'cancel':{'urlTemplate':'https://api.example.com/v1/jobs/{startResult.id}'}}", "cancel.urlTemplate"),
          Arguments.of("{foo} in urlTemplate", spec(POLL.replace("{id}", "{foo}")), "pollConfig.urlTemplate"),
          Arguments.of("{foo} in targetUrl", "{'targetUrl':'https://api.example.com/{foo}/jobs','pollConfig':{" + POLL + "}}", "submit.url"),
          Arguments.of("{foo} in a submit body field", "{'submit':{'url':'https://api.example.com/v1/jobs','body':{'prompt':'{foo.prompt}'}},'pollConfig':{" + POLL + "}}", "submit.body.prompt"),
          Arguments.of("{foo} in a route body", "{'baseUrl':'https://api.example.com','submit':{'routes':[{'model':'.*','url':'{baseUrl}/x','body':{'input':'{inputs}'}}]},'pollConfig':{" + POLL + "}}", "submit.routes[0].body.input"),
          Arguments.of("{foo} in a submit header", "{'submit':{'url':'https://api.example.com/v1/jobs','headers':{'Prefer':'wait={opts.wait}'}},'pollConfig':{" + POLL + "}}", "submit.headers.Prefer"),
          Arguments.of("{id} in the submit url: no id yet", "{'submit':{'url':'https://api.example.com/v1/jobs/{id}'},'pollConfig':{" + POLL + "}}", "submit.url"),
          Arguments.of("{startResult.body.id} in the submit body: no answer yet", "{'submit':{'url':'https://api.example.com/v1/jobs','body':{'x':'{startResult.body.id}'}},'pollConfig':{" + POLL + "}}", "submit.body.x"),
          Arguments.of("bad regex in contentFilteredCodes", spec(POLL + ",'contentFilteredCodes':'SAFETY\\\\.('"), "pollConfig.contentFilteredCodes"),
          Arguments.of("bad regex in a route", "{'baseUrl':'https://api.example.com','submit':{'routes':[{'model':'[a-z','url':'{baseUrl}/x'}]},'pollConfig':{" + POLL + "}}", "submit.routes[0].model"),
          Arguments.of("bad JSON path in statusPath", spec(POLL.replace("'statusPath':'status'", "'statusPath':'$.status[0'")), "pollConfig.statusPath"),
          Arguments.of("bad JSON path in resultPath", spec(POLL + ",'resultPath':'$.output[0'"), "pollConfig.resultPath"),
          Arguments.of("bad JSON path in errorPath", spec(POLL + ",'errorPath':'$.error[?(@.x =='"), "pollConfig.errorPath"),
          Arguments.of("bad JSON path in outputsPath", spec(POLL + ",'outputsPath':'$..images[0'"), "pollConfig.outputsPath"),
          Arguments.of("bad JSON path in idPath", "{'submit':{'url':'https://api.example.com/v1/jobs','idPath':'$.generations[*'},'pollConfig':{" + POLL + "}}", "submit.idPath"),
          Arguments.of("bad JSON path in resultFile.base64Path", spec(POLL + ",'resultFile':{'base64Path':'$.video[0'}"), "pollConfig.resultFile.base64Path"),
          Arguments.of("spec is a list", "[{'pollConfig':{" + POLL + "}}]", "spec"),
          Arguments.of("spec is a string", "'pollConfig'", "spec"),
          Arguments.of("pollConfig is a string", "{'targetUrl':'https://api.example.com/v1/jobs','pollConfig':'status'}", "pollConfig"),
          Arguments.of("submit is a list", "{'submit':['https://api.example.com/v1/jobs'],'pollConfig':{" + POLL + "}}", "submit"),
          Arguments.of("cancel is a string", "{'targetUrl':'https://api.example.com/v1/jobs','pollConfig':{" + POLL + "},'cancel':'DELETE'}", "cancel"),
          Arguments.of("auth is a number", "{'targetUrl':'https://api.example.com/v1/jobs','auth':7,'pollConfig':{" + POLL + "}}", "auth"),
          Arguments.of("headers is a list", "{'targetUrl':'https://api.example.com/v1/jobs','headers':['X-A: 1'],'pollConfig':{" + POLL + "}}", "headers"),
          Arguments.of("statusCodes is a list", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusCodes':[202]"), "pollConfig.statusCodes"),
          Arguments.of("statusCodes with a non-code key", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusCodes':{'2xx':'running','200':'succeeded'}"), "pollConfig.statusCodes.2xx"),
          Arguments.of("statusCodes with an unknown phase", spec("'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusCodes':{'200':'done'}"), "pollConfig.statusCodes.200"),
          Arguments.of("resultFile is a string", spec(POLL + ",'resultFile':'video'"), "pollConfig.resultFile"),
          Arguments.of("resultNotReadyCodes is a number", spec(POLL + ",'resultNotReadyCodes':425"), "pollConfig.resultNotReadyCodes"),
          Arguments.of("interval with a unit", spec(POLL + ",'interval':'5s'"), "pollConfig.interval"),
          Arguments.of("negative maxDuration", spec(POLL + ",'maxDuration':-1"), "pollConfig.maxDuration"),
          Arguments.of("jitter above 1", spec(POLL + ",'jitter':1.5"), "pollConfig.jitter"),
          Arguments.of("unknown backoff", spec(POLL + ",'backoff':'fibonacci'"), "pollConfig.backoff"),
          Arguments.of("unknown unknownStatus policy", spec(POLL + ",'unknownStatus':'ignore'"), "pollConfig.unknownStatus"),
          Arguments.of("unknown progressScale", spec(POLL + ",'progressPath':'p','progressScale':'permille'"), "pollConfig.progressScale"),
          Arguments.of("bad JSON path in queuePositionPath", spec(POLL + ",'queuePositionPath':'$.queue[0'"), "pollConfig.queuePositionPath"),
          Arguments.of("bad JSON path in logPath", spec(POLL + ",'logPath':'$.logs[0'"), "pollConfig.logPath"),
          Arguments.of("statusQuery is a list", spec(POLL + ",'statusQuery':['logs=1']"), "pollConfig.statusQuery"),
          Arguments.of("unknown encoding", "{'submit':{'url':'https://api.example.com/v1/jobs','encoding':'form'},'pollConfig':{" + POLL + "}}", "submit.encoding"),
          Arguments.of("forwardAuth as text", spec(POLL + ",'forwardAuth':'yes'"), "pollConfig.forwardAuth"),
          Arguments.of("statusPath as a number", spec(POLL.replace("'statusPath':'status'", "'statusPath':3")), "pollConfig.statusPath"),
          Arguments.of("relative targetUrl without baseUrl", "{'targetUrl':'/v1/jobs','pollConfig':{" + POLL + "}}", "submit.url"),
          Arguments.of("routes without baseUrl", "{'submit':{'routes':[{'model':'.*','url':'{baseUrl}/x'}]},'pollConfig':{" + POLL + "}}", "baseUrl"),
          Arguments.of("route without url", "{'baseUrl':'https://api.example.com','submit':{'routes':[{'model':'.*'}]},'pollConfig':{" + POLL + "}}", "submit.routes[0].url"));
    }

    @ParameterizedTest(name = "{0} → SpecException naming {2}")
    @MethodSource("invalid")
    void invalidSpecIsASpecExceptionNamingTheField(String what, String singleQuoted, String field) {
      JsonNode json = parse(singleQuoted.replace('\'', '"'));

      assertThatThrownBy(() -> SpecReader.read(json, "custom"))
          .isInstanceOfSatisfying(
              SpecException.class,
              e -> {
                assertThat(e.field()).isEqualTo(field);
                assertThat(e.getMessage()).startsWith(field + ": ");
              });
    }

    @Test
    void theValidBaseOfTheseCasesIsItselfValid() {
      assertThat(SpecReader.read(parse(spec(POLL).replace('\'', '"')), "custom").status().values().done()).containsExactly("done");
    }

    @Test
    void aTypoIsNamedWithTheKnownKeysSoTheUserSeesTheFix() {
      assertThatThrownBy(() -> SpecReader.read(parse(spec(POLL + ",'statusPth':'state'").replace('\'', '"')), "custom"))
          .hasMessageContaining("unknown key")
          .hasMessageContaining("statusPath");
    }

    @Test
    void aBadPlaceholderIsNamedWithTheKnownRootsAndAnExample() {
      assertThatThrownBy(() -> SpecReader.read(parse(spec(POLL.replace("{id}", "{startResult.bdy.id}")).replace('\'', '"')), "custom"))
          .hasMessageContaining("{startResult.bdy.id}")
          .hasMessageContaining("{startResult.body.id}");
      assertThatThrownBy(() -> SpecReader.read(parse(spec(POLL.replace("{id}", "{foo}")).replace('\'', '"')), "custom"))
          .hasMessageContaining("{foo")
          .hasMessageContaining("startResult");
    }

    @Test
    void throughTheTaskAnInvalidSpecIsInvalidInputNamingCustomSpecAndTheFieldBeforeAnyRequest() {
      String custom = "{\"urlTemplate\":\"" + base + "/v1/jobs/{startResult.bdy.id}\",\"statusPath\":\"status\",\"doneValues\":[\"done\"]}";

      Throwable thrown =
          thrown(() -> operations().submit(new SubmitRequest(ProviderId.CUSTOM, "test-key", base + "/v1/jobs", custom, "m", Map.of("prompt", "x"), null, null, null)));

      assertFailure(thrown, ErrorCode.AI_INVALID_INPUT, "'customSpec'", "pollConfig.urlTemplate", "{startResult.bdy.id}");
      assertThat(server.getRequestCount()).isZero();
    }
  }
}
