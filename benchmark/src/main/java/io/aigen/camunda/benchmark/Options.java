package io.aigen.camunda.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of {@code scripts/benchmark.sh}: {@code --name=value} pairs. Durations take
 * {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT10S}).
 */
record Options(
    Mode mode,
    int n,
    Duration duration,
    Duration interval,
    List<String> strategies,
    PollMode poll,
    int warmup,
    int inFlight,
    Duration timeout,
    List<Integer> levels,
    Duration settle,
    Duration window,
    String runtimeHeap,
    Map<String, String> runtimeProperties,
    List<Integer> senders,
    Path outDir,
    Ingest ingest,
    Jvms jvms,
    EngineKind engine) {

  /**
   * {@code --mode=ingest}'s comparisons (issue 10).
   *
   * @param waiting the numbers of waiting instances M to measure at, each on fresh stacks
   * @param bare also publish the same messages straight to the engine over gRPC, no runtime
   * @param openLoop also send at a fixed rate (half the bare rate, or {@code openLoopRate})
   * @param openLoopRate callbacks per second of the open-loop run; {@code 0} = half the bare rate
   * @param burst callbacks sent at the same instant (0 = none)
   */
  record Ingest(List<Integer> waiting, boolean bare, boolean openLoop, double openLoopRate, int burst) {}

  /**
   * How the two JVMs run, in every mode.
   *
   * @param runtimeJvmArgs extra JVM options of the runtime's JVM (e.g. -XX:StartFlightRecording=…)
   * @param runtimeCpus the CPUs the runtime's JVM may run on ({@code taskset -c} list), or null for all
   * @param harnessCpus the CPUs of the harness's JVM (engine, sandbox, load generator), or null for all
   */
  record Jvms(List<String> runtimeJvmArgs, String runtimeCpus, String harnessCpus) {}

  enum Mode { COMPARE, FOOTPRINT, INGEST }

  /**
   * The engine the stacks run: {@code embedded} = the runtime's embedded engine ({@code
   * LoopbackEngine}: zeebe-process-test's engine with a safe log and the sorted state store);
   * {@code zpt} = zeebe-process-test's engine as its factory makes it, to measure what the state
   * store changed.
   */
  enum EngineKind { EMBEDDED, ZPT }

  /**
   * How strategy (2) polls: {@code fixed} = every I, like the timer loop (the fal preset's spec as a
   * custom spec with backoff fixed and no jitter); {@code preset} = the FAL preset as a modeler gets
   * it, with pollInterval = I (exponential backoff from I, capped at 15 s, ±10 % jitter).
   */
  enum PollMode { FIXED, PRESET }

  /**
   * Compare's warm-up: with 20 or 200 generations, C2 still compiled the engine's message path
   * during (3)'s measured callbacks (JFR), and its p99 ranged 23–1,281 ms from run to run.
   */
  static final int COMPARE_WARMUP = 5_000;

  static final String USAGE =
      """
      scripts/benchmark.sh [--mode=compare|footprint|ingest] [options]

        --mode=compare      N generations per strategy, one table (default)
        --mode=footprint    generations kept waiting at once (--levels), runtime threads/heap/CPU while they wait
        --mode=ingest       verified provider callbacks per second against the runtime's endpoint

        --n=1000            generations per strategy (compare); ingest: callbacks per sender level (default 2000)
        --duration=10s      D, how long each generation takes at the provider (footprint default: 3h)
        --interval=1s       I, poll interval of strategies (1) and (2) (footprint default: 5m)
        --strategies=stock,generate,callback
        --poll=fixed        strategy (2): fixed = every I like the timer loop; preset = the FAL preset
                            with pollInterval I (exponential backoff from I, cap 15 s, jitter 10 %)
        --warmup=5000       generations (D = 1 s) run and discarded before each measurement, so that
                            the JIT compiler is done with the measured path (ingest: callbacks sent
                            and discarded first, default 200)
        --senders=8         ingest: concurrent senders C (closed loop); a list (1,8,32) measures each
        --in-flight=128     create-instance commands in flight at once
        --timeout=...       give up waiting for a run after this (default D + 10 min)
        --levels=1000,5000,10000   waiting generations at which footprint measures
        --settle=30s        footprint: wait after reaching a level before measuring
        --window=60s        footprint: CPU is averaged over this window
        --runtime-heap=1g   -Xmx of the connector runtime's JVM
        --runtime-properties=name=value,...   extra runtime settings for every strategy, e.g.
                            camunda.client.execution-threads=4 (the client's default is 1 thread
                            that runs the jobs of every worker)
        --out=benchmark/target/results   where tables and runtime logs go
        --engine=embedded   the engine of every stack: embedded = the runtime's embedded engine
                            (sorted state store); zpt = zeebe-process-test's as its factory makes it
        --runtime-jvm-args="-XX:StartFlightRecording=filename=r.jfr"   extra JVM options of the runtime
        --runtime-cpus=1    run the runtime's JVM on these CPUs only (taskset -c), e.g. 1 or 2-3
        --harness-cpus=0    run the harness's JVM (engine, sandbox, load generator) on these CPUs only

      ingest comparisons:
        --waiting=2000      waiting instances M to measure at, each on fresh stacks, e.g. 500,2000 (default --n)
        --bare=true         also publish the same messages straight to the engine (gRPC, no runtime)
        --open-loop=true    also send at a fixed rate, on the bare pairing's stack: half its bare rate
        --open-loop-rate=0  that rate in callbacks/s instead (0 = half the bare rate)
        --burst=1000        also send this many callbacks at the same instant (0 = none)
      """;

  static Options parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help")) {
        throw new Usage(null);
      }
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new Usage("expected --name=value, got '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      given.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    try {
      Mode mode = Mode.valueOf(take(given, "mode", "compare").toUpperCase(Locale.ROOT));
      boolean footprint = mode == Mode.FOOTPRINT;
      boolean ingest = mode == Mode.INGEST;
      int n = Integer.parseInt(take(given, "n", ingest ? "2000" : "1000"));
      Duration duration = duration(take(given, "duration", footprint ? "3h" : "10s"));
      Duration interval = duration(take(given, "interval", footprint ? "5m" : "1s"));
      List<String> strategies = List.of(take(given, "strategies", "stock,generate,callback").split(","));
      PollMode poll = PollMode.valueOf(take(given, "poll", "fixed").toUpperCase(Locale.ROOT));
      int warmup = Integer.parseInt(take(given, "warmup", ingest ? "200" : String.valueOf(COMPARE_WARMUP)));
      int inFlight = Integer.parseInt(take(given, "in-flight", "128"));
      String timeoutText = take(given, "timeout", null);
      Duration timeout = timeoutText == null ? duration.plusMinutes(10) : duration(timeoutText);
      List<Integer> levels = new ArrayList<>();
      for (String level : take(given, "levels", "1000,5000,10000").split(",")) {
        levels.add(Integer.parseInt(level.trim()));
      }
      List<Integer> senders = new ArrayList<>();
      for (String c : take(given, "senders", "8").split(",")) {
        senders.add(Integer.parseInt(c.trim()));
      }
      Duration settle = duration(take(given, "settle", "30s"));
      Duration window = duration(take(given, "window", "60s"));
      String runtimeHeap = take(given, "runtime-heap", "1g");
      Map<String, String> runtimeProperties = new LinkedHashMap<>();
      String extra = take(given, "runtime-properties", "");
      for (String pair : extra.isBlank() ? new String[0] : extra.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new Usage("--runtime-properties takes name=value pairs separated by commas, got '" + pair + "'");
        }
        runtimeProperties.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
      Path out = Path.of(take(given, "out", "benchmark/target/results"));
      List<Integer> waiting = new ArrayList<>();
      for (String m : take(given, "waiting", Integer.toString(n)).split(",")) {
        waiting.add(Integer.parseInt(m.trim()));
      }
      Ingest ingestOptions = new Ingest(
          List.copyOf(waiting),
          Boolean.parseBoolean(take(given, "bare", "true")),
          Boolean.parseBoolean(take(given, "open-loop", "true")),
          Double.parseDouble(take(given, "open-loop-rate", "0")),
          Integer.parseInt(take(given, "burst", "1000")));
      Jvms jvms = new Jvms(
          List.of(take(given, "runtime-jvm-args", "").split("\\s+")).stream().filter(a -> !a.isBlank()).toList(),
          cpus(take(given, "runtime-cpus", null), "--runtime-cpus"),
          cpus(take(given, "harness-cpus", null), "--harness-cpus"));
      EngineKind engine = EngineKind.valueOf(take(given, "engine", "embedded").toUpperCase(Locale.ROOT));
      if (waiting.stream().anyMatch(m -> m < 1) || ingestOptions.burst() < 0 || ingestOptions.openLoopRate() < 0) {
        throw new Usage("--waiting takes numbers of at least 1, --burst and --open-loop-rate at least 0");
      }
      if (!given.isEmpty()) {
        throw new Usage("unknown option(s) " + given.keySet());
      }
      if (n < 1 || inFlight < 1 || warmup < 0) {
        throw new Usage("--n and --in-flight must be at least 1, --warmup at least 0");
      }
      if (senders.isEmpty() || senders.stream().anyMatch(c -> c < 1)) {
        throw new Usage("--senders takes numbers of at least 1, e.g. 8 or 1,8,32");
      }
      if (interval.isZero() || interval.isNegative() || duration.isNegative()) {
        throw new Usage("--interval must be positive and --duration not negative");
      }
      for (String strategy : strategies) {
        Strategies.byId(strategy);
      }
      return new Options(mode, n, duration, interval, strategies, poll, warmup, inFlight, timeout, List.copyOf(levels), settle, window, runtimeHeap, Map.copyOf(runtimeProperties),
          List.copyOf(senders), out, ingestOptions, jvms, engine);
    } catch (IllegalArgumentException e) {
      throw e instanceof Usage usage ? usage : new Usage(e.getMessage());
    }
  }

  /** The same options, writing into {@code dir}. */
  Options withOutDir(Path dir) {
    return new Options(mode, n, duration, interval, strategies, poll, warmup, inFlight, timeout, levels, settle, window, runtimeHeap,
        runtimeProperties, senders, dir, ingest, jvms, engine);
  }

  /** A {@code taskset -c} CPU list such as {@code 1}, {@code 0,2} or {@code 2-3}; null stays null. */
  private static String cpus(String list, String option) {
    if (list != null && !list.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
      throw new Usage(option + " takes a CPU list as taskset -c does, e.g. 1 or 0,2 or 2-3; got '" + list + "'");
    }
    return list;
  }

  private static String take(Map<String, String> given, String name, String fallback) {
    String value = given.remove(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long factor = switch (t.charAt(t.length() - 1)) {
        case 's' -> 1_000;
        case 'm' -> 60_000;
        case 'h' -> 3_600_000;
        default -> throw new IllegalArgumentException("'" + text + "' is not a duration: write e.g. 500ms, 10s, 2m or PT10S");
      };
      return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * factor));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: write e.g. 500ms, 10s, 2m or PT10S");
    }
  }

  /** A bad command line; printed with {@link #USAGE}. */
  static final class Usage extends IllegalArgumentException {
    Usage(String message) {
      super(message);
    }
  }
}
