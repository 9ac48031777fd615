package io.aigen.camunda.connector.job;

import io.aigen.camunda.connector.job.EnginePace;
import static io.aigen.camunda.connector.support.FalFixture.APP_PATH;
import static io.aigen.camunda.connector.support.FalFixture.json;
import static io.aigen.camunda.connector.support.FalFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Timing;
import io.aigen.camunda.connector.support.FalFixture;
import io.aigen.camunda.connector.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WaitStepTest {

  private static final String IN_PROGRESS = "{\"status\":\"IN_PROGRESS\",\"logs\":[]}";

  private MockWebServer server;
  private MutableClock clock;
  private PollSpec spec;
  private GenerationClient client;
  private JobHandle handle;

  @BeforeEach
  void start() throws Exception {
    server = FalFixture.server();
    clock = MutableClock.at("2026-08-01T10:00:00Z");
    spec = FalFixture.specWithoutJitter(server);
    client = FalFixture.client(spec, clock);
    server.enqueue(json(200, FalFixture.submitAnswer(server)));
    handle = client.submit("fal-ai/flux/dev", parse("{\"prompt\":\"a cat\"}"), GenerationClient.SubmitExtras.NONE);
    server.takeRequest(1, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private WaitStep step(Timing timing) {
    return new WaitStep(client, timing, EnginePace.STEADY, clock);
  }

  @Test
  void pastMaxDurationCancelsAtFalAndThrowsTimeoutWithoutPollingAgain() throws Exception {
    server.enqueue(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}"));
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));

    assertThatThrownBy(() -> step(spec.timing()).step(handle))
        .isInstanceOfSatisfying(
            GenerationFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_TIMEOUT);
              assertThat(f.getMessage()).contains("PT10M").contains("cancellation was requested at the provider").contains("CANCELLATION_REQUESTED");
              assertThat(f.getMessage()).as("requested is not done").doesNotContain("was cancelled");
            });
    RecordedRequest cancel = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(cancel.getMethod()).isEqualTo("PUT");
    assertThat(cancel.getPath()).isEqualTo(APP_PATH + "/cancel");
    assertThat(server.getRequestCount()).as("submit + cancel, no status poll").isEqualTo(2);
  }

  @Test
  void exactlyAtTheDeadlineIsAlreadyATimeout() throws Exception {
    Timing oneMinute = spec.timing().withMaxDuration(Duration.ofMinutes(1));
    server.enqueue(json(200, "{\"status\":\"OK\"}"));
    clock.advance(Duration.ofMinutes(1));

    assertThatThrownBy(() -> step(oneMinute).step(handle))
        .isInstanceOfSatisfying(GenerationFailure.class, f -> {
          assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_TIMEOUT);
          assertThat(f.getMessage()).contains("it was cancelled at the provider (OK)");
        });
    assertThat(server.takeRequest(1, TimeUnit.SECONDS).getMethod()).isEqualTo("PUT");
  }

  @Test
  void timeoutIsStillRaisedWhenFalSaysAlreadyCompleted() {
    server.enqueue(json(400, "{\"status\":\"ALREADY_COMPLETED\"}"));
    clock.advance(Duration.ofHours(1));

    assertThatThrownBy(() -> step(spec.timing()).step(handle))
        .isInstanceOfSatisfying(
            GenerationFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_TIMEOUT);
              assertThat(f.getMessage()).contains("it was not cancelled").contains("ALREADY_COMPLETED");
            });
  }

  @Test
  void timeoutIsStillRaisedWhenTheCancelRequestItselfFails() {
    server.enqueue(json(503, "{\"detail\":\"unavailable\"}"));
    clock.advance(Duration.ofHours(1));

    assertThatThrownBy(() -> step(spec.timing()).step(handle))
        .isInstanceOfSatisfying(
            GenerationFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_TIMEOUT);
              assertThat(f.getMessage()).contains("cancelling it failed").contains("503");
            });
  }

  @Test
  void pendingDelayNeverExceedsTheTimeLeftToTheDeadline() {
    Timing timing = new Timing(Duration.ofSeconds(5), Timing.Backoff.FIXED, Duration.ofSeconds(5), 0.0, Duration.ofSeconds(60));
    server.enqueue(json(202, IN_PROGRESS));
    clock.advance(Duration.ofSeconds(58));

    WaitStep.Outcome outcome = step(timing).step(handle);

    assertThat(outcome).isInstanceOfSatisfying(WaitStep.Pending.class, p -> assertThat(p.delay()).isEqualTo(Duration.ofSeconds(2)));
  }

  @Test
  void pendingDelayWithJitterAndGrowthStaysWithinTheDeadlineOnEveryStep() {
    Timing timing = new Timing(Duration.ofSeconds(4), Timing.Backoff.EXPONENTIAL, Duration.ofSeconds(30), 0.5, Duration.ofSeconds(90));
    Instant deadline = handle.submittedAt().plus(timing.maxDuration());
    int polls = 0;
    while (clock.instant().isBefore(deadline)) {
      server.enqueue(json(202, IN_PROGRESS));
      WaitStep.Pending pending = (WaitStep.Pending) step(timing).step(handle);
      Duration left = Duration.between(clock.instant(), deadline);
      assertThat(pending.delay()).isLessThanOrEqualTo(left).isLessThanOrEqualTo(Duration.ofSeconds(45));
      assertThat(pending.handle()).as("the handle never changes").isEqualTo(handle);
      clock.advance(pending.delay().isZero() ? Duration.ofMillis(1) : pending.delay());
      polls += pending.progress() == null ? 0 : 1;
    }
    assertThat(polls).isGreaterThan(2);
  }

  @Test
  void falsExponentialDelaysGrowFromPollToPollAndStopAtMaxInterval() {
    // FalQueue: 3 s, exponential, capped at 15 s. The step follows from the time since submission.
    clock.toFirstPoll(spec.timing(), handle);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      server.enqueue(json(202, IN_PROGRESS));
      WaitStep.Pending pending = (WaitStep.Pending) step(spec.timing()).step(handle);
      delays.add(pending.delay());
      assertThat(pending.providerWait()).as("our own schedule").isFalse();
      clock.advance(pending.delay());
    }
    assertThat(delays).containsExactly(
        Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(12), Duration.ofSeconds(15), Duration.ofSeconds(15));
  }

  @Test
  void aLateActivationKeepsTheBackoffOfItsTimeInsteadOfStartingOver() {
    // submitted at 0; ideal polls at 3, 6, 12, 24 s; an activation at 30 s follows the fourth
    clock.advance(Duration.ofSeconds(30));
    server.enqueue(json(202, IN_PROGRESS));

    WaitStep.Pending pending = (WaitStep.Pending) step(spec.timing()).step(handle);

    assertThat(pending.delay()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aStepBeforeTheFirstPollIsDueSendsNothingAndWaitsTheRest() {
    // an await task right after its submit task
    clock.advance(Duration.ofSeconds(1));

    WaitStep.Pending pending = (WaitStep.Pending) step(spec.timing()).step(handle);

    assertThat(pending.delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(pending.progress()).isNull();
    assertThat(server.getRequestCount()).as("the submit only").isEqualTo(1);
  }

  @Test
  void theProvidersExpectedDurationPostponesTheFirstPollOfAnAwaitToo() {
    JobHandle expected = new JobHandle(
        handle.provider(), handle.jobId(), handle.model(), handle.parts(), handle.submittedAt(), null, Duration.ofSeconds(40));
    clock.advance(Duration.ofSeconds(5));

    WaitStep.Pending pending = (WaitStep.Pending) step(spec.timing()).step(expected);

    assertThat(pending.delay()).isEqualTo(Duration.ofSeconds(35));
    assertThat(server.getRequestCount()).as("the submit only").isEqualTo(1);
  }

  @Test
  void aSlowEngineStretchesTheDelayButNotPastTheDeadline() {
    Timing timing = new Timing(Duration.ofSeconds(5), Timing.Backoff.FIXED, Duration.ofSeconds(5), 0.0, Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(10));
    server.enqueue(json(202, IN_PROGRESS));
    server.enqueue(json(202, IN_PROGRESS));

    WaitStep.Pending stretched = (WaitStep.Pending) new WaitStep(client, timing, () -> 3.0, clock).step(handle);
    clock.advance(Duration.ofSeconds(45));
    WaitStep.Pending clipped = (WaitStep.Pending) new WaitStep(client, timing, () -> 3.0, clock).step(handle);

    assertThat(stretched.delay()).isEqualTo(Duration.ofSeconds(15));
    assertThat(clipped.delay()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void retryAfterIsHonouredAsGivenEvenWhenLongerThanTheInterval() {
    server.enqueue(json(429, "{\"detail\":\"slow down\"}").setHeader("Retry-After", "40"));
    clock.toFirstPoll(spec.timing(), handle);

    WaitStep.Pending pending = (WaitStep.Pending) step(spec.timing()).step(handle);

    assertThat(pending.delay()).isEqualTo(Duration.ofSeconds(40));
    assertThat(pending.providerWait()).as("the provider set the wait: no runtime may poll sooner").isTrue();
  }
}
