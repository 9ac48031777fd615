package io.aigen.camunda.connector;

import io.aigen.camunda.connector.job.EnginePace;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import io.aigen.camunda.connector.callback.CallbackUrls;
import io.aigen.camunda.connector.spec.Json;
import static io.aigen.camunda.connector.support.FalFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.MissingSecret;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.model.GenerateRequest;
import io.aigen.camunda.connector.model.SubmitRequest;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.support.FalFixture;
import io.aigen.camunda.connector.support.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad task input ends with AI_INVALID_INPUT naming the field, before anything is sent to fal. */
class GenerationOperationsTest {

  private static final Map<String, Object> INPUT = Map.of("prompt", "a cat");

  private MockWebServer server;
  private MutableClock clock;
  private GenerationOperations operations;

  @BeforeEach
  void start() {
    server = FalFixture.server();
    clock = MutableClock.at("2026-08-01T10:00:00Z");
    operations = new GenerationOperations(new ProviderSpecs(new ProviderSettings(Map.of("fal", server.url("/").toString()))), new GenerationClients(ProviderHttp.withDefaults(), LocalResultStore.inTempDirectory(), clock), new CallbackUrls(null), clock, Json.mapper(), EnginePace.STEADY);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private void assertInvalid(ThrowingCallable call, String field, String... mentions) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            GenerationFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.AI_INVALID_INPUT);
              assertThat(f.getMessage()).startsWith("Invalid input '" + field + "'");
              for (String mention : mentions) {
                assertThat(f.getMessage()).contains(mention);
              }
            });
    assertThat(server.getRequestCount()).as("nothing sent to the provider").isZero();
  }

  private static SubmitRequest submit(String apiKey, String model, Object input) {
    return new SubmitRequest(ProviderId.FAL, apiKey, null, null, model, input, null, null, null);
  }

  private static GenerateRequest generate(String pollInterval, String maxDuration) {
    return new GenerateRequest(ProviderId.FAL, "test-key", null, null, "fal-ai/flux/dev", INPUT, null, pollInterval, maxDuration);
  }

  @Test
  void anOptionThePresetDoesNotDeclareIsRefusedNamingItAndTheDeclaredOnes() {
    // fal declares no options: a typo or another provider's option fails before anything is sent
    assertInvalid(
        () -> operations.submit(new SubmitRequest(ProviderId.FAL, "test-key", null, null, "fal-ai/flux/dev", INPUT, Map.of("endpoint", "text_to_image"), null, null)),
        "options",
        "'endpoint' is not an option of fal.ai queue",
        "takes no options");
  }

  @Test
  void anUndeclaredOptionIsRefusedListingTheDeclaredOnes() {
    GenerationOperations replicate =
        new GenerationOperations(new ProviderSpecs(new ProviderSettings(Map.of("replicate", server.url("/").toString()))), new GenerationClients(ProviderHttp.withDefaults(), LocalResultStore.inTempDirectory(), clock), new CallbackUrls(null), clock, Json.mapper(), EnginePace.STEADY);
    assertInvalid(
        () -> replicate.submit(new SubmitRequest(ProviderId.REPLICATE, "test-key", null, null, "owner/model", INPUT, Map.of("wiat", 10), null, null)),
        "options",
        "'wiat' is not an option of Replicate predictions",
        "takes wait, cancelAfter");
  }

  @Test
  void aDeclaredOptionOfTheWrongTypeIsRefused() {
    GenerationOperations replicate =
        new GenerationOperations(new ProviderSpecs(new ProviderSettings(Map.of("replicate", server.url("/").toString()))), new GenerationClients(ProviderHttp.withDefaults(), LocalResultStore.inTempDirectory(), clock), new CallbackUrls(null), clock, Json.mapper(), EnginePace.STEADY);
    assertInvalid(
        () -> replicate.submit(new SubmitRequest(ProviderId.REPLICATE, "test-key", null, null, "owner/model", INPUT, Map.of("wait", "soon"), null, null)),
        "options.wait",
        "must be a number");
  }

  @Test
  void missingModelNamesModel() {
    assertInvalid(() -> operations.submit(submit("test-key", null, INPUT)), "model");
  }

  @Test
  void blankModelNamesModel() {
    assertInvalid(() -> operations.submit(submit("test-key", "  ", INPUT)), "model");
  }

  @Test
  void modelWithPathTraversalNamesModel() {
    assertInvalid(() -> operations.submit(submit("test-key", "fal-ai/../admin", INPUT)), "model", "fal-ai/../admin");
  }

  @Test
  void malformedInputJsonStringNamesInputAndWhere() {
    assertInvalid(() -> operations.submit(submit("test-key", "fal-ai/flux/dev", "{\"prompt\": \"a cat\"")), "input", "not valid JSON", "line 1");
  }

  @Test
  void inputJsonArrayIsNotAnObjectNamesInput() {
    assertInvalid(() -> operations.submit(submit("test-key", "fal-ai/flux/dev", "[\"a cat\"]")), "input", "must be an object");
  }

  @Test
  void inputListIsNotAnObjectNamesInput() {
    assertInvalid(() -> operations.submit(submit("test-key", "fal-ai/flux/dev", List.of("a cat"))), "input", "must be an object");
  }

  @Test
  void missingInputNamesInput() {
    assertInvalid(() -> operations.submit(submit("test-key", "fal-ai/flux/dev", null)), "input", "empty");
  }

  @Test
  void unresolvedSecretInApiKeyIsAMissingSecretNamingIt() {
    assertThatThrownBy(() -> operations.submit(submit("{{secrets.FAL_KEY}}", "fal-ai/flux/dev", INPUT)))
        .isInstanceOfSatisfying(MissingSecret.class, missing -> {
          assertThat(missing.name()).isEqualTo("FAL_KEY");
          assertThat(missing.describe("AIGEN_SECRET_")).contains("environment variable AIGEN_SECRET_FAL_KEY").contains("apiKey");
        });
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void unresolvedSecretWithSpacesInApiKeyNamesTheSecret() {
    assertThatThrownBy(() -> operations.submit(submit("{{ secrets.FAL_KEY }}", "fal-ai/flux/dev", INPUT)))
        .isInstanceOfSatisfying(MissingSecret.class, missing -> assertThat(missing.name()).isEqualTo("FAL_KEY"));
  }

  @Test
  void emptyApiKeyNamesApiKey() {
    assertInvalid(() -> operations.submit(submit(" ", "fal-ai/flux/dev", INPUT)), "apiKey");
  }

  @Test
  void missingProviderNamesProvider() {
    assertInvalid(() -> operations.submit(new SubmitRequest(null, "test-key", null, null, "fal-ai/flux/dev", INPUT, null, null, null)), "provider");
  }

  @Test
  void pollIntervalWrittenAs3sIsNotIsoAndNamesPollInterval() {
    assertInvalid(() -> operations.generate(generate("3s", null), null), "pollInterval", "3s", "PT5S");
  }

  @Test
  void zeroMaxDurationNamesMaxDuration() {
    assertInvalid(() -> operations.generate(generate(null, "PT0S"), null), "maxDuration", "positive");
  }

  @Test
  void awaitWithABadPollIntervalNamesPollInterval() {
    JobHandle handle = new JobHandle("fal", "x", "fal-ai/flux/dev", List.of(new JobHandle.Part("x", server.url("/s").toString(), null, null)), clock.instant(), null, null);
    assertInvalid(() -> operations.await(new AwaitRequest("test-key", handle, "3s", null)), "pollInterval", "3s");
  }

  @Test
  void awaitWithAJobThatIsNoHandleNamesJob() {
    assertInvalid(() -> operations.await(new AwaitRequest("test-key", Map.of("jobId", "x"), null, null)), "job");
  }

  @Test
  void awaitWithAnUnknownProviderInTheHandleNamesJob() {
    JobHandle handle = new JobHandle("nope", "x", "m", List.of(new JobHandle.Part("x", server.url("/s").toString(), null, null)), clock.instant(), null, null);
    assertInvalid(() -> operations.await(new AwaitRequest("test-key", handle, null, null)), "job", "nope");
  }

  @Test
  void submitWithACallbackUrlOfAnInboundConnectorSendsThatUrlAsFalWebhook() throws Exception {
    server.enqueue(json(200, FalFixture.submitAnswer(server)));
    String inbound = "https://connectors.example.com/inbound/aigen-fal";
    operations.submit(new SubmitRequest(ProviderId.FAL, "test-key", null, null, "fal-ai/flux/dev", INPUT, null, true, inbound));
    assertThat(server.takeRequest(1, TimeUnit.SECONDS).getRequestUrl().queryParameter("fal_webhook")).isEqualTo(inbound + "?app=fal-ai%2Fflux");
  }

  @Test
  void theFalWebhookUrlCarriesTheAppThatFalsResultUrlNeeds() throws Exception {
    // fal's webhook names only the request: its result URL needs the app (owner/app of the model id)
    server.enqueue(json(200, FalFixture.submitAnswer(server)));
    String runtime = "https://hooks.example.com/callbacks/fal?x=1";
    operations.submit(new SubmitRequest(ProviderId.FAL, "test-key", null, null, "fal-ai/kling-video/v2/master/text-to-video", INPUT, null, true, runtime));
    assertThat(server.takeRequest(1, TimeUnit.SECONDS).getRequestUrl().queryParameter("fal_webhook")).isEqualTo(runtime + "&app=fal-ai%2Fkling-video");
  }

  @Test
  void submitWithACallbackUrlThatIsNoUrlNamesCallbackUrl() {
    assertInvalid(() -> operations.submit(new SubmitRequest(ProviderId.FAL, "test-key", null, null, "fal-ai/flux/dev", INPUT, null, true, "inbound/aigen-fal")), "callbackUrl");
  }

  @Test
  void submitWaitingForCallbackWithoutAPublicBaseUrlNamesWaitForCallback() {
    assertInvalid(() -> operations.submit(new SubmitRequest(ProviderId.FAL, "test-key", null, null, "fal-ai/flux/dev", INPUT, null, true, null)), "waitForCallback", "aigen.public-base-url");
  }

  @Test
  void submitWaitingForCallbackFromAProviderThatCannotCallBackNamesWaitForCallback() {
    GenerationOperations withBaseUrl = new GenerationOperations(new ProviderSpecs(new ProviderSettings(Map.of("runway", server.url("/").toString()))), new GenerationClients(ProviderHttp.withDefaults(), LocalResultStore.inTempDirectory(), clock), new CallbackUrls("https://hooks.example.com"), clock, Json.mapper(), EnginePace.STEADY);
    assertInvalid(() -> withBaseUrl.submit(new SubmitRequest(ProviderId.RUNWAY, "test-key", null, null, "gen4_turbo", INPUT, null, true, null)), "waitForCallback", "does not call back");
  }

  @Test
  void generateSubmitsOnceThenPollsWithTheKeptHandle() throws Exception {
    // Not bad input: the valid path, to show the checks above do not block it.
    server.enqueue(json(200, FalFixture.submitAnswer(server)));
    server.enqueue(json(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":1}"));

    WaitStep.Pending submitted = (WaitStep.Pending) operations.generate(generate("PT2S", null), null);
    clock.advance(submitted.delay());
    WaitStep.Pending polled = (WaitStep.Pending) operations.generate(generate("PT2S", null), submitted.handle());

    assertThat(submitted.providerStatus()).isEqualTo("SUBMITTED");
    assertThat(submitted.delay()).as("the interval, jittered only later").isBetween(Duration.ofMillis(2000), Duration.ofMillis(2200));
    assertThat(polled.providerStatus()).isEqualTo("IN_QUEUE");
    assertThat(polled.progress().queuePosition()).isEqualTo(1);
    assertThat(polled.handle()).isEqualTo(submitted.handle());
    assertThat(server.takeRequest(1, TimeUnit.SECONDS).getPath()).isEqualTo("/fal-ai/flux/dev");
    assertThat(server.takeRequest(1, TimeUnit.SECONDS).getPath()).isEqualTo(FalFixture.APP_PATH + "/status?logs=1");
  }
}
