package io.aigen.camunda.connector.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobReturnsTest {

  private static final long OFTEN = Duration.ofMillis(100).toNanos();
  private static final long SELDOM = Duration.ofSeconds(5).toNanos();

  private final AtomicInteger wakeUps = new AtomicInteger();
  private final JobReturns returns = new JobReturns(JobReturns.EARLY);

  JobReturnsTest() {
    returns.whenSooner(wakeUps::incrementAndGet);
  }

  @Test
  void withNothingDueTheActivatorAsksSeldom() {
    assertThat(returns.pauseNanos(OFTEN, SELDOM)).isEqualTo(SELDOM);
  }

  @Test
  void itPausesUntilTheNextJobIsDueThenAsksOftenUntilTheGraceIsOver() {
    returns.expect(Instant.now().plusSeconds(1));
    assertThat(Duration.ofNanos(returns.pauseNanos(OFTEN, SELDOM))).isBetween(Duration.ofMillis(900), Duration.ofSeconds(1));

    returns.expect(Instant.now());
    assertThat(returns.pauseNanos(OFTEN, SELDOM)).as("a job is due now").isEqualTo(OFTEN);

    returns.expect(Instant.now().minus(JobReturns.GRACE).minusMillis(100));
    assertThat(returns.pauseNanos(OFTEN, SELDOM)).as("the one due now is still within its grace").isEqualTo(OFTEN);
  }

  @Test
  void aJobHandedBackIsLookedForFromItsReturnAndKnowsWhenItsPollIsDue() {
    Instant due = Instant.now().plusSeconds(3);
    returns.expect(42L, due.minus(JobReturns.EARLY), due);
    assertThat(Duration.ofNanos(returns.pauseNanos(OFTEN, SELDOM))).as("asked for from its return on")
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(1));

    assertThat(returns.dueOf(43L)).as("a job not handed back here").isNull();
    assertThat(returns.dueOf(42L)).isEqualTo(due);
    assertThat(returns.dueOf(42L)).as("told once: activated again later, the job is due at once").isNull();
  }

  @Test
  void aJobDueLongAgoIsForgotten() {
    returns.expect(Instant.now().minus(JobReturns.GRACE).minusSeconds(1));
    assertThat(returns.pauseNanos(OFTEN, SELDOM)).isEqualTo(SELDOM);
  }

  @Test
  void aJobDueBeforeThePlannedLookWakesTheActivatorAndALaterOneDoesNot() {
    returns.pauseNanos(OFTEN, SELDOM); // plans to look in 5 s
    returns.expect(Instant.now().plusSeconds(30));
    assertThat(wakeUps).as("due after the planned look").hasValue(0);
    returns.expect(Instant.now().plusSeconds(1));
    assertThat(wakeUps).as("due before it").hasValue(1);
  }

  @Test
  void whileTheActivatorIsAskingNothingWakesIt() {
    returns.looking();
    returns.expect(Instant.now());
    assertThat(wakeUps).hasValue(0);
  }
}
