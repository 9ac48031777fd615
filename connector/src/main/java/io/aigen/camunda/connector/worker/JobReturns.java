package io.aigen.camunda.connector.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * When the jobs this runtime handed back to the engine are due to be activated again, so that the
 * job activator asks for jobs often only around those times.
 *
 * <p>A job handed back until its next poll ({@link JobReplies#scheduleNextPoll}) is timed out by
 * the engine's once-a-second timeout checker, and then only found by asking: the engine pushes
 * new, failed and recurring jobs to a job stream, but not timed-out ones. Between those times
 * nothing is due from this runtime, and a slow poll covers the jobs of others.
 */
final class JobReturns {

  /**
   * How long after a job's due time the activator keeps asking often. The engine's timeout checker
   * runs once a second, but a busy engine runs it late (2 s measured in the stall soak); past this,
   * the job is found by the seldom poll.
   */
  static final Duration GRACE = Duration.ofSeconds(10);

  private final PriorityQueue<Long> due = new PriorityQueue<>();
  /** Called when a job is due sooner than the activator planned to look. */
  private volatile Runnable sooner = () -> {};
  private long plannedLook = Long.MIN_VALUE;

  /** {@code sooner} runs when a job is due before the activator planned to ask again. */
  void whenSooner(Runnable sooner) {
    this.sooner = sooner;
  }

  /** A job was handed back until {@code when}. */
  void expect(Instant when) {
    long at = System.nanoTime() + Duration.between(Instant.now(), when).toNanos();
    boolean wake;
    synchronized (due) {
      forgetPast(System.nanoTime());
      due.add(at);
      wake = at < plannedLook;
    }
    if (wake) {
      sooner.run();
    }
  }

  /**
   * How long the activator may pause before asking again: {@code often} while a job is due or
   * was lately, else until the next one is due, at most {@code seldom}.
   */
  long pauseNanos(long often, long seldom) {
    long now = System.nanoTime();
    synchronized (due) {
      forgetPast(now);
      Long next = due.peek();
      long pause = next == null ? seldom : Math.max(often, Math.min(next - now, seldom));
      plannedLook = now + pause;
      return pause;
    }
  }

  /** Drops the times whose jobs are back by now (or were taken by another runtime). */
  private void forgetPast(long now) {
    while (!due.isEmpty() && due.peek() < now - GRACE.toNanos()) {
      due.poll();
    }
  }

  /** The activator is asking now, or is not pausing. */
  void looking() {
    synchronized (due) {
      plannedLook = Long.MIN_VALUE;
    }
  }
}
