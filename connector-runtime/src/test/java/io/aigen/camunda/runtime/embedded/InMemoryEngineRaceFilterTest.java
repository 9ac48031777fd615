package io.aigen.camunda.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ConcurrentModificationException;
import org.junit.jupiter.api.Test;

/** Only the engine's batch-operation race is dropped, as the engine's actor logger reports it. */
class InMemoryEngineRaceFilterTest {

  private static final String FORMAT = "Uncaught exception in '{}' in phase '{}'. Continuing with next job.";
  private final InMemoryEngineRaceFilter filter = new InMemoryEngineRaceFilter();
  private final Logger actor = new LoggerContext().getLogger(InMemoryEngineRaceFilter.ACTOR_LOGGER);

  private static RuntimeException raceFailure() {
    return new RuntimeException("Unexpected error occurred during zeebe db transaction operation.", new ConcurrentModificationException());
  }

  @Test
  void theBatchOperationRaceIsDropped() {
    assertThat(filter.decide(null, actor, Level.ERROR, FORMAT, new Object[] {"BatchOperationActor-1", "STARTED", raceFailure()}, null))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void anyOtherActorErrorStillShows() {
    assertThat(filter.decide(null, actor, Level.ERROR, FORMAT, new Object[] {"StreamProcessor-1", "STARTED", raceFailure()}, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, actor, Level.ERROR, FORMAT, new Object[] {"BatchOperationActor-1", "STARTED", new IllegalStateException("other")}, null))
        .isEqualTo(FilterReply.NEUTRAL);
    Logger other = new LoggerContext().getLogger("io.aigen.camunda");
    assertThat(filter.decide(null, other, Level.ERROR, FORMAT, new Object[] {"BatchOperationActor-1", "STARTED", raceFailure()}, null))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
