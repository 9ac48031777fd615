package io.aigen.camunda.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Entry point of {@code scripts/benchmark.sh}: compares ways of waiting for slow AI generation jobs
 * from BPMN, on the in-memory Zeebe engine against the provider sandbox. See benchmark/README.md.
 */
public final class Benchmark {

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "benchmark-logback.xml");
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.Usage usage) {
      if (usage.getMessage() != null) {
        System.err.println("benchmark: " + usage.getMessage());
        System.err.print(Options.USAGE);
      } else {
        System.out.print(Options.USAGE);
      }
      System.exit(usage.getMessage() == null ? 0 : 2);
      return;
    }
    if (options.jvms().harnessCpus() != null) {
      pinThisJvm(options.jvms().harnessCpus());
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path file = options.outDir().resolve(options.mode().name().toLowerCase() + "-" + stamp + ".md");
    Options run = options.withOutDir(options.outDir().resolve(options.mode().name().toLowerCase() + "-" + stamp));
    Report report = new Report(file);
    if (run.mode() == Options.Mode.INGEST) {
      Format.progress("benchmark --mode=ingest: M=%,d callbacks per level, senders=%s, warm-up %d (--help lists the options)", run.n(),
          run.senders(), run.warmup());
    } else {
      String size = run.mode() == Options.Mode.FOOTPRINT ? "levels=" + run.levels() : "N=" + String.format("%,d", run.n());
      Format.progress("benchmark --mode=%s: %s D=%s I=%s poll=%s strategies=%s (--help lists the options)", run.mode().name().toLowerCase(),
          size, Format.duration(run.duration()), Format.duration(run.interval()), run.poll().name().toLowerCase(), String.join(",", run.strategies()));
    }
    if (!run.runtimeProperties().isEmpty()) {
      Format.progress("runtime properties for every strategy: %s", run.runtimeProperties());
    }
    try {
      switch (run.mode()) {
        case COMPARE -> new CompareMode(run, report).run();
        case FOOTPRINT -> new FootprintMode(run, report).run();
        case INGEST -> new IngestMode(run, report).run();
      }
    } catch (NotAvailableYet e) {
      report.line("Not available yet: " + e.getMessage());
    }
    Format.progress("tables saved to %s; runtime logs in %s", report.save(), run.outDir());
    System.exit(0);
  }

  /** Moves every thread of this JVM onto {@code cpus}; threads started later inherit it. */
  private static void pinThisJvm(String cpus) throws IOException, InterruptedException {
    Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
        .redirectErrorStream(true).start();
    String said = new String(taskset.getInputStream().readAllBytes()).trim();
    if (taskset.waitFor() != 0) {
      throw new IllegalStateException("could not pin the harness to CPUs " + cpus + ": " + said);
    }
    Format.progress("harness JVM pinned to CPUs %s", cpus);
  }
}
