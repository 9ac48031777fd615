package io.aigen.camunda.connector.job;

import io.aigen.camunda.connector.spec.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to poll a job: the one place that decides it. The schedule is a function of the time since
 * submission, so nothing about it is stored between polls and the job handle stays as submit wrote
 * it.
 *
 * <ul>
 *   <li>The first poll is due one interval after submission, or when the provider expects the job
 *       to be done ({@code expectedDuration}), whichever is later, and never after the deadline.
 *   <li>After that the delay grows with the backoff. Its step is the number of polls the ideal
 *       schedule (without jitter) has made by now, so a late or repeated activation neither resets
 *       nor skips the growth.
 *   <li>Jitter spreads each delay (the first one only later); a provider's {@code Retry-After} wins over all of it.
 *   <li>{@code stretch} lengthens delays while the engine answers slowly ({@link EnginePace}).
 *   <li>No delay runs past the deadline ({@code submittedAt + maxDuration}), so a timeout is noticed
 *       on time.
 * </ul>
 *
 * @param expectedDuration the provider's estimate of the job's length, or {@code null}
 */
public record PollSchedule(Timing timing, Duration expectedDuration) {

  /** The ideal first poll, counted from submission. */
  public Duration firstPollAfter() {
    Duration first = timing.interval();
    if (expectedDuration != null && expectedDuration.compareTo(first) > 0) {
      first = expectedDuration;
    }
    return first.compareTo(timing.maxDuration()) < 0 ? first : timing.maxDuration();
  }

  public Instant deadline(Instant submittedAt) {
    return submittedAt.plus(timing.maxDuration());
  }

  /** Whether a poll at {@code now} comes before the first poll is due: nothing to ask yet. */
  public boolean tooEarly(Instant submittedAt, Instant now) {
    return Duration.between(submittedAt, now).compareTo(firstPollAfter()) < 0;
  }

  /** The polls the ideal schedule has made {@code elapsed} after submission (0 before the first). */
  public int pollsBy(Duration elapsed) {
    long left = elapsed.toMillis() - firstPollAfter().toMillis();
    if (left < 0) {
      return 0;
    }
    int polls = 1;
    for (int step = 0; ; step++) {
      long delay = stepDelay(step).toMillis();
      if (delay <= 0) {
        return polls;
      }
      if (delay == stepDelay(step + 1).toMillis()) {
        // the delay no longer grows (fixed, or capped): count the rest at once
        return (int) Math.min(Integer.MAX_VALUE, polls + left / delay);
      }
      if (left < delay) {
        return polls;
      }
      left -= delay;
      polls++;
    }
  }

  /**
   * The wait before the next poll, decided at {@code now}.
   *
   * @param retryAfter the provider's {@code Retry-After}, or {@code null}
   * @param stretch 1 while the engine keeps up; more while it answers slowly
   */
  public Duration nextDelay(Instant submittedAt, Instant now, Duration retryAfter, double stretch) {
    Duration elapsed = Duration.between(submittedAt, now);
    Duration delay;
    if (retryAfter != null) {
      delay = retryAfter;
    } else if (elapsed.compareTo(firstPollAfter()) < 0) {
      // jitter only later, never earlier: a poll before the first is due would find nothing to do
      delay = firstPollAfter().minus(elapsed).plusMillis(spread(firstPollAfter().toMillis()));
    } else {
      delay = jittered(stepDelay(pollsBy(elapsed) - 1));
    }
    if (stretch > 1) {
      delay = Duration.ofMillis(Math.round(delay.toMillis() * stretch));
    }
    if (retryAfter == null) {
      Duration left = Duration.between(now, deadline(submittedAt));
      if (delay.compareTo(left) > 0) {
        delay = left.isNegative() ? Duration.ZERO : left;
      }
    }
    return delay;
  }

  /** The delay after the ideal schedule's poll number {@code step + 1}, before jitter. */
  Duration stepDelay(int step) {
    long base = timing.interval().toMillis();
    long grown =
        switch (timing.backoff()) {
          case FIXED -> base;
          case LINEAR -> base * (step + 1L);
          case EXPONENTIAL -> base * (1L << Math.min(step, 20));
        };
    return Duration.ofMillis(Math.min(grown, timing.maxInterval().toMillis()));
  }

  private Duration jittered(Duration delay) {
    long millis = delay.toMillis();
    long spread = (long) (millis * timing.jitter());
    long jittered = spread == 0 ? millis : millis + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
    return Duration.ofMillis(Math.max(jittered, 0));
  }

  private long spread(long millis) {
    long spread = (long) (millis * timing.jitter());
    return spread == 0 ? 0 : ThreadLocalRandom.current().nextLong(0, spread + 1);
  }
}
