package io.aigen.camunda.connector.job;

import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.spec.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of waiting for a job: poll once, then say whether it is done or when to look again.
 * Nothing waits here; the engine schedules the next step. Failures end the wait by throwing {@link
 * GenerationFailure}.
 */
public final class WaitStep {

  private static final Logger LOG = LoggerFactory.getLogger(WaitStep.class);

  /** What the step found. */
  public sealed interface Outcome {}

  public record Done(GenerationResult result) implements Outcome {}

  /** Not finished: look again after {@code delay} with the updated handle. */
  public record Pending(JobHandle handle, Duration delay, String providerStatus) implements Outcome {}

  private final GenerationClient client;
  private final Timing timing;
  private final Clock clock;

  public WaitStep(GenerationClient client, Timing timing, Clock clock) {
    this.client = client;
    this.timing = timing;
    this.clock = clock;
  }

  public Outcome step(JobHandle handle) {
    Instant deadline = handle.submittedAt().plus(timing.maxDuration());
    if (!clock.instant().isBefore(deadline)) {
      throw timedOut(handle);
    }
    JobStatus status;
    try {
      status = client.poll(handle);
    } catch (ProviderUnavailable unavailable) {
      JobHandle next = handle.afterPoll(false);
      LOG.debug("{} job {}: provider unavailable ({}), poll {}", handle.provider(), handle.jobId(), unavailable.getMessage(), next.polls());
      return later(next, next.failedPolls(), unavailable.retryAfter(), deadline, "UNAVAILABLE");
    }
    JobHandle next = handle.afterPoll(true);
    return switch (status.phase()) {
      case RUNNING -> {
        LOG.debug("{} job {}: {} after poll {}", handle.provider(), handle.jobId(), status.providerStatus(), next.polls());
        yield later(next, next.polls() - 1, null, deadline, status.providerStatus());
      }
      case SUCCEEDED -> {
        try {
          yield new Done(client.result(next, status));
        } catch (ProviderUnavailable unavailable) {
          // the job is paid for and finished: a passing outage of the result URL must not lose it
          yield later(next, next.polls() - 1, unavailable.retryAfter(), deadline, "RESULT_UNAVAILABLE");
        }
      }
      case OUTCOME_UNKNOWN -> new Done(client.unknownOutcome(next, status));
      case FAILED ->
          throw status.contentFiltered()
              ? new GenerationFailure(
                  ErrorCode.AI_CONTENT_FILTERED,
                  "The " + handle.provider() + " job " + handle.jobId() + " was stopped by the provider's content filter: " + status.error())
              : new GenerationFailure(
                  ErrorCode.AI_GENERATION_FAILED, "The " + handle.provider() + " job " + handle.jobId() + " failed: " + status.error());
      case CANCELLED ->
          throw new GenerationFailure(
              ErrorCode.AI_GENERATION_CANCELLED, "The " + handle.provider() + " job " + handle.jobId() + " was cancelled (status '" + status.providerStatus() + "').");
    };
  }

  private GenerationFailure timedOut(JobHandle handle) {
    String cancelled;
    try {
      CancelReport report = client.cancel(handle);
      cancelled = report.accepted() ? "it was cancelled at the provider (" + report.providerAnswer() + ")" : "cancel answered " + report.providerAnswer();
    } catch (RuntimeException e) {
      cancelled = "cancelling it failed: " + e.getMessage();
    }
    return new GenerationFailure(
        ErrorCode.AI_GENERATION_TIMEOUT,
        "The " + handle.provider() + " job " + handle.jobId() + " did not finish within " + timing.maxDuration() + "; " + cancelled + ".");
  }

  /**
   * Look again after the poll delay. It never runs past the deadline, so a timeout is noticed on
   * time; a provider's {@code Retry-After} still wins.
   */
  private Pending later(JobHandle next, int attempt, Duration retryAfter, Instant deadline, String providerStatus) {
    Duration delay = PollDelay.next(timing, attempt, retryAfter);
    if (retryAfter == null) {
      Duration left = Duration.between(clock.instant(), deadline);
      delay = delay.compareTo(left) > 0 ? (left.isNegative() ? Duration.ZERO : left) : delay;
    }
    return new Pending(next, delay, providerStatus);
  }
}
