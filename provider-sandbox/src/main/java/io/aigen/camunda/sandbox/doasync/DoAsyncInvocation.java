package io.aigen.camunda.sandbox.doasync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One async invocation of a fal model through DigitalOcean. {@code QUEUED} while its timeline is
 * queued, {@code IN_PROGRESS} while it runs, then {@code COMPLETED} with {@code output} or {@code
 * FAILED} with {@code error}.
 *
 * @param output the model output; {@code null} when the invocation fails
 * @param failure the {@code error} of a failed invocation; {@code null} when it succeeds
 */
record DoAsyncInvocation(
    String id,
    String modelId,
    JobTimeline timeline,
    JsonNode output,
    String failure,
    AtomicInteger rateLimitedPollsLeft,
    int retryAfterSeconds) {

  static final String COMPLETED = "COMPLETED";

  String status(Instant now) {
    return switch (timeline.phaseAt(now)) {
      case QUEUED -> "QUEUED";
      case RUNNING -> "IN_PROGRESS";
      case DONE -> failure == null ? COMPLETED : "FAILED";
    };
  }

  /** The object that submit and {@code GET /v1/async-invoke/{id}} answer. */
  ObjectNode body(Instant now) {
    JobTimeline.Phase phase = timeline.phaseAt(now);
    boolean done = phase == JobTimeline.Phase.DONE;
    ObjectNode body = Json.object()
        .put("request_id", id)
        .put("status", status(now))
        .put("model_id", modelId)
        .put("created_at", timeline.submittedAt().toString())
        .put("started_at", phase == JobTimeline.Phase.QUEUED ? null : timeline.startsAt().toString())
        .put("completed_at", done ? timeline.completesAt().toString() : null);
    body.set("output", done && failure == null ? output : null);
    return body.put("error", done ? failure : null);
  }

  /** Whether this poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }
}
