package io.aigen.camunda.connector.support;

import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.PollSchedule;
import io.aigen.camunda.connector.spec.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so deadlines pass without sleeping. */
public final class MutableClock extends Clock {

  private Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public static MutableClock at(String isoInstant) {
    return new MutableClock(Instant.parse(isoInstant));
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  public void set(Instant instant) {
    now = instant;
  }

  /**
   * Moves to the instant the first poll of {@code handle} is due under {@code timing}: a wait step
   * before it only says how long to wait.
   */
  public JobHandle toFirstPoll(Timing timing, JobHandle handle) {
    now = handle.submittedAt().plus(new PollSchedule(timing, handle.expectedDuration()).firstPollAfter());
    return handle;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
