package io.aigen.camunda.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JVM's footprint at one instant.
 *
 * @param threads live platform threads (virtual threads are not counted by the JVM)
 * @param peakThreads most live threads since the last reset
 * @param heapUsedBytes used heap; after a full GC when {@code gc} was asked
 * @param heapCommittedBytes heap the JVM holds from the OS
 * @param nonHeapUsedBytes metaspace, code cache and the like
 * @param rssBytes resident set size of the process (from /proc; -1 elsewhere)
 * @param cpuNanos CPU time of the whole process so far
 * @param threadGroups live threads by name with digits replaced by '#', largest first
 * @param compilerCpuNanos CPU time of the JIT compiler threads so far (from /proc; -1 elsewhere)
 * @param gcCpuNanos CPU time of the garbage collector's threads so far (from /proc; -1 elsewhere)
 */
record JvmStats(
    int threads,
    int peakThreads,
    long heapUsedBytes,
    long heapCommittedBytes,
    long nonHeapUsedBytes,
    long rssBytes,
    long cpuNanos,
    long atMillis,
    Map<String, Integer> threadGroups,
    long compilerCpuNanos,
    long gcCpuNanos) {

  static JvmStats capture(boolean gc, boolean resetPeak) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    if (gc) {
      // twice: the first may leave objects that only became unreachable through finalisation/cleaners
      System.gc();
      System.gc();
    }
    ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    Map<String, Integer> groups = new TreeMap<>();
    for (ThreadInfo info : threadBean.getThreadInfo(threadBean.getAllThreadIds())) {
      if (info != null) {
        groups.merge(info.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
      }
    }
    Map<String, Integer> sorted = new LinkedHashMap<>();
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    int peak = threadBean.getPeakThreadCount();
    if (resetPeak) {
      threadBean.resetPeakThreadCount();
    }
    long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    return new JvmStats(
        threadBean.getThreadCount(),
        peak,
        memory.getHeapMemoryUsage().getUsed(),
        memory.getHeapMemoryUsage().getCommitted(),
        memory.getNonHeapMemoryUsage().getUsed(),
        rss(),
        cpu,
        System.currentTimeMillis(),
        sorted,
        vmThreadsCpuNanos("C1 CompilerThre", "C2 CompilerThre"),
        vmThreadsCpuNanos("GC Thread", "G1 "));
  }

  /**
   * CPU time of this JVM's threads whose OS name starts with one of {@code prefixes}: the JVM's own
   * threads (compiler, GC), which the thread MXBean does not list.
   */
  private static long vmThreadsCpuNanos(String... prefixes) {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          if (java.util.Arrays.stream(prefixes).noneMatch(name::startsWith)) {
            continue;
          }
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1; // not Linux
    }
    return ticks * 10_000_000L; // clock ticks of 10 ms (USER_HZ = 100)
  }

  private static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** The largest thread groups, e.g. {@code zb-actors-# ×2, grpc-default-executor-# ×4}. */
  String topGroups(int count) {
    StringBuilder text = new StringBuilder();
    threadGroups.entrySet().stream().limit(count).forEach(e -> text.append(text.isEmpty() ? "" : ", ").append(e.getKey()).append(" ×").append(e.getValue()));
    int rest = threadGroups.values().stream().skip(count).mapToInt(Integer::intValue).sum();
    return rest > 0 ? text + ", others ×" + rest : text.toString();
  }
}
