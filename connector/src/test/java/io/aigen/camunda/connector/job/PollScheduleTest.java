package io.aigen.camunda.connector.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.connector.spec.Timing;
import io.aigen.camunda.connector.spec.Timing.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

  private static final Instant SUBMITTED = Instant.parse("2026-08-01T10:00:00Z");

  private static PollSchedule schedule(Backoff backoff, double jitter) {
    return new PollSchedule(new Timing(Duration.ofSeconds(2), backoff, Duration.ofSeconds(20), jitter, Duration.ofMinutes(10)), null);
  }

  /** The delays an ideal run sees when every poll comes exactly when it is due. */
  private static List<Long> delaysInSeconds(PollSchedule schedule, int polls) {
    List<Long> delays = new ArrayList<>();
    Instant now = SUBMITTED.plus(schedule.firstPollAfter());
    for (int i = 0; i < polls; i++) {
      Duration delay = schedule.nextDelay(SUBMITTED, now, null, 1);
      delays.add(delay.toSeconds());
      now = now.plus(delay);
    }
    return delays;
  }

  @Test
  void fixedStaysAtTheInterval() {
    assertThat(delaysInSeconds(schedule(Backoff.FIXED, 0), 4)).containsExactly(2L, 2L, 2L, 2L);
  }

  @Test
  void linearGrowsByOneIntervalPerPollUpToMaxInterval() {
    assertThat(delaysInSeconds(schedule(Backoff.LINEAR, 0), 12)).containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L, 20L, 20L);
  }

  @Test
  void exponentialDoublesPerPollUpToMaxInterval() {
    assertThat(delaysInSeconds(schedule(Backoff.EXPONENTIAL, 0), 6)).containsExactly(2L, 4L, 8L, 16L, 20L, 20L);
  }

  @Test
  void pollsByCountsTheIdealPollsWithoutWalkingAFixedScheduleStepByStep() {
    PollSchedule everySecond = new PollSchedule(new Timing(Duration.ofSeconds(1), Backoff.FIXED, Duration.ofSeconds(1), 0, Duration.ofDays(30)), null);
    assertThat(everySecond.pollsBy(Duration.ofMillis(999))).isZero();
    assertThat(everySecond.pollsBy(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(everySecond.pollsBy(Duration.ofDays(29))).isEqualTo(29 * 86_400);
  }

  @Test
  void exponentialDoesNotOverflowAfterManyPolls() {
    PollSchedule slow = new PollSchedule(new Timing(Duration.ofMinutes(5), Backoff.EXPONENTIAL, Duration.ofMinutes(30), 0, Duration.ofDays(2)), null);
    assertThat(slow.nextDelay(SUBMITTED, SUBMITTED.plus(Duration.ofDays(1)), null, 1)).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void jitterStaysWithinItsShareOfTheCappedDelayAndActuallySpreads() {
    PollSchedule jittered = schedule(Backoff.EXPONENTIAL, 0.25);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      long ms = jittered.nextDelay(SUBMITTED, SUBMITTED.plusSeconds(300), null, 1).toMillis(); // capped at 20 s
      assertThat(ms).isBetween(15_000L, 25_000L);
      seen.add(ms);
    }
    assertThat(seen).hasSizeGreaterThan(100);
  }

  @Test
  void theFirstDelayIsOnlyEverJitteredLaterSoTheFirstPollIsNeverEarly() {
    PollSchedule jittered = schedule(Backoff.FIXED, 1.0);
    for (int i = 0; i < 1_000; i++) {
      assertThat(jittered.nextDelay(SUBMITTED, SUBMITTED, null, 1).toMillis()).isBetween(2_000L, 4_000L);
    }
  }

  @Test
  void expectedDurationPostponesTheFirstPollButNotPastTheMaxDuration() {
    Timing timing = new Timing(Duration.ofSeconds(2), Backoff.FIXED, Duration.ofSeconds(20), 0, Duration.ofMinutes(10));
    assertThat(new PollSchedule(timing, Duration.ofSeconds(90)).firstPollAfter()).isEqualTo(Duration.ofSeconds(90));
    assertThat(new PollSchedule(timing, Duration.ofSeconds(1)).firstPollAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(new PollSchedule(timing, Duration.ofHours(1)).firstPollAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void retryAfterWinsOverBackoffCapJitterAndDeadline() {
    PollSchedule jittered = schedule(Backoff.EXPONENTIAL, 0.5);
    Instant later = SUBMITTED.plusSeconds(30);
    assertThat(jittered.nextDelay(SUBMITTED, later, Duration.ofSeconds(2), 1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(jittered.nextDelay(SUBMITTED, later, Duration.ofSeconds(90), 1)).isEqualTo(Duration.ofSeconds(90));
    assertThat(jittered.nextDelay(SUBMITTED, SUBMITTED.plus(Duration.ofMinutes(9)), Duration.ofMinutes(5), 1)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theEnginesStretchLengthensTheDelayUpToTheDeadline() {
    PollSchedule fixed = schedule(Backoff.FIXED, 0);
    assertThat(fixed.nextDelay(SUBMITTED, SUBMITTED.plusSeconds(10), null, 2.5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(fixed.nextDelay(SUBMITTED, SUBMITTED.plus(Duration.ofMinutes(10)).minusSeconds(3), null, 2.5)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void pastTheDeadlineTheDelayIsZero() {
    assertThat(schedule(Backoff.FIXED, 0).nextDelay(SUBMITTED, SUBMITTED.plus(Duration.ofMinutes(11)), null, 1)).isZero();
  }
}
