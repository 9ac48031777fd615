package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.client.api.response.ProcessInstanceEvent;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.Intent;
import io.camunda.zeebe.protocol.record.intent.JobBatchIntent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.JobBatchRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How the runtime gets its jobs, read from the engine's records: pushed over a job stream when they
 * are created, asked for often only while a job it handed back is due, and seldom otherwise. The
 * in-memory engine answers every activation request at once and copies its whole state for it, so
 * asking every 100 ms while nothing happens cost it (and the runtime) more than the work.
 */
class JobStreamingEndToEndTest {

  private static final String TYPE = "io.aigen:ai-generation:1";
  private static RuntimeStack stack;

  @BeforeAll
  static void start() {
    stack = RuntimeStack.start(SandboxOptions.defaults()).deploy(generateProcess(), "streaming-test.bpmn");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void anIdleRuntimeAsksForJobsRarelyAndANewJobIsPushedToIt() throws InterruptedException {
    try (ConfigurableApplicationContext runtime = stack.startRuntime(List.of())) {
      // the first request comes at start; then, with nothing due, one every 5 s (stream-poll-interval)
      await().atMost(Duration.ofSeconds(10)).until(() -> activationRequests() >= 1);
      long before = activationRequests();
      Thread.sleep(3_000);
      assertThat(activationRequests() - before).as("activation requests in 3 s of idling (polling every 100 ms made 30)").isLessThanOrEqualTo(1);

      ProcessInstanceEvent instance = startGeneration(Duration.ofMillis(200));
      await().atMost(Duration.ofSeconds(20)).until(() -> completed(instance.getProcessInstanceKey()));

      Record<JobBatchRecordValue> first = activations().stream()
          .filter(batch -> batch.getValue().getJobs().stream().anyMatch(job -> job.getProcessInstanceKey() == instance.getProcessInstanceKey()))
          .findFirst().orElseThrow();
      assertThat(valueTypeAt(first.getSourceRecordPosition()))
          .as("the new job's activation follows from the process moving on (pushed), not from an activation request")
          .isNotEqualTo(ValueType.JOB_BATCH);
    }
  }

  @Test
  void jobsPushedBeyondTheWorkersSlotsWaitForAFreeOneAndAllEnd() {
    try (ConfigurableApplicationContext runtime = stack.startRuntime(List.of(), "--aigen.worker.max-jobs-active=2")) {
      List<ProcessInstanceEvent> instances = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        instances.add(startGeneration(Duration.ofMillis(300)));
      }
      Set<Long> keys = instances.stream().map(ProcessInstanceEvent::getProcessInstanceKey).collect(Collectors.toSet());
      await().atMost(Duration.ofSeconds(45)).until(() -> keys.stream().allMatch(JobStreamingEndToEndTest::completed));
      assertThat(stack.records(ValueType.INCIDENT)).as("no incident").isEmpty();
    }
  }

  @Test
  void aRuntimeThatStopsHandsTheJobsItKeepsBackToTheEngine() {
    // created with no runtime up, so not pushed: the runtime asks for it at start, does not know when
    // it is due (another runtime might have handed it back), and keeps it 2 s (JobReturns.EARLY)
    ProcessInstanceEvent instance = startGeneration(Duration.ofMillis(300));
    long job;
    try (ConfigurableApplicationContext runtime = stack.startRuntime(List.of())) {
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> activatedJob(instance.getProcessInstanceKey()) != null);
      job = activatedJob(instance.getProcessInstanceKey());
    }
    long stopped = System.currentTimeMillis();
    assertThat(jobCommands(job)).as("stopping, the runtime handed back the job it kept, before working it").containsExactly(JobIntent.UPDATE_TIMEOUT);

    try (ConfigurableApplicationContext another = stack.startRuntime(List.of())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> completed(instance.getProcessInstanceKey()));
    }
    assertThat(Duration.ofMillis(System.currentTimeMillis() - stopped))
        .as("the job was back at once, not after its activation timeout (2 min)").isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aBacklogFoundByAskingIsTakenNoFasterThanTheSlotsWorkItAndAllEnds() {
    // created with no runtime up: found by asking, due times unknown, so each is kept 2 s first;
    // with 2 slots the runtime keeps at most 8 (4 per slot), the rest stays with the engine
    List<ProcessInstanceEvent> instances = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      instances.add(startGeneration(Duration.ofMillis(200)));
    }
    Set<Long> keys = instances.stream().map(ProcessInstanceEvent::getProcessInstanceKey).collect(Collectors.toSet());
    try (ConfigurableApplicationContext runtime = stack.startRuntime(List.of(), "--aigen.worker.max-jobs-active=2")) {
      // each job: kept 2 s, its submit, its poll 1 s later; 20 through 2 slots took about 13 s
      await().atMost(Duration.ofSeconds(30)).until(() -> keys.stream().allMatch(JobStreamingEndToEndTest::completed));
    }
    assertThat(stack.records(ValueType.INCIDENT)).as("no incident").isEmpty();
    assertThat(mostJobsHeldAtOnce(keys)).as("jobs activated and not yet answered, at most: 8 kept + 2 in slots").isLessThanOrEqualTo(10);
  }

  /** The most jobs of {@code instances} that were activated and not yet answered by a job command, at any point of the log. */
  @SuppressWarnings("unchecked")
  private static int mostJobsHeldAtOnce(Set<Long> instances) {
    Set<Long> held = new java.util.HashSet<>();
    int most = 0;
    for (Record<?> record : stack.records()) {
      if (record.getValueType() == ValueType.JOB_BATCH && record.getIntent() == JobBatchIntent.ACTIVATED) {
        Record<JobBatchRecordValue> batch = (Record<JobBatchRecordValue>) record;
        for (int i = 0; i < batch.getValue().getJobs().size(); i++) {
          if (instances.contains(batch.getValue().getJobs().get(i).getProcessInstanceKey())) {
            held.add(batch.getValue().getJobKeys().get(i));
          }
        }
        most = Math.max(most, held.size());
      } else if (record.getValueType() == ValueType.JOB && record.getRecordType() == RecordType.COMMAND && record.getIntent() != JobIntent.TIME_OUT) {
        held.remove(record.getKey());
      }
    }
    return most;
  }

  /** The key of the first job activated for {@code instance}, or {@code null}. */
  private static Long activatedJob(long instance) {
    for (Record<JobBatchRecordValue> batch : activations()) {
      for (int i = 0; i < batch.getValue().getJobs().size(); i++) {
        if (batch.getValue().getJobs().get(i).getProcessInstanceKey() == instance) {
          return batch.getValue().getJobKeys().get(i);
        }
      }
    }
    return null;
  }

  /** The commands a runtime sent for {@code job}; TIME_OUT is the engine's own. */
  private static List<Intent> jobCommands(long job) {
    return stack.records(ValueType.JOB).stream()
        .filter(r -> r.getRecordType() == RecordType.COMMAND && r.getKey() == job && r.getIntent() != JobIntent.TIME_OUT)
        .map(Record::getIntent)
        .toList();
  }

  private static ProcessInstanceEvent startGeneration(Duration jobDuration) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("provider", "fal");
    variables.put("model", "fal-ai/flux/dev");
    variables.put("input", Map.of("prompt", "a lighthouse", "sandbox", Map.of("durationMs", jobDuration.toMillis())));
    variables.put("pollInterval", "PT1S");
    return stack.client().newCreateInstanceCommand().bpmnProcessId("streaming-test").latestVersion().variables(variables).send().join();
  }

  /** Activation requests for the connector's type (the engine writes one command per request). */
  private static long activationRequests() {
    return stack.records(ValueType.JOB_BATCH).stream()
        .filter(r -> r.getRecordType() == RecordType.COMMAND && r.getIntent() == JobBatchIntent.ACTIVATE)
        .filter(r -> TYPE.equals(((JobBatchRecordValue) r.getValue()).getType()))
        .count();
  }

  @SuppressWarnings("unchecked")
  private static List<Record<JobBatchRecordValue>> activations() {
    return stack.records(ValueType.JOB_BATCH).stream()
        .filter(r -> r.getRecordType() == RecordType.EVENT && r.getIntent() == JobBatchIntent.ACTIVATED)
        .map(r -> (Record<JobBatchRecordValue>) r)
        .toList();
  }

  private static ValueType valueTypeAt(long position) {
    return stack.records().stream().filter(r -> r.getPosition() == position).findFirst().orElseThrow().getValueType();
  }

  private static boolean completed(long instance) {
    return stack.records(ValueType.PROCESS_INSTANCE).stream()
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED && r.getKey() == instance)
        .anyMatch(r -> ((ProcessInstanceRecordValue) r.getValue()).getProcessInstanceKey() == instance);
  }

  private static BpmnModelInstance generateProcess() {
    return Bpmn.createExecutableProcess("streaming-test")
        .startEvent()
        .serviceTask("generate", t -> t.zeebeJobType(TYPE)
            .zeebeJobRetries("2")
            .zeebeTaskHeader("operation", "generate")
            .zeebeTaskHeader("resultVariable", "generation")
            .zeebeInputExpression("provider", "provider")
            .zeebeInput("e2e-secret-key", "apiKey")
            .zeebeInputExpression("model", "model")
            .zeebeInputExpression("input", "input")
            .zeebeInputExpression("pollInterval", "pollInterval"))
        .endEvent("end")
        .done();
  }
}
