package io.aigen.camunda.sandbox.runway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Runway task (docs/providers.md §3.2). Held back ({@code THROTTLED}) for {@code
 * sandbox.throttledMs}, then {@code PENDING} and {@code RUNNING} per its timeline, unless it was
 * cancelled. A deleted task is gone.
 */
final class RunwayTask {

  static final String DEFAULT_FAILURE_CODE = "INTERNAL.BAD_OUTPUT.CODE01";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  enum Status {
    THROTTLED,
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    boolean inProgress() {
      return this == THROTTLED || this == PENDING || this == RUNNING;
    }
  }

  /** @param progress share of the running phase done, 0..1; meaningful while RUNNING */
  record View(Status status, double progress) {}

  final String id;
  final Instant createdAt;

  private final Instant throttledUntil;
  private final JobTimeline timeline;
  private final String outputUrl;
  private final String failure;
  private final String failureCode;
  private final AtomicInteger rateLimitedPollsLeft;
  private final int retryAfterSeconds;
  private Instant cancelledAt;
  private boolean deleted;

  /**
   * @param timeline from the moment the task leaves {@code THROTTLED}
   * @param failure {@code null} when the task succeeds with {@code outputUrl}
   */
  RunwayTask(
      String id,
      Instant createdAt,
      Instant throttledUntil,
      JobTimeline timeline,
      String outputUrl,
      String failure,
      String failureCode,
      SandboxDirectives directives) {
    this.id = id;
    this.createdAt = createdAt;
    this.throttledUntil = throttledUntil;
    this.timeline = timeline;
    this.outputUrl = outputUrl;
    this.failure = failure;
    this.failureCode = failureCode;
    this.rateLimitedPollsLeft = new AtomicInteger(directives.rateLimitPolls());
    this.retryAfterSeconds = directives.retryAfterSeconds();
  }

  synchronized View at(Instant now) {
    if (cancelledAt != null) {
      return new View(Status.CANCELLED, 0);
    }
    if (now.isBefore(throttledUntil)) {
      return new View(Status.THROTTLED, 0);
    }
    return switch (timeline.phaseAt(now)) {
      case QUEUED -> new View(Status.PENDING, 0);
      case RUNNING -> new View(Status.RUNNING, timeline.progressAt(now));
      case DONE -> new View(failure == null ? Status.SUCCEEDED : Status.FAILED, 1);
    };
  }

  /** {@code DELETE /v1/tasks/{id}}: cancels a task in progress, deletes any other (docs/providers.md §3.3). */
  synchronized void delete(Instant now) {
    if (at(now).status().inProgress()) {
      cancelledAt = now;
    } else {
      deleted = true;
    }
  }

  synchronized boolean deleted() {
    return deleted;
  }

  /** Whether this poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  ObjectNode json(View view) {
    ObjectNode body = Json.object()
        .put("id", id)
        .put("status", view.status().name())
        .put("createdAt", TIMESTAMP.format(createdAt));
    switch (view.status()) {
      case RUNNING -> body.put("progress", Math.round(view.progress() * 1000) / 1000.0);
      case SUCCEEDED -> body.set("output", Json.array().add(outputUrl));
      case FAILED -> body.put("failure", failure).put("failureCode", failureCode);
      default -> { }
    }
    return body;
  }
}
