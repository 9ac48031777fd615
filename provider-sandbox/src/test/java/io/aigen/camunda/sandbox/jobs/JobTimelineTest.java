package io.aigen.camunda.sandbox.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobTimelineTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void queuedForAFifthThenRunningThenDone() {
    JobTimeline timeline = JobTimeline.of(T0, Duration.ofSeconds(10));

    assertThat(timeline.phaseAt(T0)).isEqualTo(JobTimeline.Phase.QUEUED);
    assertThat(timeline.phaseAt(T0.plusMillis(1999))).isEqualTo(JobTimeline.Phase.QUEUED);
    assertThat(timeline.phaseAt(T0.plusSeconds(2))).isEqualTo(JobTimeline.Phase.RUNNING);
    assertThat(timeline.progressAt(T0.plusSeconds(6))).isEqualTo(0.5);
    assertThat(timeline.phaseAt(T0.plusSeconds(10))).isEqualTo(JobTimeline.Phase.DONE);
    assertThat(timeline.progressAt(T0.plusSeconds(99))).isEqualTo(1.0);
  }

  @Test
  void endingEarlyCutsTheTimeline() {
    JobTimeline timeline = JobTimeline.of(T0, Duration.ofSeconds(10));

    JobTimeline cutWhileQueued = timeline.endingAt(T0.plusSeconds(1));
    assertThat(cutWhileQueued.runTime()).isZero();
    assertThat(cutWhileQueued.phaseAt(T0.plusSeconds(1))).isEqualTo(JobTimeline.Phase.DONE);
    assertThat(timeline.endingAt(T0.plusSeconds(5)).runTime()).isEqualTo(Duration.ofSeconds(3));
    assertThat(timeline.endingAt(T0.plusSeconds(50))).isEqualTo(timeline);
  }

  @Test
  void zeroDurationIsDoneAtOnce() {
    assertThat(JobTimeline.of(T0, Duration.ZERO).phaseAt(T0)).isEqualTo(JobTimeline.Phase.DONE);
  }
}
