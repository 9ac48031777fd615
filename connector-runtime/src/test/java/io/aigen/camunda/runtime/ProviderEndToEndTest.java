package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.template.AppliedTemplate;
import io.aigen.camunda.connector.template.ElementTemplates;
import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every example process of the README's systems table, on a real in-memory engine, with the
 * runtime polling the provider sandbox over HTTP: success, failure and cancel per provider.
 */
class ProviderEndToEndTest {

  /** Secrets the example processes reference; the sandbox accepts any key. */
  @Configuration
  static class SandboxKeys {
    @Bean
    SecretProvider e2eSecrets() {
      return new SecretProvider() {
        @Override
        public String getSecret(String name, SecretContext context) {
          return name.endsWith("_KEY") || name.endsWith("_TOKEN") ? "e2e-" + name.toLowerCase() : null;
        }
      };
    }
  }

  static final String ONE_PIXEL_PNG =
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  /** A valid input per provider, as its example process expects it. */
  static final Map<String, Map<String, Object>> INPUTS =
      Map.of(
          "fal", Map.of("prompt", "a lighthouse"),
          "replicate", Map.of("prompt", "a red bicycle"),
          "runway", Map.of("promptImage", "https://example.com/first.jpg", "promptText", "slow dolly in", "ratio", "1280:720"),
          "luma", Map.of("prompt", "a teddy bear playing guitar"),
          "elevenlabs-dubbing", Map.of("source_url", "https://example.com/talk.mp4", "target_lang", "es", "name", "talk"),
          "stability-video", Map.of("image", ONE_PIXEL_PNG, "seed", 7),
          "oxen", Map.of("prompt", "a mountain lake"),
          "oxen-legacy", Map.of("prompt", "a mountain lake"),
          "unified-task", Map.of("prompt", "waves at night"),
          "do-async-invoke", Map.of("prompt", "a paper crane"));

  private static RuntimeStack stack;
  private static ProviderSandbox sandbox;
  private static ConfigurableApplicationContext runtime;
  private static int httpPort;

  @BeforeAll
  static void start() {
    stack = RuntimeStack.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(400)))
        .deployExamples("processes/*.bpmn")
        .deploy(cancelProcess(), "cancel-test.bpmn")
        .completeJobsOf("aigen-demo:report");
    sandbox = stack.sandbox();
    httpPort = stack.httpPort();
    runtime = stack.startRuntime(List.of(SandboxKeys.class));
  }

  @AfterAll
  static void stop() {
    runtime.close();
    stack.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fal", "replicate", "runway", "luma", "elevenlabs-dubbing", "stability-video", "oxen", "unified-task", "do-async-invoke"})
  void exampleProcessSucceedsWithOutputs(String provider) {
    Map<String, Object> result = runExample(provider, input(provider, Map.of("durationMs", 300)));
    Map<?, ?> generation = (Map<?, ?>) result.get("generation");
    assertThat(generation).as("generation of %s; variables %s", provider, result).isNotNull();
    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    assertThat((List<?>) generation.get("outputs")).isNotEmpty().allSatisfy(url -> assertThat(url.toString()).startsWith("http://127.0.0.1:"));
    assertThat(result.toString()).doesNotContain("e2e-");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fal", "replicate", "runway", "luma", "elevenlabs-dubbing", "stability-video", "oxen", "unified-task", "do-async-invoke"})
  void exampleProcessTakesTheErrorPathWhenTheJobFails(String provider) {
    Map<String, Object> result = runExample(provider, input(provider, Map.of("durationMs", 200, "fail", "simulated GPU fault")));
    Map<?, ?> error = (Map<?, ?>) result.get("aiGenerationError");
    assertThat(error).as("error of %s; variables %s", provider, result).isNotNull();
    assertThat(error.get("code")).isEqualTo("AI_GENERATION_FAILED");
    assertThat(result).doesNotContainKey("generation");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FAL", "REPLICATE", "RUNWAY", "LUMA", "ELEVENLABS_DUBBING", "OXEN", "OXEN_LEGACY"})
  void runningJobIsCancelledAtTheProvider(String provider) {
    String id = io.aigen.camunda.connector.provider.ProviderId.of(provider).id();
    Map<String, Object> variables = new HashMap<>();
    variables.put("provider", provider);
    variables.put("model", model(id));
    variables.put("input", input(id, Map.of("durationMs", 60_000)));
    Map<String, Object> result = run("cancel-test", variables);
    Map<?, ?> cancellation = (Map<?, ?>) result.get("cancellation");
    assertThat(cancellation).as("cancellation of %s; variables %s", provider, result).isNotNull();
    assertThat(cancellation.get("accepted")).isEqualTo(true);
  }

  @Test
  void fanOutOfFourGenerationsEachWaitsOnItsOwnJob() {
    sandbox.journal().clear();
    List<String> prompts = List.of("a fox", "an owl", "a whale", "a cat");
    Map<String, Object> result = run("ai-generation-fan-out", Map.of("prompts", prompts, "pollInterval", "PT0.3S"));
    List<?> generations = (List<?>) result.get("generations");
    assertThat(generations).hasSize(4);
    List<String> jobIds = generations.stream().map(g -> ((Map<?, ?>) g).get("jobId").toString()).toList();
    assertThat(jobIds).doesNotHaveDuplicates();
    for (int i = 0; i < 4; i++) {
      Map<?, ?> generation = (Map<?, ?>) generations.get(i);
      assertThat(generation.get("prompt")).isEqualTo(prompts.get(i));
      assertThat((List<?>) generation.get("outputs")).singleElement().asString().contains(jobIds.get(i));
    }
    assertThat(sandbox.journal().matching("POST", "/fal/.*")).hasSize(4);
  }

  /**
   * Each provider's element template applied to a task as Modeler applies it (its bindings written
   * into the BPMN, with its defaults and the example model it suggests), run end to end.
   */
  @Nested
  class AppliedTemplates {

    private Map<String, Object> runApplied(String processId, List<AppliedTemplate> tasks, Map<String, Object> variables) {
      io.camunda.zeebe.model.bpmn.builder.AbstractFlowNodeBuilder<?, ?> builder = Bpmn.createExecutableProcess(processId).startEvent();
      for (int i = 0; i < tasks.size(); i++) {
        AppliedTemplate task = tasks.get(i);
        builder = builder.serviceTask("task" + i, t -> {
          t.zeebeJobType(task.taskType()).zeebeJobRetries(task.retries());
          task.inputs().forEach((target, source) -> t.zeebeInput(source, target));
          task.headers().forEach(t::zeebeTaskHeader);
        });
      }
      stack.deploy(builder.endEvent().done(), processId + ".bpmn");
      return run(processId, variables);
    }

    private static JsonNode template(ProviderCatalog.Entry entry) {
      return ElementTemplates.all().get(ElementTemplates.fileName(entry.provider()));
    }

    private static String exampleModel(JsonNode template) {
      for (JsonNode property : template.path("properties")) {
        if (property.path("id").asText().equals("model")) {
          return property.path("placeholder").asText();
        }
      }
      return null;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fal", "replicate", "runway", "luma", "elevenlabs-dubbing", "stability-video", "oxen", "oxen-legacy", "unified-task", "do-async-invoke"})
    void providersTemplateAppliedToATaskGenerates(String provider) {
      ProviderCatalog.Entry entry = ProviderCatalog.entries().stream().filter(e -> e.provider().id().equals(provider)).findFirst().orElseThrow();
      JsonNode template = template(entry);
      Map<String, String> entered = new HashMap<>();
      entered.put("input", "=input");
      entered.put("pollInterval", "PT0.3S");
      String model = exampleModel(template);
      if (model != null) {
        entered.put("model", model);
      }
      AppliedTemplate task = AppliedTemplate.apply(template, entered);
      assertThat(task.inputs()).as("the template fixes its provider").containsEntry("provider", entry.provider().name());
      assertThat(task.inputs().get("apiKey")).as("the template's secret").startsWith("{{secrets.");
      Map<String, Object> result = runApplied("applied-" + provider, List.of(task), Map.of("input", input(provider, Map.of("durationMs", 300))));
      Map<?, ?> generation = (Map<?, ?>) result.get(ElementTemplates.RESULT_VARIABLE);
      assertThat(generation).as("%s; variables %s", provider, result).isNotNull();
      assertThat(generation.get("status")).as("%s", provider).isIn("SUCCEEDED", "OUTCOME_UNKNOWN");
      assertThat(generation.get("provider")).isEqualTo(provider);
    }

    @Test
    void typedOptionFieldsReachTheProvider() {
      sandbox.journal().clear();
      JsonNode template = template(ProviderCatalog.entries().stream().filter(e -> e.provider().id().equals("runway")).findFirst().orElseThrow());
      AppliedTemplate task =
          AppliedTemplate.apply(template, Map.of("input", "=input", "model", "gen4_image", "options.endpoint", "text_to_image", "pollInterval", "PT0.3S"));
      assertThat(task.inputs()).containsEntry("options.endpoint", "text_to_image");
      Map<String, Object> result =
          runApplied("applied-runway-option", List.of(task), Map.of("input", Map.of("promptText", "a harbour at dawn", "ratio", "1920:1080", "sandbox", Map.of("durationMs", 200))));
      assertThat(((Map<?, ?>) result.get("generation")).get("status")).as("variables %s", result).isEqualTo("SUCCEEDED");
      assertThat(sandbox.journal().matching("POST", "/runway/v1/text_to_image")).hasSize(1);
    }

    @Test
    void submitAndAwaitMadeWithTheTemplatesDefaultsMeetOnTheJobHandle() {
      JsonNode template = template(ProviderCatalog.entries().get(0));
      AppliedTemplate submit = AppliedTemplate.apply(template, Map.of("operation", "submit", "input", "=input", "model", "fal-ai/flux/dev"));
      AppliedTemplate await = AppliedTemplate.apply(template, Map.of("operation", "await", "pollInterval", "PT0.3S"));
      assertThat(submit.headers()).containsEntry("resultVariable", ElementTemplates.JOB_VARIABLE);
      assertThat(await.inputs()).containsEntry("job", "=" + ElementTemplates.JOB_VARIABLE).doesNotContainKey("provider");
      Map<String, Object> result = runApplied("applied-submit-await", List.of(submit, await), Map.of("input", input("fal", Map.of("durationMs", 300))));
      assertThat(((Map<?, ?>) result.get(ElementTemplates.JOB_VARIABLE)).get("jobId")).isNotNull();
      assertThat(((Map<?, ?>) result.get("generation")).get("status")).as("variables %s", result).isEqualTo("SUCCEEDED");
    }
  }

  @Nested
  class StoredResults {
    @Test
    void stabilityVideoIsServedByTheRuntimeAndNotKeptInVariables() throws Exception {
      Map<String, Object> result = runExample("stability-video", input("stability-video", Map.of("durationMs", 200)));
      Map<?, ?> generation = (Map<?, ?>) result.get("generation");
      String url = ((List<?>) generation.get("outputs")).get(0).toString();
      assertThat(url).startsWith("http://127.0.0.1:" + httpPort + "/results/").endsWith(".mp4");
      HttpResponse<byte[]> video = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(video.statusCode()).isEqualTo(200);
      assertThat(new String(video.body(), 4, 4)).isEqualTo("ftyp");
      String videoAsBase64 = java.util.Base64.getEncoder().encodeToString(video.body());
      assertThat(generation.toString()).doesNotContain(videoAsBase64.substring(0, 40));
    }
  }

  @Nested
  class Catalog {
    @Test
    void getProvidersListsEveryPresetWithItsSpec() throws Exception {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/providers")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      for (String provider : ProviderSandbox.providerIds()) {
        assertThat(answer.body()).contains("\"id\":\"" + provider + "\"");
      }
      assertThat(answer.body()).contains("pollConfig").contains("statusPath");
    }
  }

  /** AsyncQueue's own Luma template (docs/providers.md §9.4), only its host swapped for the sandbox's. */
  @Nested
  class CustomSpec {
    private String pollConfig() {
      return """
          {"urlTemplate":"%s/generations/{startResult.body.id}","interval":5,
           "statusPath":"state","doneValues":["completed"],"failValues":["failed"],"resultPath":"assets.video",
           "errorPath":"failure_reason","forwardAuth":true,"maxDuration":600}"""
          .formatted(sandbox.providerBaseUrl("luma"));
    }

    private Map<String, Object> runCustom(Map<String, Object> sandboxDirectives, String pollConfig) {
      Map<String, Object> variables = new HashMap<>();
      variables.put("input", Map.of("model", "ray-2", "prompt", "a teddy bear", "sandbox", sandboxDirectives));
      variables.put("submitUrl", sandbox.providerBaseUrl("luma") + "/generations/video");
      variables.put("pollConfig", pollConfig);
      variables.put("pollInterval", "PT0.3S");
      return run("ai-generation-custom", variables);
    }

    @Test
    void asyncQueuePollConfigPastedAsIsCompletesWithTheVideoUrl() {
      Map<String, Object> result = runCustom(Map.of("durationMs", 300), pollConfig());
      Map<?, ?> generation = (Map<?, ?>) result.get("generation");
      assertThat(generation).as("variables %s", result).isNotNull();
      assertThat(generation.get("provider")).isEqualTo("custom");
      assertThat((List<?>) generation.get("outputs")).singleElement().asString().endsWith(".mp4");
    }

    @Test
    void asyncQueuePollConfigFailureTakesTheErrorPathWithTheFailureReason() {
      Map<String, Object> result = runCustom(Map.of("durationMs", 200, "fail", "prompt rejected"), pollConfig());
      Map<?, ?> error = (Map<?, ?>) result.get("aiGenerationError");
      assertThat(error.get("code")).isEqualTo("AI_GENERATION_FAILED");
      assertThat(error.get("message").toString()).contains("prompt rejected");
    }

    @Test
    void specWithoutStatusPathIsInvalidInputNamingTheField() {
      Map<String, Object> result = runCustom(Map.of("durationMs", 200), pollConfig().replace("\"statusPath\":\"state\",", ""));
      Map<?, ?> error = (Map<?, ?>) result.get("aiGenerationError");
      assertThat(error.get("code")).isEqualTo("AI_INVALID_INPUT");
      assertThat(error.get("message").toString()).contains("pollConfig.statusPath");
    }
  }

  @Nested
  class InvalidInput {
    @ParameterizedTest(name = "num_generations {0}")
    @ValueSource(ints = {0, 5})
    void oxenNumGenerationsOutsideOneToFourIsRejectedAtEnqueueWithTheProvidersMessage(int count) {
      Map<String, Object> result = runExample("oxen", Map.of("prompt", "too many", "num_generations", count));
      Map<?, ?> error = (Map<?, ?>) result.get("aiGenerationError");
      assertThat(error.get("code")).isEqualTo("AI_INVALID_INPUT");
      assertThat(error.get("message").toString()).contains("num_generations must be an integer between 1 and 4");
    }

    @Test
    void unknownProviderIsInvalidInputListingTheKnownOnes() {
      Map<String, Object> variables = new HashMap<>();
      variables.put("provider", "midjourney");
      variables.put("model", "v6");
      variables.put("input", Map.of("prompt", "a cat"));
      Map<String, Object> result = run("cancel-test", variables);
      Map<?, ?> error = (Map<?, ?>) result.get("aiGenerationError");
      assertThat(error.get("code")).isEqualTo("AI_INVALID_INPUT");
      assertThat(error.get("message").toString()).contains("provider").contains("midjourney").contains("replicate");
    }

    @Test
    void stabilityWithoutImageIsRejectedBeforeAnythingIsSent() {
      sandbox.journal().clear();
      Map<String, Object> result = runExample("stability-video", Map.of("seed", 1));
      Map<?, ?> error = (Map<?, ?>) result.get("aiGenerationError");
      assertThat(error.get("code")).isEqualTo("AI_INVALID_INPUT");
      assertThat(error.get("message").toString()).contains("input.image");
      assertThat(sandbox.journal().matching("POST", "/stability/.*")).isEmpty();
    }
  }

  private static Map<String, Object> input(String provider, Map<String, Object> sandboxDirectives) {
    Map<String, Object> input = new HashMap<>(INPUTS.get(provider));
    input.put("sandbox", sandboxDirectives);
    return input;
  }

  private static String model(String provider) {
    return switch (provider) {
      case "fal" -> "fal-ai/flux/dev";
      case "replicate" -> "black-forest-labs/flux-schnell";
      case "runway" -> "gen4_turbo";
      case "luma" -> "ray-2";
      case "oxen", "oxen-legacy" -> "flux-2-dev";
      default -> "";
    };
  }

  private static Map<String, Object> runExample(String provider, Map<String, Object> input) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("input", input);
    variables.put("pollInterval", "PT0.3S");
    return run("ai-generation-" + provider, variables);
  }

  private static Map<String, Object> run(String process, Map<String, Object> variables) {
    return stack.run(process, variables);
  }

  /** start → submit → cancel → end, for any provider given as variable; a submit error ends it. */
  private static BpmnModelInstance cancelProcess() {
    return Bpmn.createExecutableProcess("cancel-test")
        .startEvent()
        .serviceTask("submit", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeTaskHeader("operation", "submit")
            .zeebeTaskHeader("resultVariable", "aiJob")
            .zeebeInputExpression("provider", "provider")
            .zeebeInput("{{secrets.FAL_KEY}}", "apiKey")
            .zeebeInputExpression("model", "model")
            .zeebeInputExpression("input", "input"))
        .boundaryEvent("submitFailed", b -> b.error())
        .endEvent("failedEnd")
        .moveToActivity("submit")
        .serviceTask("cancel", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeTaskHeader("operation", "cancel")
            .zeebeTaskHeader("resultVariable", "cancellation")
            .zeebeInput("{{secrets.FAL_KEY}}", "apiKey")
            .zeebeInputExpression("aiJob", "job"))
        .endEvent()
        .done();
  }

}
