package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The task option {@code keepOutputs} end to end: a generate task on the in-memory engine, the
 * runtime polling the provider sandbox, outputs copied into the runtime's result store (limit set
 * to 1 MB here) and served from there after the sandbox deleted the originals.
 */
class KeepOutputsEndToEndTest {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static RuntimeStack stack;
  private static ProviderSandbox sandbox;
  private static ConfigurableApplicationContext runtime;
  private static Path resultDirectory;

  @BeforeAll
  static void start() throws Exception {
    resultDirectory = Files.createTempDirectory("aigen-keep-outputs");
    stack = RuntimeStack.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(300))).deploy(keepProcess(), "keep-test.bpmn");
    sandbox = stack.sandbox();
    runtime = stack.startRuntime(List.of(ProviderEndToEndTest.SandboxKeys.class),
        "--aigen.public-base-url=" + stack.runtimeUrl(""),
        "--aigen.results.directory=" + resultDirectory,
        "--aigen.results.max-file-size=1MB");
  }

  @AfterAll
  static void stop() {
    runtime.close();
    stack.close();
  }

  @BeforeEach
  void clearJournal() {
    sandbox.journal().clear();
  }

  @Test
  void aReplicateOutputSurvivesTheSandboxDeletingTheOriginal() throws Exception {
    Map<?, ?> generation = generate("black-forest-labs/flux-schnell", Map.of("prompt", "a red bicycle", "num_outputs", 2), true);

    List<?> outputs = (List<?>) generation.get("outputs");
    List<?> originals = (List<?>) generation.get("originalOutputs");
    assertThat(outputs).hasSize(2).allSatisfy(url -> assertThat(url.toString()).startsWith(stack.runtimeUrl("/results/")).endsWith(".png"));
    assertThat(originals).hasSize(2).allSatisfy(url -> assertThat(url.toString()).startsWith(sandbox.baseUrl() + "/files/"));
    assertThat(sandbox.expireMedia()).isGreaterThanOrEqualTo(2);

    assertThat(get(originals.get(0).toString()).statusCode()).isEqualTo(404);
    for (Object copy : outputs) {
      HttpResponse<byte[]> kept = get(copy.toString());
      assertThat(kept.statusCode()).isEqualTo(200);
      assertThat(kept.headers().firstValue("Content-Type")).hasValue("image/png");
      assertThat(Arrays.copyOf(kept.body(), 4)).isEqualTo(PNG_SIGNATURE);
    }
  }

  @Test
  void withoutTheOptionTheOutputDiesWithTheOriginal() throws Exception {
    Map<?, ?> generation = generate("black-forest-labs/flux-schnell", Map.of("prompt", "a blue bicycle"), false);

    String output = ((List<?>) generation.get("outputs")).get(0).toString();
    assertThat(output).startsWith(sandbox.baseUrl() + "/files/");
    assertThat(generation.containsKey("originalOutputs")).isFalse();
    sandbox.expireMedia();
    assertThat(get(output).statusCode()).isEqualTo(404);
  }

  @Test
  void noCredentialIsSentToTheMediaHost() {
    generate("minimax/video-01", Map.of("prompt", "waves"), true);

    List<JournalEntry> api = sandbox.journal().matching(null, "/replicate/.*");
    List<JournalEntry> media = sandbox.journal().matching("GET", "/files/.*");
    assertThat(api).isNotEmpty().allSatisfy(entry -> assertThat(entry.credentialHeaders()).containsExactly("authorization"));
    assertThat(media).hasSize(1).allSatisfy(entry -> {
      assertThat(entry.path()).endsWith(".mp4");
      assertThat(entry.credentialHeaders()).isEmpty();
    });
  }

  @Test
  void anOversizedOutputEndsWithAClearWarningAndTheProvidersUrl() {
    Map<?, ?> generation = generate("black-forest-labs/flux-schnell", Map.of("prompt", "a huge bicycle", "sandbox", Map.of("outputBytes", 2 * 1024 * 1024)), true);

    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    assertThat(((List<?>) generation.get("outputs")).get(0).toString()).startsWith(sandbox.baseUrl() + "/files/");
    assertThat((List<?>) generation.get("warnings")).anySatisfy(w -> assertThat(w.toString())
        .contains("was not kept: it is larger than the result store's limit of 1048576 bytes (aigen.results.max-file-size)")
        .contains("The process has the provider's URL, which expires"));
  }

  @Test
  void aWrongContentTypeEndsWithAClearWarningAndTheProvidersUrl() {
    Map<?, ?> generation = generate("black-forest-labs/flux-schnell", Map.of("prompt", "an html bicycle", "sandbox", Map.of("outputContentType", "text/html")), true);

    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    assertThat(((List<?>) generation.get("outputs")).get(0).toString()).startsWith(sandbox.baseUrl() + "/files/");
    assertThat((List<?>) generation.get("warnings")).anySatisfy(w -> assertThat(w.toString())
        .contains("was not kept: its content type is 'text/html', not an image, video or audio file"));
  }

  private static Map<?, ?> generate(String model, Map<String, Object> input, boolean keepOutputs) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("model", model);
    variables.put("input", input);
    variables.put("keepOutputs", keepOutputs);
    Map<String, Object> result = stack.run("keep-test", variables);
    Map<?, ?> generation = (Map<?, ?>) result.get("generation");
    assertThat(generation).as("variables %s", result).isNotNull();
    return generation;
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** start → generate (Replicate, keepOutputs from the variable) → end. */
  private static BpmnModelInstance keepProcess() {
    return Bpmn.createExecutableProcess("keep-test")
        .startEvent()
        .serviceTask("generate", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeTaskHeader("operation", "generate")
            .zeebeTaskHeader("resultVariable", "generation")
            .zeebeInput("REPLICATE", "provider")
            .zeebeInput("{{secrets.REPLICATE_API_TOKEN}}", "apiKey")
            .zeebeInputExpression("model", "model")
            .zeebeInputExpression("input", "input")
            .zeebeInputExpression("keepOutputs", "keepOutputs")
            .zeebeInput("PT0.3S", "pollInterval"))
        .endEvent()
        .done();
  }
}
