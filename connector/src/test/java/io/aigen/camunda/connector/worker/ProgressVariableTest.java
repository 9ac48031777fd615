package io.aigen.camunda.connector.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.job.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressVariableTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-08-01T10:00:00Z");
  private final ProgressVariable every10s = new ProgressVariable(true, Duration.ofSeconds(10));

  private static JsonNode written(Map<String, Object> value) {
    return JSON.valueToTree(value);
  }

  @Test
  void theFirstReadingIsWrittenWithOnlyWhatTheProviderSaid() {
    Map<String, Object> value = every10s.update(null, T0.minusSeconds(60), "IN_QUEUE", new Progress("IN_QUEUE", 3, null, null), T0).orElseThrow();

    assertThat(value).containsExactly(Map.entry("status", "IN_QUEUE"), Map.entry("queuePosition", 3), Map.entry("updatedAt", "2026-08-01T10:00:00Z"));
  }

  @Test
  void anUnchangedReadingIsNotWrittenAgainHoweverLongAgoTheLastWas() {
    JsonNode last = written(every10s.update(null, T0.minusSeconds(60), "RUNNING", new Progress("RUNNING", null, 40.0, "step 4/10"), T0).orElseThrow());

    assertThat(every10s.update(last, T0.minusSeconds(60), "RUNNING", new Progress("RUNNING", null, 40.0, "step 4/10"), T0.plusSeconds(600))).isEmpty();
  }

  @Test
  void aChangedReadingWaitsForTheIntervalSinceTheLastWrite() {
    JsonNode last = written(every10s.update(null, T0.minusSeconds(60), "RUNNING", new Progress("RUNNING", null, 40.0, null), T0).orElseThrow());
    Progress later = new Progress("RUNNING", null, 55.0, null);

    assertThat(every10s.update(last, T0.minusSeconds(60), "RUNNING", later, T0.plusSeconds(9))).isEmpty();
    assertThat(every10s.update(last, T0.minusSeconds(60), "RUNNING", later, T0.plusSeconds(10))).hasValueSatisfying(v -> assertThat(v).containsEntry("percent", 55.0));
  }

  @Test
  void aStepThatAskedTheProviderNothingKeepsTheLastReading() {
    JsonNode running = written(every10s.update(null, T0.minusSeconds(60), "RUNNING", null, T0).orElseThrow());

    assertThat(every10s.update(running, T0.minusSeconds(60), "RUNNING", null, T0.plusSeconds(30))).isEmpty();
  }

  @Test
  void aFieldThatDisappearedCountsAsAChange() {
    JsonNode queued = written(every10s.update(null, T0.minusSeconds(60), "IN_QUEUE", new Progress("IN_QUEUE", 0, null, null), T0).orElseThrow());

    assertThat(every10s.update(queued, T0.minusSeconds(60), "IN_QUEUE", Progress.of("IN_QUEUE"), T0.plusSeconds(11))).hasValueSatisfying(v -> assertThat(v).doesNotContainKey("queuePosition"));
  }

  @Test
  void nothingIsWrittenBeforeTheJobHasWaitedOneInterval() {
    Progress queued = new Progress("IN_QUEUE", 2, null, null);

    assertThat(every10s.update(null, T0, "IN_QUEUE", queued, T0.plusSeconds(9))).isEmpty();
    assertThat(every10s.update(null, T0, "IN_QUEUE", queued, T0.plusSeconds(10))).isPresent();
  }

  @Test
  void switchedOffItWritesNothing() {
    assertThat(new ProgressVariable(false, Duration.ofSeconds(10)).update(null, T0.minusSeconds(60), "IN_QUEUE", Progress.of("IN_QUEUE"), T0)).isEmpty();
  }
}
