package io.aigen.camunda.sandbox.unified;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One task of the simulated unified task API. Its status at any instant follows from its timeline;
 * tasks cannot be cancelled.
 */
final class UnifiedTask {

  enum Status {
    QUEUED("queued"),
    IN_PROGRESS("in_progress"),
    COMPLETED("completed"),
    FAILED("failed");

    final String word;

    Status(String word) {
      this.word = word;
    }
  }

  final String id;
  final String model;
  /** Where status changes are posted; {@code null} if none. */
  final String callbackUrl;
  final SandboxDirectives.CallbackKnobs callbackKnobs;
  /** The statuses already handed to the callback sender. */
  final Set<Status> callbacksSent = ConcurrentHashMap.newKeySet();
  /** Result URLs; empty when the task fails. */
  final List<String> outputs;
  /** The {@code error} of the failed task, a string or a {@code {code,message}} object; {@code null} = it succeeds. */
  final JsonNode error;

  private final JobTimeline timeline;
  private final AtomicInteger rateLimitedPollsLeft;
  private final int retryAfterSeconds;

  UnifiedTask(
      String id,
      String model,
      String callbackUrl,
      JobTimeline timeline,
      List<String> outputs,
      JsonNode error,
      SandboxDirectives directives) {
    this.id = id;
    this.model = model;
    this.callbackUrl = callbackUrl;
    this.timeline = timeline;
    this.outputs = List.copyOf(outputs);
    this.error = error;
    this.rateLimitedPollsLeft = new AtomicInteger(directives.rateLimitPolls());
    this.retryAfterSeconds = directives.retryAfterSeconds();
    this.callbackKnobs = directives.callbacks();
  }

  Status statusAt(Instant now) {
    return switch (timeline.phaseAt(now)) {
      case QUEUED -> Status.QUEUED;
      case RUNNING -> Status.IN_PROGRESS;
      case DONE -> error == null ? Status.COMPLETED : Status.FAILED;
    };
  }

  /** When the status next changes after {@code now}; {@code null} once over. */
  Instant nextChange(Instant now) {
    return timeline.nextChangeAfter(now);
  }

  /** When it becomes {@code in_progress}; {@code null} if it never is (a zero-length job). */
  Instant inProgressSince() {
    return timeline.runningSince();
  }

  /** Unix seconds of the submission. */
  long createdAt() {
    return timeline.submittedAt().getEpochSecond();
  }

  /** Unix seconds of the end, completed or failed. */
  long completedAt() {
    return timeline.completesAt().getEpochSecond();
  }

  /** Whether this poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
