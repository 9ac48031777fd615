package io.aigen.camunda.sandbox.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * When a simulated job waits, runs and ends. States follow from comparing an instant with these
 * three points, so no background threads are needed.
 */
public record JobTimeline(Instant submittedAt, Instant startsAt, Instant completesAt) {

  public enum Phase {
    QUEUED,
    RUNNING,
    DONE
  }

  /** Share of a job's duration it spends queued before it starts running. */
  static final double QUEUED_SHARE = 0.2;

  public static JobTimeline of(Instant submittedAt, Duration duration) {
    Duration queued = Duration.ofNanos((long) (duration.toNanos() * QUEUED_SHARE));
    return new JobTimeline(submittedAt, submittedAt.plus(queued), submittedAt.plus(duration));
  }

  public Phase phaseAt(Instant now) {
    if (now.isBefore(startsAt)) {
      return Phase.QUEUED;
    }
    return now.isBefore(completesAt) ? Phase.RUNNING : Phase.DONE;
  }

  /** The next instant after {@code now} at which the phase changes; {@code null} once done. */
  public Instant nextChangeAfter(Instant now) {
    if (now.isBefore(startsAt)) {
      return startsAt;
    }
    return now.isBefore(completesAt) ? completesAt : null;
  }

  /** When the job starts running; {@code null} if it goes straight from queued to done. */
  public Instant runningSince() {
    return startsAt.isBefore(completesAt) ? startsAt : null;
  }

  /** How much of the running phase has passed at {@code now}, from 0 to 1. */
  public double progressAt(Instant now) {
    long run = runTime().toNanos();
    if (run == 0) {
      return now.isBefore(startsAt) ? 0 : 1;
    }
    long done = Duration.between(startsAt, now).toNanos();
    return Math.clamp((double) done / run, 0.0, 1.0);
  }

  public Duration runTime() {
    return Duration.between(startsAt, completesAt);
  }

  public double runSeconds() {
    return runTime().toNanos() / 1e9;
  }

  /** The same job stopped at {@code end} if it would otherwise go on longer. */
  public JobTimeline endingAt(Instant end) {
    return new JobTimeline(submittedAt, earlier(startsAt, end), earlier(completesAt, end));
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
