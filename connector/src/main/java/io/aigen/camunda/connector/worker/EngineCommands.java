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
 * <p>The average starts at zero, not at the first answer: one slow answer (a fresh runtime's first
 * command, a token fetch, a pause) must not stretch every poll until enough answers have diluted
 * it. A run of slow answers does.
 *
 * <p>{@link #send} blocks the calling thread while {@code maxInFlight} commands are outstanding; the
 * worker calls it from virtual threads.
 */
public final class EngineCommands implements EnginePace {

  static final double MAX_STRETCH = 10;
  /** Stretching is logged from here on, and again when it is over; not every small excursion. */
  private static final double LOGGED_STRETCH = 1.5;
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
  private volatile double averageNanos;
  private boolean stretching;

  public EngineCommands(int maxInFlight, Duration latencyTarget) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("aigen.worker.max-commands-in-flight must be at least 1, got " + maxInFlight);
    }
    this.slots = new Semaphore(maxInFlight);
    this.maxInFlight = maxInFlight;
    this.targetNanos = Math.max(1, latencyTarget.toNanos());
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

  private synchronized void record(long nanos) {
    averageNanos += WEIGHT * (nanos - averageNanos);
    double stretch = stretch();
    if (!stretching && stretch >= LOGGED_STRETCH) {
      stretching = true;
      LOG.info(
          "Engine commands take {} ms on average, over aigen.worker.engine-latency-target ({} ms): poll delays are stretched {}x until they are answered faster",
          Math.round(averageNanos / 1e6), targetNanos / 1_000_000, String.format(Locale.ROOT, "%.1f", stretch));
    } else if (stretching && stretch == 1.0) {
      stretching = false;
      LOG.info("Engine commands are answered within aigen.worker.engine-latency-target ({} ms) again: poll delays are no longer stretched", targetNanos / 1_000_000);
    }
  }
}
