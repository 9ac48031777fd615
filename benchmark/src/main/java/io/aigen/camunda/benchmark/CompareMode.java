package io.aigen.camunda.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.sandbox.CallbackDelivery;
import io.camunda.zeebe.protocol.record.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --mode=compare}: N generations of duration D per strategy, each strategy on a fresh stack
 * after a warm-up; one table at the end.
 */
final class CompareMode {

  /**
   * How bunched the generations ended: the first to the last provider job done, the first to the
   * last callback the sandbox sent ({@code -1} without callbacks), and the first job done to the
   * last process continued.
   */
  record Ends(long doneSpreadMillis, long callbackSpreadMillis, long untilLastContinuedMillis) {}

  /**
   * A callback strategy's latency in three legs, per generation whose first callback attempt was
   * answered: provider done → the sandbox began its first attempt (its timer, signing), that attempt
   * → the runtime's answer (verify, publish, engine ack), and the answer → the wait element completed
   * in the engine. Sorted, in ms; the legs of one generation add up to its latency.
   */
  record CallbackLegs(long[] doneToSent, long[] sentToAnswered, long[] answeredToContinued) {}

  /** What one strategy's run measured; {@code skipped} holds the reason when it did not run. */
  record Result(
      Strategy strategy,
      String skipped,
      int n,
      int completed,
      long wallMillis,
      long[] latenciesMillis,
      int latencyMissing,
      SandboxTap.Counts requests,
      RecordTap.Window records,
      double idleRecordsPerSecond,
      long runtimeCpuNanos,
      long harnessCpuNanos,
      JvmStats runtimeAfter,
      JvmStats harnessAfter,
      int incidents,
      Map<Integer, Long> callbackStatuses,
      Ends ends,
      CallbackLegs legs,
      String runtimeLog) {

    boolean ran() {
      return skipped == null;
    }

    double p(double percentile) {
      return Format.percentile(latenciesMillis, percentile);
    }

    double perGeneration(double value) {
      return value / n;
    }

    double generationsPerSecond() {
      return wallMillis <= 0 ? Double.NaN : completed * 1000.0 / wallMillis;
    }
  }

  private final Options options;
  private final Report report;

  CompareMode(Options options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    List<Result> results = new ArrayList<>();
    for (String id : options.strategies()) {
      Strategy strategy = Strategies.byId(id);
      try {
        strategy.checkAvailable();
      } catch (NotAvailableYet e) {
        Format.progress("skipping %s: %s", strategy.label(), e.getMessage());
        results.add(skipped(strategy, e.getMessage()));
        continue;
      }
      results.add(measure(strategy));
    }
    print(results);
  }

  private Result skipped(Strategy strategy, String why) {
    return new Result(strategy, why, options.n(), 0, 0, new long[0], 0, null, null, 0, 0, 0, null, null, 0, Map.of(), null, null, null);
  }

  private Result measure(Strategy strategy) throws Exception {
    Format.progress("%s: starting engine, sandbox and runtime", strategy.label());
    try (Stack stack = Stack.start(strategy, options)) {
      if (options.warmup() > 0) {
        Format.progress("  warm-up: %d generations of 1 s", options.warmup());
        List<Long> warm = stack.startInstances("warmup", 0, options.warmup(), Duration.ofSeconds(1));
        int done = stack.awaitCompleted(warm, System.nanoTime() + TimeUnit.MINUTES.toNanos(3), "warm-up");
        if (done < warm.size()) {
          Format.progress("  warm-up: only %d/%d completed; measuring anyway", done, warm.size());
        }
      }
      long idleFrom = System.currentTimeMillis();
      Thread.sleep(2_000);
      long idleTo = System.currentTimeMillis();

      JvmStats runtimeBefore = stack.runtime.stats(false, true);
      JvmStats harnessBefore = JvmStats.capture(false, false);
      SandboxTap.Counts requestsBefore = stack.sandboxTap.counts();
      long t0 = System.currentTimeMillis();
      Format.progress("  starting %,d generations of %s", options.n(), Format.duration(options.duration()));
      List<Long> keys = stack.startInstances("bench", 0, options.n(), options.duration());
      Format.progress("  all %,d instances created after %,d ms; waiting", options.n(), System.currentTimeMillis() - t0);
      long deadline = System.nanoTime() + options.timeout().toNanos();
      int completed = stack.awaitCompleted(keys, deadline, "run");
      long now = System.currentTimeMillis();
      JvmStats runtimeEnd = stack.runtime.stats(false, false);
      JvmStats harnessEnd = JvmStats.capture(false, false);
      Thread.sleep(300);
      stack.records.drain();

      long tEnd = t0;
      long[] latencies = new long[keys.size()];
      int measured = 0;
      int missing = 0;
      long firstDone = Long.MAX_VALUE;
      long lastDone = Long.MIN_VALUE;
      long lastContinued = Long.MIN_VALUE;
      for (int i = 0; i < keys.size(); i++) {
        Long key = keys.get(i);
        Long finished = stack.records.processCompletedAt(key);
        if (finished != null) {
          tEnd = Math.max(tEnd, finished);
        }
        Long submitted = stack.sandboxTap.submittedAt("bench " + i);
        Long continued = stack.records.waitCompletedAt(key);
        if (submitted == null || continued == null) {
          missing++;
        } else {
          latencies[measured++] = continued - (submitted + options.duration().toMillis());
          firstDone = Math.min(firstDone, submitted + options.duration().toMillis());
          lastDone = Math.max(lastDone, submitted + options.duration().toMillis());
          lastContinued = Math.max(lastContinued, continued);
        }
      }
      if (completed < keys.size()) {
        tEnd = now;
        Format.progress("  TIMEOUT: %d of %d completed within %s", completed, keys.size(), Format.duration(options.timeout()));
      }
      SandboxTap.Counts requests = stack.sandboxTap.counts().minus(requestsBefore);
      RecordTap.Window window = stack.records.window(t0, tEnd);
      double idle = stack.records.window(idleFrom, idleTo).perSecond();
      JvmStats runtimeAfter = stack.runtime.stats(true, false);
      JvmStats harnessAfter = JvmStats.capture(true, false);
      // callbacks the sandbox posted to the runtime during the run (strategy 3), by the runtime's answer
      Map<Integer, Long> callbackStatuses = new java.util.TreeMap<>();
      long firstCallback = Long.MAX_VALUE;
      long lastCallback = Long.MIN_VALUE;
      for (CallbackDelivery delivery : stack.sandbox.callbacks()) {
        if (delivery.at().toEpochMilli() >= t0) {
          callbackStatuses.merge(delivery.status(), 1L, Long::sum);
          firstCallback = Math.min(firstCallback, delivery.at().toEpochMilli());
          lastCallback = Math.max(lastCallback, delivery.at().toEpochMilli());
        }
      }
      CallbackLegs legs = callbackLegs(stack, keys, t0);
      Ends ends = measured == 0 ? null : new Ends(lastDone - firstDone,
          callbackStatuses.isEmpty() ? -1 : lastCallback - firstCallback, lastContinued - firstDone);
      Format.progress("  done: %,d/%,d in %,d ms", completed, keys.size(), tEnd - t0);
      return new Result(
          strategy, null, keys.size(), completed, tEnd - t0, Format.sorted(Arrays.copyOf(latencies, measured)), missing,
          requests, window, idle, runtimeEnd.cpuNanos() - runtimeBefore.cpuNanos(), harnessEnd.cpuNanos() - harnessBefore.cpuNanos(),
          runtimeAfter, harnessAfter, stack.records.incidents(), callbackStatuses, ends, legs, stack.runtime.log().toString());
    }
  }

  /** The legs of each generation's first callback attempt (its body's {@code payload.prompt} names it); null without callbacks. */
  private CallbackLegs callbackLegs(Stack stack, List<Long> keys, long t0) {
    ObjectMapper json = new ObjectMapper();
    long[] doneToSent = new long[keys.size()];
    long[] sentToAnswered = new long[keys.size()];
    long[] answeredToContinued = new long[keys.size()];
    int measured = 0;
    StringBuilder csv = new StringBuilder("job_id,done_ms,attempt_ms,answered_ms,continued_ms\n");
    for (CallbackDelivery delivery : stack.sandbox.callbacks()) {
      if (delivery.at().toEpochMilli() < t0 || delivery.copy() != 0 || delivery.attempt() != 1 || delivery.status() < 0) {
        continue;
      }
      String prompt;
      String jobId;
      try {
        JsonNode body = json.readTree(delivery.body());
        prompt = body.path("payload").path("prompt").asText("");
        jobId = body.path("request_id").asText("");
      } catch (IOException e) {
        continue;
      }
      if (!prompt.startsWith("bench ")) {
        continue;
      }
      int i = Integer.parseInt(prompt.substring("bench ".length()));
      Long submitted = stack.sandboxTap.submittedAt(prompt);
      Long continued = i < keys.size() ? stack.records.waitCompletedAt(keys.get(i)) : null;
      if (submitted == null || continued == null) {
        continue;
      }
      long sent = delivery.at().toEpochMilli();
      long answered = delivery.answeredAt().toEpochMilli();
      doneToSent[measured] = sent - (submitted + options.duration().toMillis());
      sentToAnswered[measured] = answered - sent;
      answeredToContinued[measured] = continued - answered;
      measured++;
      csv.append(jobId).append(',').append(submitted + options.duration().toMillis()).append(',').append(sent).append(',')
          .append(answered).append(',').append(continued).append('\n');
    }
    if (measured == 0) {
      return null;
    }
    try {
      Files.writeString(stack.runtime.log().resolveSibling("callbacks-" + stack.strategy.id() + ".csv"), csv);
    } catch (IOException e) {
      Format.progress("  could not write the callbacks' times: %s", e);
    }
    return new CallbackLegs(Format.sorted(Arrays.copyOf(doneToSent, measured)), Format.sorted(Arrays.copyOf(sentToAnswered, measured)),
        Format.sorted(Arrays.copyOf(answeredToContinued, measured)));
  }

  private void print(List<Result> results) {
    Table table = new Table(
        "strategy", "done", "wall s", "gen/s", "latency p50 ms", "p95 ms", "p99 ms", "provider req/gen", "Zeebe records/gen",
        "runtime CPU ms/gen", "runtime threads after (peak)", "runtime heap MB after GC");
    Result stock = results.stream().filter(r -> r.ran() && !r.strategy().ours()).findFirst().orElse(null);
    for (Result r : results) {
      if (!r.ran()) {
        table.row(r.strategy().label(), "skipped", "–", "–", "–", "–", "–", "–", "–", "–", "–", "–");
        continue;
      }
      table.row(
          r.strategy().label(),
          r.completed() + "/" + r.n(),
          Format.num(r.wallMillis() / 1000.0, 1),
          Format.num(r.generationsPerSecond()),
          Format.num(r.p(50), 0),
          Format.num(r.p(95), 0),
          Format.num(r.p(99), 0),
          Format.num(r.perGeneration(r.requests().total())),
          Format.num(r.perGeneration(r.records().total())),
          Format.num(r.perGeneration(r.runtimeCpuNanos() / 1e6)),
          r.runtimeAfter().threads() + " (" + r.runtimeAfter().peakThreads() + ")",
          Format.mb(r.runtimeAfter().heapUsedBytes()));
    }
    if (stock != null) {
      for (Result r : results) {
        if (r.ran() && r.strategy().ours()) {
          table.row(
              "ratio " + r.strategy().label().substring(0, 3) + " ÷ (1)",
              "",
              Format.ratio(r.wallMillis(), stock.wallMillis()),
              Format.ratio(r.generationsPerSecond(), stock.generationsPerSecond()),
              Format.ratio(r.p(50), stock.p(50)),
              Format.ratio(r.p(95), stock.p(95)),
              Format.ratio(r.p(99), stock.p(99)),
              Format.ratio(r.requests().total(), stock.requests().total()),
              Format.ratio(r.records().total(), stock.records().total()),
              Format.ratio(r.runtimeCpuNanos(), stock.runtimeCpuNanos()),
              Format.ratio(r.runtimeAfter().threads(), stock.runtimeAfter().threads()),
              Format.ratio(r.runtimeAfter().heapUsedBytes(), stock.runtimeAfter().heapUsedBytes()));
        }
      }
    }
    report.line("");
    report.line("## compare: N = %,d generations per strategy, D = %s, I = %s (--poll=%s), warm-up %d, %d cores, Java %s",
        options.n(), Format.duration(options.duration()), Format.duration(options.interval()), options.poll().name().toLowerCase(),
        options.warmup(), Runtime.getRuntime().availableProcessors(), Runtime.version());
    report.line("");
    if (!options.runtimeProperties().isEmpty()) {
      report.line("Runtime properties for every strategy: %s", options.runtimeProperties());
      report.line("");
    }
    report.line("Offered poll load while all %,d wait: N ÷ I = %s polls/s.", options.n(), Format.num(options.n() / (options.interval().toMillis() / 1000.0)));
    report.line("");
    report.line(table.render());
    report.line("How: latency = ELEMENT_COMPLETED of the wait element (engine record time) − (sandbox accepted the submit + D);"
        + " wall = first create command → last process completed; gen/s = completed ÷ wall; requests = all answered by the sandbox"
        + " during the run ÷ N; records = all records the engine wrote during the run ÷ N; runtime = the connector runtime's own JVM"
        + " (threads and heap after the run, heap after a full GC); ratio = ours ÷ stock. Details: benchmark/README.md.");
    report.line("");
    for (Result r : results) {
      report.line("- " + r.strategy().describe(options));
      if (!r.ran()) {
        report.line("  - skipped: " + r.skipped());
        continue;
      }
      SandboxTap.Counts q = r.requests();
      report.line("  - provider requests per generation: submit %s, status %s, result %s, other %s",
          Format.num(r.perGeneration(q.of(SandboxTap.Kind.SUBMIT))), Format.num(r.perGeneration(q.of(SandboxTap.Kind.STATUS))),
          Format.num(r.perGeneration(q.of(SandboxTap.Kind.RESULT))),
          Format.num(r.perGeneration(q.of(SandboxTap.Kind.CANCEL) + q.of(SandboxTap.Kind.OTHER))));
      StringBuilder types = new StringBuilder();
      r.records().byType().entrySet().stream()
          .sorted(Map.Entry.<ValueType, Long>comparingByValue().reversed())
          .limit(7)
          .forEach(e -> types.append(types.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(Format.num(r.perGeneration(e.getValue()))));
      report.line("  - records per generation by value type: %s; idle engine before the run: %s records/s (job workers polling)",
          types, Format.num(r.idleRecordsPerSecond()));
      report.line("  - latency measured for %,d of %,d; max %s ms; incidents %d", r.latenciesMillis().length, r.n(),
          Format.num(r.p(100), 0), r.incidents());
      if (r.ends() != null) {
        report.line("  - the provider jobs ended within %,d ms of each other%s; the last process continued %,d ms after the first job ended",
            r.ends().doneSpreadMillis(),
            r.ends().callbackSpreadMillis() < 0 ? "" : String.format(", the callbacks were sent within %,d ms", r.ends().callbackSpreadMillis()),
            r.ends().untilLastContinuedMillis());
      }
      if (r.legs() != null) {
        report.line("  - latency in legs, p50 / p99 / max ms, for %,d generations: provider done → the sandbox's first attempt %s;"
            + " attempt → the runtime's answer (verify, publish, engine ack) %s; answer → wait element completed %s",
            r.legs().doneToSent().length, legs(r.legs().doneToSent()), legs(r.legs().sentToAnswered()), legs(r.legs().answeredToContinued()));
      }
      if (!r.callbackStatuses().isEmpty()) {
        report.line("  - callbacks the sandbox posted to the runtime: %,d attempts, by the runtime's answer %s (-1 = no answer)",
            r.callbackStatuses().values().stream().mapToLong(Long::longValue).sum(), r.callbackStatuses());
      }
      JvmStats rt = r.runtimeAfter();
      report.line("  - runtime JVM after: %d threads [%s]; heap %s MB used after GC (%s MB committed), RSS %s MB",
          rt.threads(), rt.topGroups(6), Format.mb(rt.heapUsedBytes()), Format.mb(rt.heapCommittedBytes()), Format.mb(rt.rssBytes()));
      JvmStats h = r.harnessAfter();
      report.line("  - engine + sandbox + harness JVM (not the runtime) after: %d threads [%s]; heap %s MB after GC; CPU %s ms/gen",
          h.threads(), h.topGroups(5), Format.mb(h.heapUsedBytes()), Format.num(r.perGeneration(r.harnessCpuNanos() / 1e6)));
      report.line("  - runtime log: %s", r.runtimeLog());
    }
  }

  private static String legs(long[] sorted) {
    return Format.num(Format.percentile(sorted, 50), 0) + " / " + Format.num(Format.percentile(sorted, 99), 0) + " / "
        + Format.num(Format.percentile(sorted, 100), 0);
  }
}
