package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.client.api.response.ProcessInstanceEvent;
import io.camunda.zeebe.client.api.response.ProcessInstanceResult;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.VariableDocumentIntent;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableDocumentRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How a {@code generate} task waits, read from the engine's own records: one command per poll, the
 * handle written once, progress in the task's variables, and retries that never use a fail
 * command's retry backoff.
 */
class WaitingEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static RuntimeStack stack;

  @BeforeAll
  static void start() {
    stack = RuntimeStack.start(SandboxOptions.defaults()).deploy(generateProcess(), "waiting-test.bpmn");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void afterSubmitEachPollOfARunningJobSendsExactlyOneEngineCommand() {
    ProcessInstanceResult finished;
    try (var runtime = stack.startRuntime(List.of())) {
      finished = stack.client().newCreateInstanceCommand().bpmnProcessId("waiting-test").latestVersion()
          .variables(variables("runway", "gen4_turbo", runwayInput(6_000), "PT1S")).withResult().requestTimeout(Duration.ofSeconds(30)).send().join();
    }
    Map<String, Object> result = finished.getVariablesAsMap();
    assertThat(((Map<?, ?>) result.get("generation")).get("status")).isEqualTo("SUCCEEDED");
    long job = jobOf(finished.getProcessInstanceKey());
    long element = elementOf(job);
    String taskId = ((Map<?, ?>) result.get("generation")).get("jobId").toString();
    List<JournalEntry> polls = stack.sandbox().journal().matching("GET", "/runway/v1/tasks/" + taskId);
    long statusPolls = polls.size();
    // the job comes back to the runtime up to 2 s before its poll is due, and waits there until then
    Supplier<String> whatHappened = () -> "; what happened: " + timeline(job, polls);
    for (int i = 1; i < polls.size(); i++) {
      int poll = i;
      assertThat(Duration.between(polls.get(i - 1).at(), polls.get(i).at()))
          .as(() -> "time between polls " + poll + " and " + (poll + 1) + ": 1 s, jitter 25 %" + whatHappened.get())
          .isGreaterThanOrEqualTo(Duration.ofMillis(750 - 50));
    }

    // every command the runtime sent for this job; TIME_OUT is the engine's own
    List<JobIntent> jobCommands = jobCommands(job);
    long storeCommands = stack.records(ValueType.VARIABLE_DOCUMENT).stream()
        .filter(r -> r.getRecordType() == RecordType.COMMAND && r.getIntent() == VariableDocumentIntent.UPDATE)
        .filter(r -> ((VariableDocumentRecordValue) r.getValue()).getScopeKey() == element)
        .count();

    assertThat(statusPolls).as(() -> "a job of 6 s polled about every second" + whatHappened.get()).isBetween(3L, 10L);
    assertThat(storeCommands).as("the handle, stored once at submit; no progress within its first 10 s").isEqualTo(1);
    assertThat(jobCommands).as(() -> "one timeout update at submit and one per poll that found the job running, then complete" + whatHappened.get())
        .containsOnly(JobIntent.UPDATE_TIMEOUT, JobIntent.COMPLETE)
        .filteredOn(intent -> intent == JobIntent.UPDATE_TIMEOUT)
        .hasSize((int) statusPolls);
    assertThat(jobCommands).filteredOn(intent -> intent == JobIntent.COMPLETE).hasSize(1);
    assertThat(variableRecords(element, "aiGenerationState")).as("the handle never changes after submit").hasSize(1);
  }

  @Test
  void aWaitingFalTaskShowsItsQueuePositionThenItsLastLogLine() {
    try (var runtime = startRuntimeWritingProgressEverySecond()) {
      // the first job holds the queue for 3 s, so the second, submitted after it, waits behind it
      int submitted = stack.sandbox().journal().matching("POST", "/fal/fal-ai/flux/dev").size();
      ProcessInstanceEvent ahead = start(variables("fal", "fal-ai/flux/dev", falInput(15_000), "PT1S"));
      await().atMost(Duration.ofSeconds(10)).until(() -> stack.sandbox().journal().matching("POST", "/fal/fal-ai/flux/dev").size() > submitted);
      ProcessInstanceEvent behind = start(variables("fal", "fal-ai/flux/dev", falInput(15_000), "PT1S"));
      long element = elementOf(awaitJobOf(behind.getProcessInstanceKey()));

      await().atMost(Duration.ofSeconds(10)).until(() -> progress(element).filter(p -> p.path("queuePosition").asInt(-1) == 1).isPresent());
      assertThat(progress(element).orElseThrow().path("status").asText()).isEqualTo("IN_QUEUE");
      await().atMost(Duration.ofSeconds(15)).until(() -> progress(element).filter(p -> p.path("log").asText().startsWith("Step ")).isPresent());
      assertThat(progress(element).orElseThrow().path("status").asText()).isEqualTo("IN_PROGRESS");

      cancel(ahead, behind);
    }
  }

  @Test
  void aWaitingRunwayTaskShowsHowFarAlongItIs() {
    try (var runtime = startRuntimeWritingProgressEverySecond()) {
      ProcessInstanceEvent instance = start(variables("runway", "gen4_turbo", runwayInput(20_000), "PT1S"));
      long element = elementOf(awaitJobOf(instance.getProcessInstanceKey()));

      await().atMost(Duration.ofSeconds(15)).until(() -> progress(element).filter(p -> p.path("percent").asDouble() > 0).isPresent());
      JsonNode progress = progress(element).orElseThrow();
      assertThat(progress.path("status").asText()).isEqualTo("RUNNING");
      assertThat(progress.path("percent").asDouble()).isBetween(0.1, 100.0);
      assertThat(progress.path("updatedAt").asText()).isNotBlank();

      cancel(instance);
    }
  }

  @Test
  void aSubmitTheProviderCannotTakeKeepsItsRetriesUntilTheMaxDurationThenCountsThemDownToAnIncidentWithoutARetryBackoff() {
    Map<String, Object> variables = variables("fal", "fal-ai/flux/dev", Map.of("prompt", "busy", "sandbox", Map.of("submitStatus", 503)), "PT1S");
    variables.put("maxDuration", "PT3S");
    try (var runtime = stack.startRuntime(List.of())) {
      ProcessInstanceEvent instance = start(variables);
      long job = awaitJobOf(instance.getProcessInstanceKey());

      await().atMost(Duration.ofSeconds(20)).until(() -> stack.records(ValueType.INCIDENT).stream()
          .anyMatch(r -> r.getIntent() == IncidentIntent.CREATED && ((IncidentRecordValue) r.getValue()).getJobKey() == job));

      List<Record<JobRecordValue>> fails = jobRecords(job).stream().filter(r -> r.getIntent() == JobIntent.FAIL).toList();
      assertThat(fails).singleElement().satisfies(fail -> {
        assertThat(fail.getValue().getRetries()).isZero();
        assertThat(fail.getValue().getRetryBackoff()).isZero();
        assertThat(fail.getValue().getErrorMessage()).contains("503");
      });
      List<JobIntent> commands = jobCommands(job);
      assertThat(commands).as("within the max duration (3 s) each retry is a timeout of 1 s; then retries 2 -> 1 -> incident")
          .startsWith(JobIntent.UPDATE_TIMEOUT, JobIntent.UPDATE_TIMEOUT)
          .endsWith(JobIntent.UPDATE_RETRIES, JobIntent.UPDATE_TIMEOUT, JobIntent.FAIL)
          .containsOnly(JobIntent.UPDATE_TIMEOUT, JobIntent.UPDATE_RETRIES, JobIntent.FAIL);
      assertThat(commands).filteredOn(c -> c == JobIntent.UPDATE_RETRIES).hasSize(1);
      assertThat(stack.sandbox().journal().matching("POST", "/fal/fal-ai/flux/dev").stream().filter(e -> e.requestBody().contains("busy")))
          .hasSize(commands.size() - 1);
      stack.client().newCancelInstanceCommand(instance.getProcessInstanceKey()).send().join();
    }
  }

  // --- helpers

  private static ConfigurableApplicationContext startRuntimeWritingProgressEverySecond() {
    return stack.startRuntime(List.of(), "--aigen.worker.progress-interval=PT1S");
  }

  private static Map<String, Object> variables(String provider, String model, Map<String, Object> input, String pollInterval) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("provider", provider);
    variables.put("model", model);
    variables.put("input", input);
    variables.put("pollInterval", pollInterval);
    variables.put("maxDuration", null);
    return variables;
  }

  private static Map<String, Object> falInput(long durationMs) {
    return Map.of("prompt", "a lighthouse", "sandbox", Map.of("durationMs", durationMs));
  }

  private static Map<String, Object> runwayInput(long durationMs) {
    return Map.of("promptImage", "https://example.com/first.jpg", "promptText", "slow dolly in", "ratio", "1280:720", "sandbox", Map.of("durationMs", durationMs));
  }

  private static ProcessInstanceEvent start(Map<String, Object> variables) {
    return stack.client().newCreateInstanceCommand().bpmnProcessId("waiting-test").latestVersion().variables(variables).send().join();
  }

  private static void cancel(ProcessInstanceEvent... instances) {
    for (ProcessInstanceEvent instance : instances) {
      stack.client().newCancelInstanceCommand(instance.getProcessInstanceKey()).send().join();
    }
  }

  private static long awaitJobOf(long instance) {
    await().atMost(Duration.ofSeconds(10)).until(() -> jobRecords(instance, JobIntent.CREATED).isPresent());
    return jobOf(instance);
  }

  private static long jobOf(long instance) {
    return jobRecords(instance, JobIntent.CREATED).orElseThrow().getKey();
  }

  @SuppressWarnings("unchecked")
  private static Optional<Record<JobRecordValue>> jobRecords(long instance, JobIntent intent) {
    return stack.records(ValueType.JOB).stream()
        .map(r -> (Record<JobRecordValue>) r)
        .filter(r -> r.getIntent() == intent && r.getValue().getProcessInstanceKey() == instance)
        .findFirst();
  }

  @SuppressWarnings("unchecked")
  private static List<Record<JobRecordValue>> jobRecords(long job) {
    return stack.records(ValueType.JOB).stream().filter(r -> r.getKey() == job).map(r -> (Record<JobRecordValue>) r).toList();
  }

  /** The commands the runtime sent for {@code job}, in order; the engine's own TIME_OUT left out. */
  private static List<JobIntent> jobCommands(long job) {
    return jobRecords(job).stream()
        .filter(r -> r.getRecordType() == RecordType.COMMAND && r.getIntent() != JobIntent.TIME_OUT)
        .map(r -> (JobIntent) r.getIntent())
        .toList();
  }

  /**
   * The job's records and the provider's polls in time order, in ms since the job was created: why a
   * wait took as long as it did, for a failing assertion's message.
   */
  private static String timeline(long job, List<JournalEntry> polls) {
    List<Record<JobRecordValue>> records = jobRecords(job);
    long created = records.getFirst().getTimestamp();
    record Event(long at, String what) {}
    List<Event> events = new ArrayList<>();
    records.forEach(r -> events.add(new Event(r.getTimestamp() - created, r.getRecordType() + " " + r.getIntent())));
    polls.forEach(poll -> events.add(new Event(poll.at().toEpochMilli() - created, "provider poll -> " + poll.responseStatus())));
    return events.stream()
        .sorted(Comparator.comparingLong(Event::at))
        .map(event -> "+" + event.at() + " ms " + event.what())
        .collect(Collectors.joining("; "));
  }

  private static long elementOf(long job) {
    return jobRecords(job).getFirst().getValue().getElementInstanceKey();
  }

  private static List<VariableRecordValue> variableRecords(long scope, String name) {
    return stack.records(ValueType.VARIABLE).stream()
        .map(r -> (VariableRecordValue) r.getValue())
        .filter(v -> v.getScopeKey() == scope && v.getName().equals(name))
        .toList();
  }

  /** The task-local progress variable as last written. */
  private static Optional<JsonNode> progress(long element) {
    List<VariableRecordValue> written = variableRecords(element, "aiGenerationProgress");
    if (written.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(written.getLast().getValue()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** start → generate (any provider, from variables) → end. */
  private static BpmnModelInstance generateProcess() {
    return Bpmn.createExecutableProcess("waiting-test")
        .startEvent()
        .serviceTask("generate", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeJobRetries("2")
            .zeebeTaskHeader("operation", "generate")
            .zeebeTaskHeader("resultVariable", "generation")
            .zeebeTaskHeader("retryBackoff", "PT1S")
            .zeebeInputExpression("provider", "provider")
            .zeebeInput("e2e-secret-key", "apiKey")
            .zeebeInputExpression("model", "model")
            .zeebeInputExpression("input", "input")
            .zeebeInputExpression("pollInterval", "pollInterval")
            .zeebeInputExpression("maxDuration", "maxDuration"))
        .endEvent("end")
        .done();
  }
}
