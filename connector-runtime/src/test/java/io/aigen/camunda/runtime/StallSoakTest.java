package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigen.camunda.connector.worker.AiGenerationJobWorker;
import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobBatchIntent;
import io.camunda.zeebe.protocol.record.intent.Intent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.value.JobBatchRecordValue;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many generations wait with short delays and nothing else runs on the engine, for minutes: every
 * job must come back on time. Before the wait used job timeouts, a job failed with a retry backoff
 * could stay failed until unrelated traffic arrived (see {@code GenerationJobWorker}).
 *
 * <p>Slow, so not in the default build: {@code ./mvnw -B verify -Psoak -pl connector-runtime -am}
 * (README). Settings: {@code -Dsoak.generations=300 -Dsoak.duration=PT3M -Dsoak.pollInterval=PT3S}
 * (Runway's fixed schedule, ±25 % jitter). Measured over the duration, after {@value
 * #SETTLE_SECONDS} s in which all are submitted and the JVM warms up.
 *
 * <p>Lateness of one poll = the engine time of the runtime's next command on the job (the poll's
 * answer: a new timeout, or the end) − when the poll was due. The runtime sets each timeout to end
 * {@link AiGenerationJobWorker#JOBS_BACK_EARLY} before the poll is due, so the due time is the
 * UPDATE_TIMEOUT command's time plus its timeout plus that. The engine's timeout checker runs once a second
 * but can skip a tick (a job times out 0-2 s after its deadline); the runtime asks for jobs every
 * 100 ms around their return and holds a job back early until its poll is due.
 */
@Tag("soak")
class StallSoakTest {

  private static final Duration ALLOWED_LATENESS = Duration.ofMillis(1500);
  private static final int SETTLE_SECONDS = 20;
  private static final Duration SETTLE = Duration.ofSeconds(SETTLE_SECONDS);
  /** The runtime's commands that answer a poll. */
  private static final Set<Intent> ANSWERS = Set.of(JobIntent.UPDATE_TIMEOUT, JobIntent.COMPLETE, JobIntent.FAIL, JobIntent.THROW_ERROR, JobIntent.UPDATE_RETRIES);
  /**
   * Only reported: a poll this much before its due time as read from the engine's records. That
   * due time is the engine's time of the command that set the timeout, which lags the runtime's
   * computing it by the command's wait for one of the runtime's in-flight slots, so earliness is
   * asserted at the provider instead ({@link #pollGaps}).
   */
  private static final long EARLY_TOLERANCE_MS = 100;
  /**
   * The sandbox journals when it answered, and the delay runs from when the last poll began: under
   * this load one answer came 81 ms quicker than the one before it. Any lead the runtime took would
   * show as seconds.
   */
  private static final long GAP_TOLERANCE_MS = 150;

  @Test
  void everyWaitingJobIsPolledAgainWithinItsDelayPlusOneAndAHalfSeconds() {
    int generations = Integer.getInteger("soak.generations", 300);
    Duration soak = Duration.parse(System.getProperty("soak.duration", "PT3M"));
    String pollInterval = System.getProperty("soak.pollInterval", "PT3S");
    try (RuntimeStack stack = RuntimeStack.start(SandboxOptions.defaults())) {
      stack.deploy(Bpmn.createExecutableProcess("soak")
          .startEvent()
          .serviceTask("generate", t -> t.zeebeJobType("io.aigen:ai-generation:1")
              .zeebeTaskHeader("operation", "generate")
              .zeebeInput("runway", "provider")
              .zeebeInput("soak-key", "apiKey")
              .zeebeInput("gen4_turbo", "model")
              .zeebeInputExpression("input", "input")
              .zeebeInput(pollInterval, "pollInterval")
              .zeebeInput("PT1H", "maxDuration"))
          .endEvent()
          .done(), "soak.bpmn");
      List<Long> instances = new ArrayList<>();
      long runtimeStopped;
      Lateness lateness;
      List<Duration> gaps;
      try (var runtime = stack.startRuntime(List.of())) {
        for (int i = 0; i < generations; i++) {
          Map<String, Object> input = new HashMap<>(Map.of("promptImage", "https://example.com/first.jpg", "promptText", "soak " + i, "ratio", "1280:720"));
          input.put("sandbox", Map.of("durationMs", soak.plusMinutes(30).toMillis()));
          instances.add(stack.client().newCreateInstanceCommand().bpmnProcessId("soak").latestVersion().variables(Map.of("input", input))
              .send().join().getProcessInstanceKey());
        }
        // measured once all are waiting and the JVM has warmed up
        long measureFrom = System.currentTimeMillis() + SETTLE.toMillis();
        long started = System.nanoTime();
        await().pollInterval(Duration.ofSeconds(5)).atMost(soak.plus(SETTLE).plusSeconds(30)).until(() -> System.nanoTime() - started >= soak.plus(SETTLE).toNanos());
        runtimeStopped = System.currentTimeMillis();
        lateness = Lateness.of(stack, measureFrom, runtimeStopped);
        gaps = pollGaps(stack, measureFrom);
      }
      System.out.printf("StallSoakTest: %d generations, %s, pollInterval %s: %s%n", generations, soak, pollInterval, lateness.describe());
      System.out.println("StallSoakTest: around the worst: " + aroundTheWorst(stack, lateness.worstJob(), lateness.worstDue()));
      assertThat(lateness.samples()).as("polls measured").hasSizeGreaterThan(generations * 10);
      assertThat(lateness.missing()).as("polls due and never done").isZero();
      // never early, read at the provider: two polls of a task are at least the interval less its jitter apart
      Duration leastDelay = Duration.ofMillis(Duration.parse(pollInterval).toMillis() * 3 / 4);
      long early = gaps.stream().filter(gap -> gap.compareTo(leastDelay.minusMillis(GAP_TOLERANCE_MS)) < 0).count();
      System.out.printf("StallSoakTest: %d gaps between polls of a task at the provider, the least %d ms (its delays: %d ms at least)%n",
          gaps.size(), gaps.stream().min(Duration::compareTo).orElse(Duration.ZERO).toMillis(), leastDelay.toMillis());
      assertThat(early).as("polls at the provider sooner than the least delay after the last").isZero();
      assertThat(Duration.ofMillis(lateness.worst())).as("worst lateness").isLessThanOrEqualTo(ALLOWED_LATENESS);
      instances.forEach(key -> stack.client().newCancelInstanceCommand(key).send().join());
    }
  }

  /** The time between each two consecutive status polls of a provider task, as the sandbox answered them. */
  private static List<Duration> pollGaps(RuntimeStack stack, long from) {
    Map<String, java.time.Instant> last = new HashMap<>();
    List<Duration> gaps = new ArrayList<>();
    for (JournalEntry poll : stack.sandbox().journal().matching("GET", "/runway/v1/tasks/[^/]+")) {
      java.time.Instant previous = last.put(poll.path(), poll.at());
      if (previous != null && previous.toEpochMilli() >= from) {
        gaps.add(Duration.between(previous, poll.at()));
      }
    }
    return gaps;
  }

  /** What the engine did for the worst job between its time-out and its activation, to tell where the time went. */
  @SuppressWarnings("unchecked")
  private static String aroundTheWorst(RuntimeStack stack, long job, long due) {
    List<Record<?>> records = stack.records();
    long timedOut = -1;
    long activated = -1;
    for (Record<?> record : records) {
      if (record.getTimestamp() < due - AiGenerationJobWorker.JOBS_BACK_EARLY.toMillis()) {
        continue;
      }
      if (record.getValueType() == ValueType.JOB && record.getKey() == job && record.getIntent() == JobIntent.TIMED_OUT) {
        timedOut = record.getTimestamp();
      } else if (timedOut > 0 && record.getValueType() == ValueType.JOB_BATCH && record.getIntent() == JobBatchIntent.ACTIVATED
          && ((Record<JobBatchRecordValue>) record).getValue().getJobKeys().contains(job)) {
        activated = record.getTimestamp();
        break;
      }
    }
    StringBuilder out = new StringBuilder("poll due " + due + ", timed out " + (timedOut - due) + " ms, activated " + (activated - due) + " ms from then; between: ");
    int between = 0;
    for (Record<?> record : records) {
      if (record.getTimestamp() >= timedOut && record.getTimestamp() <= activated) {
        between++;
        if (record.getValueType() == ValueType.JOB_BATCH) {
          JobBatchRecordValue batch = ((Record<JobBatchRecordValue>) record).getValue();
          out.append(String.format("[+%d %s %s max %d got %d] ", record.getTimestamp() - due, record.getRecordType(), record.getIntent(), batch.getMaxJobsToActivate(), batch.getJobKeys().size()));
        }
      }
    }
    return out.append(between).append(" records in all").toString();
  }

  /**
   * Every due poll of every job, read from the engine's records: its lateness, split into the
   * engine's part (deadline → TIMED_OUT) and the runtime's (TIMED_OUT → ACTIVATED).
   */
  private record Lateness(
      List<Long> samples, List<Long> checker, List<Long> activation, long worst, long worstJob, long worstDue, int missing, int early, int backEarly) {

    @SuppressWarnings("unchecked")
    static Lateness of(RuntimeStack stack, long measureFrom, long runtimeStopped) {
      long backEarly = AiGenerationJobWorker.JOBS_BACK_EARLY.toMillis();
      Map<Long, Long> dueAt = new HashMap<>();
      Map<Long, Long> deadlineOf = new HashMap<>();
      Map<Long, Long> timedOutAt = new HashMap<>();
      List<Long> samples = new ArrayList<>();
      List<Long> checker = new ArrayList<>();
      List<Long> activation = new ArrayList<>();
      long worst = 0;
      long worstJob = -1;
      long worstDue = -1;
      int early = 0;
      int cameBackEarly = 0;
      for (Record<?> record : stack.records()) {
        if (record.getValueType() == ValueType.JOB && record.getRecordType() == RecordType.COMMAND && ANSWERS.contains(record.getIntent())) {
          Long due = dueAt.remove(record.getKey());
          if (record.getIntent() == JobIntent.UPDATE_TIMEOUT) {
            // the runtime set the timeout to end JOBS_BACK_EARLY before the next poll is due (1 ms when that had passed)
            long timeout = ((Record<JobRecordValue>) record).getValue().getTimeout();
            long nextDue = record.getTimestamp() + timeout + backEarly;
            if (timeout > 1 && nextDue >= measureFrom) {
              dueAt.put(record.getKey(), nextDue);
            }
          }
          if (due != null) {
            long late = record.getTimestamp() - due;
            samples.add(late);
            if (late < -EARLY_TOLERANCE_MS) {
              early++;
            }
            if (late > worst) {
              worst = late;
              worstJob = record.getKey();
              worstDue = due;
            }
          }
        } else if (record.getValueType() == ValueType.JOB && record.getIntent() == JobIntent.TIMEOUT_UPDATED) {
          deadlineOf.put(record.getKey(), ((Record<JobRecordValue>) record).getValue().getDeadline());
        } else if (record.getValueType() == ValueType.JOB && record.getIntent() == JobIntent.TIMED_OUT) {
          Long deadline = deadlineOf.remove(record.getKey());
          if (deadline != null) {
            checker.add(record.getTimestamp() - deadline);
            timedOutAt.put(record.getKey(), record.getTimestamp());
          }
        } else if (record.getValueType() == ValueType.JOB_BATCH && record.getIntent() == JobBatchIntent.ACTIVATED) {
          for (long job : ((Record<JobBatchRecordValue>) record).getValue().getJobKeys()) {
            Long timedOut = timedOutAt.remove(job);
            Long due = dueAt.get(job);
            if (timedOut != null) {
              activation.add(record.getTimestamp() - timedOut);
            }
            if (due != null && record.getTimestamp() < due) {
              cameBackEarly++;
            }
          }
        }
      }
      int missing = (int) dueAt.values().stream().filter(due -> due < runtimeStopped - ALLOWED_LATENESS.toMillis()).count();
      samples.sort(null);
      checker.sort(null);
      activation.sort(null);
      return new Lateness(samples, checker, activation, worst, worstJob, worstDue, missing, early, cameBackEarly);
    }

    static long percentile(List<Long> sorted, int p) {
      return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    String describe() {
      return String.format(
          "%d polls measured, lateness p50 %d ms, p99 %d ms, worst %d ms (job %d); deadline -> timed out p50 %d / p99 %d / max %d ms,"
              + " timed out -> activated p50 %d / p99 %d / max %d ms; %d back before due and held; %d polled more than 100 ms before the engine's due time (earliest %d ms);"
              + " %d due and never polled",
          samples.size(), percentile(samples, 50), percentile(samples, 99), worst, worstJob,
          percentile(checker, 50), percentile(checker, 99), percentile(checker, 100),
          percentile(activation, 50), percentile(activation, 99), percentile(activation, 100), backEarly, early,
          samples.isEmpty() ? 0 : samples.get(0), missing);
    }
  }
}
