package io.aigen.camunda.connector.spec;

import java.time.Duration;

/**
 * When to poll and when to give up.
 *
 * @param interval the first delay between polls
 * @param backoff how the delay grows from poll to poll
 * @param maxInterval the delay never grows past this
 * @param jitter share of the delay (0..1) added or removed at random, so that many jobs submitted
 *     together do not poll together
 * @param maxDuration after this, the job is cancelled at the provider and the wait ends with a
 *     timeout error
 */
public record Timing(
    Duration interval, Backoff backoff, Duration maxInterval, double jitter, Duration maxDuration) {

  public static final Timing DEFAULT =
      new Timing(
          Duration.ofSeconds(5),
          Backoff.FIXED,
          Duration.ofSeconds(60),
          0.1,
          Duration.ofMinutes(10));

  public enum Backoff {
    FIXED,
    LINEAR,
    EXPONENTIAL
  }

  public Timing {
    interval = interval == null ? DEFAULT.interval() : interval;
    backoff = backoff == null ? Backoff.FIXED : backoff;
    maxInterval = maxInterval == null ? max(interval, Duration.ofSeconds(60)) : maxInterval;
    maxDuration = maxDuration == null ? Duration.ofMinutes(10) : maxDuration;
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
    }
  }

  public Timing withInterval(Duration newInterval) {
    return new Timing(newInterval, backoff, max(newInterval, maxInterval), jitter, maxDuration);
  }

  public Timing withMaxDuration(Duration newMaxDuration) {
    return new Timing(interval, backoff, maxInterval, jitter, newMaxDuration);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
