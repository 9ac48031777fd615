package io.aigen.camunda.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --mode=footprint}: per strategy, start generations of a long D and keep them waiting; at
 * each level of {@code --levels} (waiting = accepted by the provider, none finished), let the
 * system settle, then measure the runtime's CPU over {@code --window} and its threads and heap
 * (after a full GC). Memory that does not grow with the number waiting shows that the wait state
 * lives in the engine, not in the runtime.
 */
final class FootprintMode {

  record Level(
      Strategy strategy, int waiting, int finished, double runtimeCpuPercent, JvmStats runtime, double providerRequestsPerSecond,
      double recordsPerSecond, double harnessCpuPercent, JvmStats harness) {}

  private final Options options;
  private final Report report;

  FootprintMode(Options options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    List<Level> levels = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String id : options.strategies()) {
      Strategy strategy = Strategies.byId(id);
      try {
        strategy.checkAvailable();
      } catch (NotAvailableYet e) {
        Format.progress("skipping %s: %s", strategy.label(), e.getMessage());
        notes.add(strategy.label() + ": skipped: " + e.getMessage());
        continue;
      }
      levels.addAll(measure(strategy));
    }
    print(levels, notes);
  }

  private List<Level> measure(Strategy strategy) throws Exception {
    List<Level> measured = new ArrayList<>();
    Format.progress("%s: starting engine, sandbox and runtime", strategy.label());
    try (Stack stack = Stack.start(strategy, options)) {
      List<Long> keys = new ArrayList<>();
      measured.add(measureLevel(stack, keys));
      for (int level : options.levels()) {
        if (level <= keys.size()) {
          continue;
        }
        Format.progress("  %s: starting %,d more generations of %s (→ %,d waiting)", strategy.id(), level - keys.size(),
            Format.duration(options.duration()), level);
        keys.addAll(stack.startInstances("wait", keys.size(), level - keys.size(), options.duration()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (stack.sandboxTap.counts().of(SandboxTap.Kind.SUBMIT) < level && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        long submitted = stack.sandboxTap.counts().of(SandboxTap.Kind.SUBMIT);
        if (submitted < level) {
          Format.progress("  only %,d of %,d submitted to the provider after 30 min; measuring anyway", submitted, level);
        }
        measured.add(measureLevel(stack, keys));
      }
    }
    return measured;
  }

  private Level measureLevel(Stack stack, List<Long> keys) throws InterruptedException {
    Format.progress("  %,d waiting: settling %s, then measuring over %s", keys.size(), Format.duration(options.settle()), Format.duration(options.window()));
    Thread.sleep(options.settle().toMillis());
    JvmStats runtime0 = stack.runtime.stats(false, true);
    JvmStats harness0 = JvmStats.capture(false, false);
    SandboxTap.Counts requests0 = stack.sandboxTap.counts();
    long t0 = System.currentTimeMillis();
    Thread.sleep(options.window().toMillis());
    JvmStats runtime1 = stack.runtime.stats(false, false);
    JvmStats harness1 = JvmStats.capture(false, false);
    long t1 = System.currentTimeMillis();
    SandboxTap.Counts requests = stack.sandboxTap.counts().minus(requests0);
    stack.records.drain();
    double records = stack.records.window(t0, t1).perSecond();
    JvmStats runtimeGc = stack.runtime.stats(true, false);
    JvmStats harnessGc = JvmStats.capture(true, false);
    double seconds = (t1 - t0) / 1000.0;
    JvmStats runtime = new JvmStats(runtime1.threads(), runtime1.peakThreads(), runtimeGc.heapUsedBytes(), runtimeGc.heapCommittedBytes(),
        runtimeGc.nonHeapUsedBytes(), runtime1.rssBytes(), runtime1.cpuNanos(), runtime1.atMillis(), runtime1.threadGroups(), runtime1.compilerCpuNanos(), runtime1.gcCpuNanos());
    int finished = stack.records.completedOf(keys);
    return new Level(stack.strategy, keys.size() - finished, finished,
        (runtime1.cpuNanos() - runtime0.cpuNanos()) / 1e7 / seconds, runtime, requests.total() / seconds, records,
        (harness1.cpuNanos() - harness0.cpuNanos()) / 1e7 / seconds, harnessGc);
  }

  private void print(List<Level> levels, List<String> notes) {
    Table table = new Table(
        "strategy", "waiting", "runtime CPU % of a core", "runtime threads (peak)", "runtime heap MB after GC", "runtime RSS MB",
        "provider req/s", "Zeebe records/s", "engine+sandbox CPU %", "engine+sandbox heap MB");
    for (Level l : levels) {
      table.row(l.strategy().label(), String.format("%,d", l.waiting()) + (l.finished() > 0 ? " (+" + l.finished() + " done)" : ""),
          Format.num(l.runtimeCpuPercent()), l.runtime().threads() + " (" + l.runtime().peakThreads() + ")", Format.mb(l.runtime().heapUsedBytes()),
          Format.mb(l.runtime().rssBytes()), Format.num(l.providerRequestsPerSecond()), Format.num(l.recordsPerSecond()),
          Format.num(l.harnessCpuPercent()), Format.mb(l.harness().heapUsedBytes()));
    }
    report.line("");
    report.line("## footprint: waiting generations %s, D = %s, I = %s (--poll=%s), settle %s, window %s, %d cores, Java %s",
        options.levels(), Format.duration(options.duration()), Format.duration(options.interval()), options.poll().name().toLowerCase(),
        Format.duration(options.settle()), Format.duration(options.window()), Runtime.getRuntime().availableProcessors(), Runtime.version());
    report.line("");
    if (!options.runtimeProperties().isEmpty()) {
      report.line("Runtime properties for every strategy: %s", options.runtimeProperties());
      report.line("");
    }
    report.line(table.render());
    report.line("How: waiting = accepted by the provider and not finished; CPU = process CPU time over the window ÷ window (100 = one"
        + " core busy); threads at the window's end (peak within it); heap after a full GC; the runtime is its own JVM, the engine"
        + " and the sandbox share the harness's JVM. A polling strategy is offered waiting ÷ I polls per second ("
        + Format.num(options.levels().getLast() / (options.interval().toMillis() / 1000.0)) + "/s at " + String.format("%,d", options.levels().getLast())
        + "); provider req/s below that means the runtime and engine could not keep up.");
    for (Strategy strategy : levels.stream().map(Level::strategy).distinct().toList()) {
      List<Level> own = levels.stream().filter(l -> l.strategy() == strategy && l.waiting() > 0).toList();
      report.line("- " + strategy.describe(options));
      if (own.size() >= 2) {
        Level first = own.getFirst();
        Level last = own.getLast();
        double perThousand = (last.runtime().heapUsedBytes() - first.runtime().heapUsedBytes()) / (1024.0 * 1024.0)
            / Math.max(1, last.waiting() - first.waiting()) * 1000;
        report.line("  - runtime heap after GC from %,d to %,d waiting: %s → %s MB (%s MB per 1,000 more waiting); threads %d → %d",
            first.waiting(), last.waiting(), Format.num(first.runtime().heapUsedBytes() / 1048576.0, 1),
            Format.num(last.runtime().heapUsedBytes() / 1048576.0, 1),
            Format.num(perThousand), first.runtime().threads(), last.runtime().threads());
      }
      if (!own.isEmpty()) {
        report.line("  - runtime threads at %,d waiting: %s", own.getLast().waiting(), own.getLast().runtime().topGroups(6));
      }
    }
    for (String note : notes) {
      report.line("- " + note);
    }
  }
}
