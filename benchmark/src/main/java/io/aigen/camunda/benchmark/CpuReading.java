package io.aigen.camunda.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time used so far: by the whole machine (every process and the kernel, from {@code
 * /proc/stat}), by the runtime's JVM and by this one (the harness: engine, sandbox, load
 * generator). The difference of two readings is what happened in between, at the kernel's
 * resolution of 10 ms per core; -1 where the figure is not to be had (not Linux).
 */
record CpuReading(long machineNanos, long runtimeNanos, long harnessNanos) {

  static final CpuReading ZERO = new CpuReading(0, 0, 0);

  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100

  static CpuReading now(long runtimePid) {
    return new CpuReading(machineBusyNanos(), processNanos(ProcessHandle.of(runtimePid).orElse(null)), processNanos(ProcessHandle.current()));
  }

  CpuReading minus(CpuReading earlier) {
    return new CpuReading(machineNanos - earlier.machineNanos, runtimeNanos - earlier.runtimeNanos, harnessNanos - earlier.harnessNanos);
  }

  CpuReading plus(CpuReading other) {
    return new CpuReading(machineNanos + other.machineNanos, runtimeNanos + other.runtimeNanos, harnessNanos + other.harnessNanos);
  }

  /** {@code nanos} of CPU in milliseconds per one of {@code count} (messages, or milliseconds of wall time for cores busy). */
  static double millisEach(long nanos, long count) {
    return nanos / 1e6 / count;
  }

  /** The machine's cores (the {@code cpuN} lines of {@code /proc/stat}), whatever this JVM's affinity. */
  static int machineCores() {
    try {
      return (int) Files.readAllLines(Path.of("/proc/stat")).stream().filter(line -> line.matches("cpu\\d+ .*")).count();
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  /** Busy time of every core: user, nice, system, irq, softirq and steal of the {@code cpu} line. */
  private static long machineBusyNanos() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long ticks = 0;
      for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(fields[field]);
      }
      return ticks * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long processNanos(ProcessHandle process) {
    return process == null ? -1 : process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }
}
