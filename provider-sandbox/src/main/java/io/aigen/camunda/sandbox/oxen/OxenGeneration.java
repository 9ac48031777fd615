package io.aigen.camunda.sandbox.oxen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One generation in the simulated Oxen.ai queue; an enqueue with {@code num_generations} N makes N
 * of them. Its status at any instant follows from its timeline, its planned failure and whether it
 * was cancelled.
 */
final class OxenGeneration {

  private static final AtomicLong ENQUEUED = new AtomicLong();

  enum Status {
    QUEUED("queued"),
    PROCESSING("processing"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    final String word;

    Status(String word) {
      this.word = word;
    }

    boolean active() {
      return this == QUEUED || this == PROCESSING;
    }

    static Status ofWord(String word) {
      for (Status status : values()) {
        if (status.word.equals(word)) {
          return status;
        }
      }
      return null;
    }
  }

  /** The generation at one instant; {@code startedAt}/{@code completedAt} are {@code null} until then. */
  record View(Status status, Instant startedAt, Instant completedAt) {}

  final String id;
  final String model;
  /** {@code image} or {@code video}. */
  final String mediaType;
  final String namespace;
  /** The submitted model parameters (without {@code model}, {@code num_generations}, {@code sandbox}). */
  final ObjectNode params;
  /** Enqueue order, for listing. */
  final long sequence = ENQUEUED.incrementAndGet();
  /** The generated file's URL; {@code null} when the generation fails or nobody can download it. */
  final String resultUrl;
  /** Why the generation fails; {@code null} = it succeeds. */
  final String failure;

  private final JobTimeline timeline;
  private final AtomicInteger rateLimitedPollsLeft;
  private final int retryAfterSeconds;
  private Instant cancelledAt;

  OxenGeneration(
      String id,
      String model,
      String mediaType,
      String namespace,
      ObjectNode params,
      JobTimeline timeline,
      String resultUrl,
      String failure,
      SandboxDirectives directives) {
    this.id = id;
    this.model = model;
    this.mediaType = mediaType;
    this.namespace = namespace;
    this.params = params;
    this.timeline = timeline;
    this.resultUrl = resultUrl;
    this.failure = failure;
    this.rateLimitedPollsLeft = new AtomicInteger(directives.rateLimitPolls());
    this.retryAfterSeconds = directives.retryAfterSeconds();
  }

  /** Unix seconds of the enqueue. */
  long enqueuedAt() {
    return timeline.submittedAt().getEpochSecond();
  }

  synchronized View at(Instant now) {
    if (cancelledAt != null) {
      Instant started = timeline.startsAt().isAfter(cancelledAt) ? null : timeline.startsAt();
      return new View(Status.CANCELLED, started, cancelledAt);
    }
    return switch (timeline.phaseAt(now)) {
      case QUEUED -> new View(Status.QUEUED, null, null);
      case RUNNING -> new View(Status.PROCESSING, timeline.startsAt(), null);
      case DONE -> new View(
          failure == null ? Status.SUCCEEDED : Status.FAILED, timeline.startsAt(), timeline.completesAt());
    };
  }

  /** Cancels the generation if it is still active; returns whether it was. */
  synchronized boolean cancel(Instant now) {
    boolean active = at(now).status().active();
    if (active) {
      cancelledAt = now;
    }
    return active;
  }

  /** Whether this poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
