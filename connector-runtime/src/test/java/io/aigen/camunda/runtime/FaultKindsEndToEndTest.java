package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.faults.FaultKind;
import io.aigen.camunda.sandbox.faults.FaultPlan;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Each way a provider misbehaves ({@link FaultKind}), injected by the sandbox into a real
 * generation on the embedded engine: the generation ends as it would without the fault, and a
 * submit is paid for once where the provider lets the job be found again (Replicate, Oxen, Luma:
 * the spec's {@code recover}). fal offers no way: there a submit whose answer got lost is sent
 * again, the README's submit window.
 *
 * <p>Waits on the engine: each generation takes its provider time (600 ms), its polls (1 s apart,
 * plus up to a second for the engine's job-timeout check), and per submit retry the task's retry
 * backoff (1 s) or the provider's {@code Retry-After}.
 */
class FaultKindsEndToEndTest {

  private static RuntimeStack stack;
  private static ConfigurableApplicationContext runtime;

  @BeforeAll
  static void start() {
    stack = RuntimeStack.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(600)))
        .deploy(process(), "faults-test.bpmn")
        .deploy(recoverProcess(), "recover-test.bpmn");
    runtime = stack.startRuntime(List.of(), "--aigen.http.read-timeout=PT1S");
  }

  @AfterAll
  static void stop() {
    runtime.close();
    stack.close();
  }

  @AfterEach
  void noMoreFaults() {
    stack.sandbox().injectFaults(FaultPlan.NONE);
  }

  private static void inject(FaultPlan plan) {
    stack.sandbox().injectFaults(plan.withSlowAnswer(Duration.ofSeconds(2)));
  }

  @Test
  void serverErrorAtSubmitAndPollsIsWaitedThrough() {
    inject(FaultPlan.first(3, FaultKind.SERVER_ERROR));
    Run run = generate("fal", "fal-ai/flux/dev", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.faults()).containsOnly("SERVER_ERROR").hasSize(3);
    assertThat(run.jobsCreated()).isEqualTo(1);
  }

  @Test
  void rateLimitedAnswersAreWaitedOutAsRetryAfterSays() {
    inject(FaultPlan.first(3, FaultKind.RATE_LIMITED).withRetryAfterSeconds(2));
    Run run = generate("fal", "fal-ai/flux/dev", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.jobsCreated()).isEqualTo(1);
    List<JournalEntry> submits = run.submits();
    assertThat(submits).hasSize(4);
    for (int i = 1; i < submits.size(); i++) {
      assertThat(Duration.between(submits.get(i - 1).at(), submits.get(i).at())).as("Retry-After: 2 honoured").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void connectionResetIsRetriedWithoutASecondJob() {
    inject(FaultPlan.first(3, FaultKind.CONNECTION_RESET));
    Run run = generate("fal", "fal-ai/flux/dev", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.faults()).containsOnly("CONNECTION_RESET").hasSize(3);
    assertThat(run.jobsCreated()).isEqualTo(1);
  }

  @Test
  void readTimeoutOfAReplicateSubmitFindsThePredictionInsteadOfCreatingAnother() {
    inject(FaultPlan.first(1, FaultKind.READ_TIMEOUT));
    Run run = generate("replicate", "black-forest-labs/flux-schnell", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.faults()).containsExactly("READ_TIMEOUT");
    assertThat(run.jobsCreated()).as("the timed-out submit created it; the retry found it in GET /predictions").isEqualTo(1);
    assertThat(stack.sandbox().journal().matching("GET", "/replicate/v1/predictions")).isNotEmpty();
  }

  @Test
  void readTimeoutOfAFalSubmitSubmitsAgainInsideTheDocumentedWindow() {
    inject(FaultPlan.first(1, FaultKind.READ_TIMEOUT));
    Run run = generate("fal", "fal-ai/flux/dev", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.jobsCreated()).as("fal lists no jobs: the lost answer's job is paid for twice").isEqualTo(2);
  }

  @Test
  void malformedJsonOfAnOxenSubmitAndPollsEndsWithOneGeneration() {
    inject(FaultPlan.first(3, FaultKind.MALFORMED_JSON));
    Run run = generate("oxen", "flux-2-dev", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.faults()).containsOnly("MALFORMED_JSON").hasSize(3);
    assertThat(run.jobsCreated()).as("the unreadable answer's job was found in GET /ai/queue").isEqualTo(1);
  }

  @Test
  void emptyBodyOfAReplicateSubmitAndPollsEndsWithOnePrediction() {
    inject(FaultPlan.first(3, FaultKind.EMPTY_BODY));
    Run run = generate("replicate", "black-forest-labs/flux-schnell", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.faults()).containsOnly("EMPTY_BODY").hasSize(3);
    assertThat(run.jobsCreated()).isEqualTo(1);
    assertThat((List<?>) run.generation().get("outputs")).as("an empty result answer is read again, not taken as no outputs").isNotEmpty();
  }

  @Test
  void createdThenErrorIsFoundAgainWhereTheProviderListsItsJobs() {
    for (String[] provider : new String[][] {{"replicate", "black-forest-labs/flux-schnell"}, {"oxen", "flux-2-dev"}, {"luma", "ray-2"}}) {
      inject(FaultPlan.first(1, FaultKind.CREATED_THEN_ERROR));
      Run run = generate(provider[0], provider[1], null);
      assertThat(run.status()).as(provider[0]).isEqualTo("SUCCEEDED");
      assertThat(run.faults()).as(provider[0]).containsExactly("CREATED_THEN_ERROR");
      assertThat(run.jobsCreated()).as(provider[0] + ": one job, found by its marker").isEqualTo(1);
    }
  }

  @Test
  void createdThenErrorAtFalSubmitsAgainInsideTheDocumentedWindow() {
    inject(FaultPlan.first(1, FaultKind.CREATED_THEN_ERROR));
    Run run = generate("fal", "fal-ai/flux/dev", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.jobsCreated()).isEqualTo(2);
  }

  @Test
  void unknownStatusIsTakenAsRunningAndNamedInTheResultsWarnings() {
    inject(FaultPlan.first(2, FaultKind.UNKNOWN_STATUS));
    Run run = generate("fal", "fal-ai/flux/dev", null);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.faults()).containsOnly("UNKNOWN_STATUS").isNotEmpty();
    assertThat((List<?>) run.generation().get("warnings"))
        .anySatisfy(w -> assertThat(w.toString()).contains("'" + FaultKind.UNKNOWN_STATUS_VALUE + "'").contains("taken as still running"));
  }

  @Test
  void anUnknownStatusThatNeverEndsWaitsUntilTheMaxDurationAndSaysSo() {
    inject(FaultPlan.of(1, 1).onlyKinds(java.util.Set.of(FaultKind.UNKNOWN_STATUS)));
    Run run = generate("fal", "fal-ai/flux/dev", "PT5S");
    assertThat(run.variables().get("aiGenerationError")).isNotNull();
    Map<?, ?> error = (Map<?, ?>) run.variables().get("aiGenerationError");
    assertThat(error.get("code")).isEqualTo("AI_GENERATION_TIMEOUT");
    assertThat(error.get("message").toString()).contains("did not finish within PT5S").contains(FaultKind.UNKNOWN_STATUS_VALUE);
  }

  @Test
  void aTaskWhoseRuntimeDiedAfterTheProviderTookItsSubmitTakesThatJobInsteadOfSubmittingAgain() throws Exception {
    // The state a SIGKILL leaves: the task recorded its attempt, the provider created the marked
    // job, the handle never reached the engine.
    for (String[] provider : new String[][] {
        {"replicate", "black-forest-labs/flux-schnell", "/models/black-forest-labs/flux-schnell/predictions", "{\"input\": {\"prompt\": \"%s\", \"aigen_submission\": \"%s\"}}", "/id"},
        {"oxen", "flux-2-dev", "/ai/queue", "{\"model\": \"flux-2-dev\", \"prompt\": \"%s\", \"aigen_submission\": \"%s\"}", "/generations/0/generation_id"},
        {"luma", "ray-2", "/generations/video", "{\"model\": \"ray-2\", \"prompt\": \"%s\", \"aigen_submission\": \"%s\"}", "/id"}}) {
      String prompt = "crash test " + UUID.randomUUID();
      String marker = "aigen-earlier-" + UUID.randomUUID();
      java.net.http.HttpResponse<String> created = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.sandbox().providerBaseUrl(provider[0]) + provider[2]))
              .header("Authorization", "Bearer e2e-secret-key").header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(String.format(provider[3], prompt, marker))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      String jobId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).at(provider[4]).asText();
      assertThat(jobId).as(created.body()).isNotBlank();

      Map<String, Object> variables = new HashMap<>();
      variables.put("provider", provider[0]);
      variables.put("model", provider[1]);
      variables.put("input", Map.of("prompt", prompt));
      variables.put("earlierAttempt", Map.of("marker", marker, "firstSentAt", Instant.now().minusSeconds(5).toString()));
      Map<String, Object> result = stack.run("recover-test", variables);

      Map<?, ?> generation = (Map<?, ?>) result.get("generation");
      assertThat(generation).as(provider[0] + ": " + result).isNotNull();
      assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
      assertThat(generation.get("jobId")).as(provider[0] + ": the job the dead runtime's submit created").isEqualTo(jobId);
      assertThat(new Run(prompt, result).submits()).as(provider[0] + ": only the submit made before the crash").hasSize(1);
    }
  }

  /** One generation, and what the sandbox saw of it. */
  private record Run(String prompt, Map<String, Object> variables) {
    Map<?, ?> generation() {
      return (Map<?, ?>) variables.get("generation");
    }

    String status() {
      return generation() == null ? "no result: " + variables.get("aiGenerationError") : generation().get("status").toString();
    }

    List<JournalEntry> submits() {
      return stack.sandbox().journal().entries().stream().filter(e -> e.method().equals("POST") && e.requestBody().contains(prompt)).toList();
    }

    long jobsCreated() {
      return submits().stream().filter(JournalEntry::createdJob).count();
    }

    /** Every fault the sandbox injected since this generation's first submit (tests run one at a time). */
    List<String> faults() {
      Instant from = submits().get(0).at();
      return stack.sandbox().journal().entries().stream().filter(e -> !e.at().isBefore(from) && e.fault() != null).map(JournalEntry::fault).toList();
    }
  }

  private static Run generate(String provider, String model, String maxDuration) {
    String prompt = "fault test " + UUID.randomUUID();
    Map<String, Object> variables = new HashMap<>();
    variables.put("provider", provider);
    variables.put("model", model);
    variables.put("input", Map.of("prompt", prompt));
    variables.put("maxDuration", maxDuration);
    return new Run(prompt, stack.run("faults-test", variables));
  }

  /** A generate task that starts with the attempt record a crashed runtime left ({@code earlierAttempt}). */
  private static BpmnModelInstance recoverProcess() {
    return Bpmn.createExecutableProcess("recover-test")
        .startEvent()
        .serviceTask("generate", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeTaskHeader("operation", "generate")
            .zeebeTaskHeader("resultVariable", "generation")
            .zeebeInputExpression("provider", "provider")
            .zeebeInput("e2e-secret-key", "apiKey")
            .zeebeInputExpression("model", "model")
            .zeebeInputExpression("input", "input")
            .zeebeInput("PT1S", "pollInterval")
            .zeebeInputExpression("earlierAttempt", "aiGenerationSubmit"))
        .endEvent("end")
        .done();
  }

  private static BpmnModelInstance process() {
    return Bpmn.createExecutableProcess("faults-test")
        .startEvent()
        .serviceTask("generate", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeJobRetries("5")
            .zeebeTaskHeader("operation", "generate")
            .zeebeTaskHeader("resultVariable", "generation")
            .zeebeTaskHeader("retryBackoff", "PT1S")
            .zeebeInputExpression("provider", "provider")
            .zeebeInput("e2e-secret-key", "apiKey")
            .zeebeInputExpression("model", "model")
            .zeebeInputExpression("input", "input")
            .zeebeInput("PT1S", "pollInterval")
            .zeebeInputExpression("maxDuration", "maxDuration"))
        .boundaryEvent("failed", b -> b.error())
        .endEvent("failedEnd")
        .moveToActivity("generate")
        .endEvent("end")
        .done();
  }
}
