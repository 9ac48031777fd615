package io.aigen.camunda.connector.worker;

import io.aigen.camunda.connector.job.EnginePace;
import io.camunda.client.api.command.ClientStatusException;
import io.camunda.client.api.command.FinalCommandStep;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the job worker's commands to the engine, at most {@code maxInFlight} at once, and keeps a
 * running average of how long the engine takes to answer them. While that average is above {@code
 * latencyTarget}, {@link #stretch()} lengthens every poll delay in proportion (at most {@value
 * #MAX_STRETCH}×): an overloaded engine then gets fewer polls, later, rather than a growing pile of
 * commands.
 *
 * <p>The average starts at zero, not at the first answer, and counts no answer as longer than
 * {@value #MAX_STRETCH} × {@code latencyTarget}: one slow answer among prompt ones (a fresh
 * runtime's first command, a token fetch, a pause, a timeout) must not stretch every poll until
 * enough answers have diluted it. It stretches them by a few percent at most; a run of slow
 * answers stretches them in proportion.
 *
 * <p>{@link #send} blocks the calling thread while {@code maxInFlight} commands are outstanding; the
 * worker calls it from virtual threads.
 */
public final class EngineCommands implements EnginePace {

  static final double MAX_STRETCH = 10;
  /** Stretching is logged from here on, and again when it is over; not every small excursion. */
  private static final double LOGGED_STRETCH = 2;
  private static final Logger LOG = LoggerFactory.getLogger(EngineCommands.class);
  private static final double WEIGHT = 0.1;

  /** No free slot before the caller's limit: the command was not sent. */
  public static final class EngineBusy extends RuntimeException {
    EngineBusy(int maxInFlight) {
      super(maxInFlight + " engine commands are already waiting for an answer");
    }
  }

  private final Semaphore slots;
  private final int maxInFlight;
  private final long targetNanos;
  private final long capNanos;
  private volatile double averageNanos;
  // guarded by this
  private boolean stretching;
  private long stretchedSince;
  private double peakStretch;

  public EngineCommands(int maxInFlight, Duration latencyTarget) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("aigen.worker.max-commands-in-flight must be at least 1, got " + maxInFlight);
    }
    this.slots = new Semaphore(maxInFlight);
    this.maxInFlight = maxInFlight;
    this.targetNanos = Math.max(1, latencyTarget.toNanos());
    this.capNanos = (long) (MAX_STRETCH * targetNanos);
  }

  /**
   * Sends {@code command} once a slot is free, waiting for one until {@code waitUntil} at most.
   *
   * @return the engine's answer; fails with {@link EngineBusy} when no slot freed up in time
   */
  public <T> CompletableFuture<T> send(FinalCommandStep<T> command, Instant waitUntil) {
    try {
      long waitNanos = Math.max(0, Duration.between(Instant.now(), waitUntil).toNanos());
      if (!slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
        return CompletableFuture.failedFuture(new EngineBusy(maxInFlight));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    long sent = System.nanoTime();
    CompletableFuture<T> answer;
    try {
      answer = command.send().toCompletableFuture();
    } catch (RuntimeException e) {
      slots.release();
      return CompletableFuture.failedFuture(e);
    }
    return answer.whenComplete((result, error) -> {
      slots.release();
      record(System.nanoTime() - sent);
    });
  }

  /** The gRPC status a failed engine command ended with (the client's own exception, or gRPC's). */
  public static Status.Code statusOf(Throwable failure) {
    return failure instanceof ClientStatusException status ? status.getStatusCode() : Status.fromThrowable(failure).getCode();
  }

  @Override
  public double stretch() {
    return Math.min(MAX_STRETCH, Math.max(1.0, averageNanos / targetNanos));
  }

  /** Takes one answer's time into the average. Package-private so that tests can give exact times. */
  void record(long nanos) {
    String news;
    synchronized (this) {
      // capped at what the longest stretch needs, so that one answer moves the average by at most
      // the target: one that took until its request timed out stretches the polls a few % at most
      averageNanos += WEIGHT * (Math.min(nanos, capNanos) - averageNanos);
      news = stretchNews(stretch());
    }
    if (news != null) {
      LOG.info(news);
    }
  }

  /** A line for the log when stretching starts or ends; {@code null} otherwise. */
  private String stretchNews(double stretch) {
    if (!stretching && stretch >= LOGGED_STRETCH) {
      stretching = true;
      stretchedSince = System.nanoTime();
      peakStretch = stretch;
      return String.format(Locale.ROOT,
          "Engine commands take %d ms on average, over aigen.worker.engine-latency-target (%d ms): poll delays are stretched %.1fx (at most %.0fx) until the engine answers faster",
          Math.round(averageNanos / 1e6), targetNanos / 1_000_000, stretch, MAX_STRETCH);
    }
    if (stretching) {
      peakStretch = Math.max(peakStretch, stretch);
      if (stretch == 1.0) {
        Duration lasted = Duration.ofNanos(System.nanoTime() - stretchedSince);
        stretching = false;
        return String.format(Locale.ROOT,
            "Engine commands are answered within aigen.worker.engine-latency-target (%d ms) again: poll delays are no longer stretched (they were for %d s, at most %.1fx)",
            targetNanos / 1_000_000, lasted.toSeconds(), peakStretch);
      }
    }
    return null;
  }
}
