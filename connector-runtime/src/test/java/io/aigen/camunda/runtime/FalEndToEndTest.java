package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The connector runtime against a real in-memory Zeebe engine and the fal sandbox over HTTP: the
 * whole path a modeler's process takes.
 */
class FalEndToEndTest {

  private static RuntimeStack stack;
  private static ProviderSandbox sandbox;
  private static ZeebeClient client;

  @BeforeAll
  static void startEngineAndSandbox() {
    stack = RuntimeStack.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(1500))).deploy(generateProcess(), "generate-test.bpmn");
    sandbox = stack.sandbox();
    client = stack.client();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void generateTaskCompletesWithTheSandboxOutputUrl() {
    try (var runtime = startRuntime()) {
      var result = run(Map.of("prompt", "a red fox"), null);
      Map<?, ?> generation = (Map<?, ?>) result.get("generation");
      assertThat(result.get("path")).isEqualTo("succeeded");
      assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
      assertThat((List<?>) generation.get("outputs")).singleElement().asString().startsWith(sandbox.baseUrl() + "/files/").endsWith(".png");
      assertThat(result).doesNotContainKey("apiKey");
      assertThat(result.toString()).doesNotContain("e2e-secret-key");
    }
  }

  @Test
  void failingJobTakesTheBpmnErrorPathWithTheProvidersMessage() {
    try (var runtime = startRuntime()) {
      var result = run(Map.of("prompt", "nsfw", "sandbox", Map.of("fail", "NSFW content detected")), null);
      assertThat(result.get("path")).isEqualTo("failed");
      assertThat(thrownErrors()).anySatisfy(job -> {
        assertThat(job.getErrorCode()).isEqualTo("AI_GENERATION_FAILED");
        assertThat(job.getErrorMessage()).contains("NSFW content detected");
      });
    }
  }

  @Test
  void jobLongerThanMaxDurationIsCancelledAndRaisesTimeout() {
    try (var runtime = startRuntime()) {
      var result = run(Map.of("prompt", "a very long video", "sandbox", Map.of("durationMs", 60000)), "PT2S");
      assertThat(result.get("path")).isEqualTo("failed");
      assertThat(thrownErrors()).anySatisfy(job -> assertThat(job.getErrorCode()).isEqualTo("AI_GENERATION_TIMEOUT"));
      assertThat(sandbox.journal().matching("PUT", "/fal/.*/requests/.*/cancel")).isNotEmpty();
    }
  }

  @Test
  void pollAnswered429WithRetryAfterWaitsAtLeastThatLong() {
    try (var runtime = startRuntime()) {
      sandbox.journal().clear();
      run(Map.of("prompt", "busy", "sandbox", Map.of("durationMs", 500, "rateLimitPolls", 1, "retryAfterSeconds", 2)), null);
      List<JournalEntry> polls = sandbox.journal().matching("GET", "/fal/.*/requests/.*/status");
      assertThat(polls.get(0).responseStatus()).isEqualTo(429);
      assertThat(Duration.between(polls.get(0).at(), polls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void runtimeRestartedMidWaitDoesNotSubmitAgain() {
    sandbox.journal().clear();
    var instance = client.newCreateInstanceCommand().bpmnProcessId("generate-test").latestVersion()
        .variables(Map.of("input", Map.of("prompt", "restart", "sandbox", Map.of("durationMs", 5000)))).send().join();
    try (var first = startRuntime()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !sandbox.journal().matching("GET", "/fal/.*/status").isEmpty());
    }
    try (var second = startRuntime()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> completed(instance.getProcessInstanceKey()));
    }
    assertThat(sandbox.journal().matching("POST", "/fal/.*")).hasSize(1);
  }

  private Map<String, Object> run(Map<String, Object> input, String maxDuration) {
    var variables = new HashMap<String, Object>();
    variables.put("input", input);
    if (maxDuration != null) {
      variables.put("maxDuration", maxDuration);
    }
    return client.newCreateInstanceCommand().bpmnProcessId("generate-test").latestVersion().variables(variables)
        .withResult().requestTimeout(Duration.ofSeconds(60)).send().join().getVariablesAsMap();
  }

  private static boolean completed(long processInstanceKey) {
    return stack.records(ValueType.PROCESS_INSTANCE).stream()
        .anyMatch(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
            && r.getKey() == processInstanceKey);
  }

  @SuppressWarnings("unchecked")
  private static List<JobRecordValue> thrownErrors() {
    return stack.records(ValueType.JOB).stream()
        .filter(r -> r.getIntent() == JobIntent.ERROR_THROWN)
        .map(r -> ((Record<JobRecordValue>) r).getValue())
        .toList();
  }

  private static ConfigurableApplicationContext startRuntime() {
    return stack.startRuntime(List.of());
  }

  /** start → generate (fal) → end "succeeded"; any error → end "failed". */
  private static BpmnModelInstance generateProcess() {
    return Bpmn.createExecutableProcess("generate-test")
        .startEvent()
        .serviceTask("generate", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeTaskHeader("operation", "generate")
            .zeebeTaskHeader("resultVariable", "generation")
            .zeebeInput("fal", "provider")
            .zeebeInput("e2e-secret-key", "apiKey")
            .zeebeInput("fal-ai/flux/dev", "model")
            .zeebeInputExpression("input", "input")
            .zeebeInputExpression("if is defined(maxDuration) then maxDuration else null", "maxDuration")
            .zeebeInputExpression("\"PT0.5S\"", "pollInterval"))
        .boundaryEvent("anyError", b -> b.error().zeebeOutputExpression("\"failed\"", "path"))
        .endEvent("failedEnd")
        .moveToActivity("generate")
        .endEvent("succeededEnd", e -> e.zeebeOutputExpression("\"succeeded\"", "path"))
        .done();
  }

}
