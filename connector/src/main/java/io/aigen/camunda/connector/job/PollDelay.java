package io.aigen.camunda.connector.job;

import io.aigen.camunda.connector.spec.Timing;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Computes the wait before the next poll. A provider's {@code Retry-After} always wins. */
public final class PollDelay {

  private PollDelay() {}

  /**
   * @param pollsSoFar status requests made already (0 before the first)
   * @param retryAfter the provider's wish, or {@code null}
   */
  public static Duration next(Timing timing, int pollsSoFar, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter;
    }
    long base = timing.interval().toMillis();
    long grown =
        switch (timing.backoff()) {
          case FIXED -> base;
          case LINEAR -> base * (pollsSoFar + 1L);
          case EXPONENTIAL -> base * (1L << Math.min(pollsSoFar, 20));
        };
    long capped = Math.min(grown, timing.maxInterval().toMillis());
    long spread = (long) (capped * timing.jitter());
    long jittered = spread == 0 ? capped : capped + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
    return Duration.ofMillis(Math.max(jittered, 0));
  }
}
