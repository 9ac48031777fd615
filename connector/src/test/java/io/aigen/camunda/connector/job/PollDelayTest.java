package io.aigen.camunda.connector.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.connector.spec.Timing;
import io.aigen.camunda.connector.spec.Timing.Backoff;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PollDelayTest {

  private static Timing timing(Backoff backoff, double jitter) {
    return new Timing(Duration.ofSeconds(2), backoff, Duration.ofSeconds(20), jitter, Duration.ofMinutes(10));
  }

  private static long seconds(Timing timing, int polls) {
    return PollDelay.next(timing, polls, null).toSeconds();
  }

  @Test
  void fixedStaysAtTheInterval() {
    Timing fixed = timing(Backoff.FIXED, 0);
    assertThat(new long[] {seconds(fixed, 0), seconds(fixed, 1), seconds(fixed, 50)}).containsExactly(2, 2, 2);
  }

  @Test
  void linearGrowsByOneIntervalPerPollUpToMaxInterval() {
    Timing linear = timing(Backoff.LINEAR, 0);
    assertThat(new long[] {seconds(linear, 0), seconds(linear, 1), seconds(linear, 2), seconds(linear, 9), seconds(linear, 10), seconds(linear, 500)})
        .containsExactly(2, 4, 6, 20, 20, 20);
  }

  @Test
  void exponentialDoublesPerPollUpToMaxInterval() {
    Timing exponential = timing(Backoff.EXPONENTIAL, 0);
    assertThat(new long[] {seconds(exponential, 0), seconds(exponential, 1), seconds(exponential, 2), seconds(exponential, 3), seconds(exponential, 4)})
        .containsExactly(2, 4, 8, 16, 20);
  }

  @Test
  void exponentialDoesNotOverflowAfterManyPolls() {
    Timing exponential = new Timing(Duration.ofMinutes(5), Backoff.EXPONENTIAL, Duration.ofMinutes(30), 0, Duration.ofDays(2));
    assertThat(PollDelay.next(exponential, 10_000, null)).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void jitterStaysWithinItsShareOfTheCappedDelayAndActuallySpreads() {
    Timing jittered = timing(Backoff.EXPONENTIAL, 0.25);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      long ms = PollDelay.next(jittered, 10, null).toMillis(); // capped at 20 s
      assertThat(ms).isBetween(15_000L, 25_000L);
      seen.add(ms);
    }
    assertThat(seen).hasSizeGreaterThan(100);
  }

  @Test
  void jitterAroundTheFirstIntervalStaysWithinBounds() {
    Timing jittered = timing(Backoff.FIXED, 1.0);
    for (int i = 0; i < 1_000; i++) {
      assertThat(PollDelay.next(jittered, 0, null).toMillis()).isBetween(0L, 4_000L);
    }
  }

  @Test
  void retryAfterWinsOverBackoffCapAndJitter() {
    Timing jittered = timing(Backoff.EXPONENTIAL, 0.5);
    assertThat(PollDelay.next(jittered, 3, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    assertThat(PollDelay.next(jittered, 0, Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(90));
    assertThat(PollDelay.next(jittered, 0, Duration.ZERO)).isEqualTo(Duration.ZERO);
  }
}
