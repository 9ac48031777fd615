package io.aigen.camunda.benchmark;

import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

/** Number formatting, percentiles and progress lines. */
final class Format {

  private Format() {}

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + " h";
    }
    if (ms % 60_000 == 0 && ms >= 60_000) {
      return ms / 60_000 + " min";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return ms >= 1000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : ms + " ms";
  }

  /** Nearest-rank percentile of {@code sorted} (ascending), or NaN when empty. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
  }

  static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  static String num(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  /** Sensible decimals for a count per generation or a rate. */
  static String num(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "–";
    }
    double abs = Math.abs(value);
    return num(value, abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
  }

  static String mb(long bytes) {
    return bytes < 0 ? "–" : num(bytes / (1024.0 * 1024.0), 0);
  }

  /** {@code ours / stock} as "0.42×", or "–". */
  static String ratio(double ours, double stock) {
    if (Double.isNaN(ours) || Double.isNaN(stock) || stock == 0) {
      return "–";
    }
    double r = ours / stock;
    return num(r, r >= 10 ? 0 : r >= 1 ? 1 : 2) + "×";
  }

  static void progress(String format, Object... args) {
    System.out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
