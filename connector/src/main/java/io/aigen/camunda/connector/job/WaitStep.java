package io.aigen.camunda.connector.job;

import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.spec.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of waiting for a job: poll once, then say whether it is done or when to look again.
 * Nothing waits here and nothing is remembered: the engine schedules the next step, and {@link
 * PollSchedule} derives everything else from the time since submission. Failures end the wait by
 * throwing {@link GenerationFailure}.
 */
public final class WaitStep {

  private static final Logger LOG = LoggerFactory.getLogger(WaitStep.class);

  /** What the step found. */
  public sealed interface Outcome {}

  public record Done(GenerationResult result) implements Outcome {}

  /**
   * Not finished: look again {@code delay} after {@code from}.
   *
   * @param from when this step began, so the time the poll took does not stretch the schedule; or,
   *     after a {@code Retry-After}, when the provider said it
   * @param progress what the provider said this time, or {@code null} when it was not asked (the
   *     first poll is not due yet)
   * @param unknownStatus a status word the provider's spec does not list, which this step took as
   *     running (the wait goes on until the max duration); {@code null} normally
   * @param providerWait whether the delay is the provider's {@code Retry-After}: the next poll must
   *     then not come sooner, on any runtime
   */
  public record Pending(JobHandle handle, Instant from, Duration delay, Progress progress, String unknownStatus, boolean providerWait)
      implements Outcome {
    public Pending(JobHandle handle, Instant from, Duration delay, Progress progress) {
      this(handle, from, delay, progress, null, false);
    }

    public String providerStatus() {
      return progress == null ? "SUBMITTED" : progress.status();
    }
  }

  private final GenerationClient client;
  private final Timing timing;
  private final EnginePace pace;
  private final Clock clock;
  private final boolean keepOutputs;

  /** @param keepOutputs copy the outputs into the result store before the wait ends */
  public WaitStep(GenerationClient client, Timing timing, EnginePace pace, Clock clock, boolean keepOutputs) {
    this.client = client;
    this.timing = timing;
    this.pace = pace;
    this.clock = clock;
    this.keepOutputs = keepOutputs;
  }

  public WaitStep(GenerationClient client, Timing timing, EnginePace pace, Clock clock) {
    this(client, timing, pace, clock, false);
  }

  /** The wait right after submitting {@code handle}: until its first poll is due. */
  public Pending afterSubmit(JobHandle handle) {
    return waitUntilTheFirstPoll(handle, clock.instant());
  }

  public Outcome step(JobHandle handle) {
    PollSchedule schedule = schedule(handle);
    Instant now = clock.instant();
    if (!now.isBefore(schedule.deadline(handle.submittedAt()))) {
      if (keepOutputs) {
        // a finished job whose copies were being retried ends with its result, not a timeout
        Done finished = finishedAtTheDeadline(handle, schedule, now);
        if (finished != null) {
          return finished;
        }
      }
      throw timedOut(handle);
    }
    if (schedule.tooEarly(handle.submittedAt(), now)) {
      return waitUntilTheFirstPoll(handle, now);
    }
    int polls = schedule.pollsBy(Duration.between(handle.submittedAt(), now));
    JobStatus status;
    try {
      status = client.poll(handle);
    } catch (ProviderUnavailable unavailable) {
      LOG.debug("{} job {}: provider unavailable ({}), poll {}", handle.provider(), handle.jobId(), unavailable.getMessage(), polls);
      return later(handle, now, unavailable.retryAfter(), Progress.of("UNAVAILABLE"));
    }
    return switch (status.phase()) {
      case RUNNING -> {
        LOG.debug("{} job {}: {} at poll {}", handle.provider(), handle.jobId(), status.providerStatus(), polls);
        Pending next = later(handle, now, null, status.progress());
        yield status.unknownStatus() == null ? next : new Pending(next.handle(), next.from(), next.delay(), next.progress(), status.unknownStatus(), false);
      }
      case SUCCEEDED -> {
        GenerationResult result;
        try {
          result = client.result(handle, status, polls);
        } catch (ProviderUnavailable unavailable) {
          // the job is paid for and finished: a passing outage of the result URL must not lose it
          yield later(handle, now, unavailable.retryAfter(), Progress.of("RESULT_UNAVAILABLE"));
        }
        yield keepOutputs ? kept(handle, now, result) : new Done(result);
      }
      case OUTCOME_UNKNOWN -> new Done(client.unknownOutcome(handle, status, polls));
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

  /**
   * The result with its outputs copied; or, when a copy failed for a passing reason, the next
   * attempt on the poll schedule. The attempt whose successor would fall on the deadline is the
   * last: what it cannot copy becomes a warning, so the result is never lost to a timeout.
   */
  private Outcome kept(JobHandle handle, Instant now, GenerationResult result) {
    Pending retry = later(handle, now, null, Progress.of("KEEPING_OUTPUTS"));
    boolean last = !retry.from().plus(retry.delay()).isBefore(schedule(handle).deadline(handle.submittedAt()));
    try {
      return new Done(client.keepOutputs(result, last));
    } catch (ProviderUnavailable unavailable) {
      LOG.debug("{} job {}: keeping its outputs failed ({}); trying again in {}", handle.provider(), handle.jobId(), unavailable.getMessage(), retry.delay());
      return retry;
    }
  }

  /** The result, outputs kept as far as they can be, when the job turns out finished; else {@code null}. */
  private Done finishedAtTheDeadline(JobHandle handle, PollSchedule schedule, Instant now) {
    try {
      JobStatus status = client.poll(handle);
      if (status.phase() != Phase.SUCCEEDED) {
        return null;
      }
      GenerationResult result = client.result(handle, status, schedule.pollsBy(Duration.between(handle.submittedAt(), now)));
      return new Done(client.keepOutputs(result, true));
    } catch (ProviderUnavailable unavailable) {
      return null;
    }
  }

  private PollSchedule schedule(JobHandle handle) {
    return new PollSchedule(timing, handle.expectedDuration());
  }

  private GenerationFailure timedOut(JobHandle handle) {
    String cancelled;
    try {
      CancelReport report = client.cancel(handle);
      cancelled = report.describe();
    } catch (RuntimeException e) {
      cancelled = "cancelling it failed: " + e.getMessage();
    }
    return new GenerationFailure(
        ErrorCode.AI_GENERATION_TIMEOUT,
        "The " + handle.provider() + " job " + handle.jobId() + " did not finish within " + timing.maxDuration() + "; " + cancelled + ".");
  }

  private Pending waitUntilTheFirstPoll(JobHandle handle, Instant now) {
    return new Pending(handle, now, schedule(handle).nextDelay(handle.submittedAt(), now, null, pace.stretch()), null);
  }

  /** The next poll, {@code delay} after this one began, or after the provider's {@code Retry-After}. */
  private Pending later(JobHandle handle, Instant started, Duration retryAfter, Progress progress) {
    Instant from = retryAfter == null ? started : clock.instant();
    return new Pending(handle, from, schedule(handle).nextDelay(handle.submittedAt(), from, retryAfter, pace.stretch()), progress, null, retryAfter != null);
  }
}
