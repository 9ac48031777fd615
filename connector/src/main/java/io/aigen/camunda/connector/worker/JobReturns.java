package io.aigen.camunda.connector.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The jobs this runtime handed back to the engine until their next poll: when the engine should
 * hand each back, so that the job activator asks for jobs often only around those times, and when
 * each poll is due, so that a job handed back early waits here until then.
 *
 * <p>A job handed back ({@link JobReplies#scheduleNextPoll}) is timed out by the engine's timeout
 * checker, and then only found by asking: the engine pushes new, failed and recurring jobs to a job
 * stream, but not timed-out ones. Between those times nothing is due from this runtime, and a slow
 * poll covers the jobs of others.
 */
final class JobReturns {

  /**
   * How much earlier than its poll a job is timed out, with job streams. The engine's timeout
   * checker runs once a second, but on a timer that itself ticks once a second, so a run can slip
   * to the next tick: a job times out 0 to 2 s after its deadline (Zeebe 8.8; measured in the stall
   * soak, and in {@code ProcessingScheduleServiceImpl}). With its deadline 2 s early, a job is back
   * by its poll, and waits in the activator until then.
   *
   * <p>Another replica, or this runtime after a restart, does not know when the poll is due. A job
   * it gets by asking may be back early, so it waits this long: never early, at worst as late as
   * with no lead. A job pushed over the stream is new or failed, never timed out, and starts at
   * once. Without streams every job comes by asking, so the lead is off ({@link #early}); that
   * holds only when every replica has the same setting (a replica without streams does not wait
   * for jobs others handed back early).
   */
  static final Duration EARLY = Duration.ofSeconds(2);

  /**
   * How long after a job's return the activator keeps asking often. A busy engine runs its timeout
   * checker later still; past this, the job is found by the seldom poll.
   */
  static final Duration GRACE = Duration.ofSeconds(10);

  /**
   * A job back later than this after its deadline plus the checker's slip ({@link #EARLY}) may
   * have been worked by another runtime since (it took the job, polled, and handed it back): its
   * due time here is then stale, and the job counts as one whose due time is not known.
   */
  static final Duration STALE = Duration.ofSeconds(1);

  /** A job handed back until {@code back}, for its poll due at {@code due}. */
  private record HandedBack(Instant back, Instant due) {}

  private final Duration early;
  /** When the engine should hand jobs back, as {@link System#nanoTime()}. */
  private final PriorityQueue<Long> back = new PriorityQueue<>();
  /** Each job handed back, by job key. */
  private final Map<Long, HandedBack> handedBack = new HashMap<>();
  /** Called when a job is due sooner than the activator planned to look. */
  private volatile Runnable sooner = () -> {};
  private long plannedLook = Long.MIN_VALUE;
  private long nextPrune = System.nanoTime();

  /** @param early how much earlier than its poll a job is handed back: {@link #EARLY} or none */
  JobReturns(Duration early) {
    this.early = early;
  }

  /** How much earlier than its poll a job is handed back. */
  Duration early() {
    return early;
  }

  /** {@code sooner} runs when a job is due before the activator planned to ask again. */
  void whenSooner(Runnable sooner) {
    this.sooner = sooner;
  }

  /** Job {@code job} was handed back until {@code back}, for its poll due at {@code due}. */
  void expect(long job, Instant back, Instant due) {
    synchronized (this.back) {
      handedBack.put(job, new HandedBack(back, due));
    }
    expect(back);
  }

  /**
   * The engine took the timeout of job {@code job} later than {@link #expect} assumed: it is back
   * at {@code back} (its due time stays). Kept for the stale check alone; asking often already
   * starts at the earlier time.
   */
  void backAt(long job, Instant back) {
    synchronized (this.back) {
      handedBack.computeIfPresent(job, (key, handed) -> new HandedBack(back, handed.due()));
    }
  }

  /** A job (of this runtime or not) is to be handed back at {@code when}; its poll is not known here. */
  void expect(Instant when) {
    long at = System.nanoTime() + Duration.between(Instant.now(), when).toNanos();
    boolean wake;
    synchronized (back) {
      forgetPast(System.nanoTime());
      back.add(at);
      wake = at < plannedLook;
    }
    if (wake) {
      sooner.run();
    }
  }

  /**
   * When the poll of a job this runtime handed back is due, or {@code null} when not known here
   * (or no longer: {@link #STALE}).
   */
  Instant dueOf(long job) {
    HandedBack handed;
    synchronized (back) {
      handed = handedBack.remove(job);
    }
    return handed == null || handed.back().plus(EARLY).plus(STALE).isBefore(Instant.now()) ? null : handed.due();
  }

  /**
   * How long the activator may pause before asking again: {@code often} while a job is due back or
   * was lately, else until the next one is due back, at most {@code seldom}.
   */
  long pauseNanos(long often, long seldom) {
    long now = System.nanoTime();
    synchronized (back) {
      forgetPast(now);
      Long next = back.peek();
      long pause = next == null ? seldom : Math.max(often, Math.min(next - now, seldom));
      plannedLook = now + pause;
      return pause;
    }
  }

  /** Drops the times whose jobs are back by now, or were taken by another runtime. */
  private void forgetPast(long now) {
    while (!back.isEmpty() && back.peek() < now - GRACE.toNanos()) {
      back.poll();
    }
    if (now >= nextPrune) {
      Instant forgotten = Instant.now().minus(GRACE);
      handedBack.values().removeIf(handed -> handed.due().isBefore(forgotten));
      nextPrune = now + GRACE.toNanos();
    }
  }

  /** The activator is asking now, or is not pausing. */
  void looking() {
    synchronized (back) {
      plannedLook = Long.MIN_VALUE;
    }
  }
}
