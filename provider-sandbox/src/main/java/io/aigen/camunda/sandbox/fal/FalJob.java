package io.aigen.camunda.sandbox.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One request in the simulated fal queue. Its state at any instant follows from its timeline. */
final class FalJob {

  private static final AtomicLong SUBMISSIONS = new AtomicLong();

  /** The job as seen at one instant. {@code failure} is set only when {@code phase} is DONE. */
  record View(Instant at, JobTimeline.Phase phase, FalFailure failure, JobTimeline timeline, double progress) {}

  final String id;
  final String appId;
  /** Submission order, to compute queue positions. */
  final long sequence = SUBMISSIONS.incrementAndGet();
  /** Where fal delivers the completion webhook ({@code fal_webhook}); {@code null} if none. */
  final String webhookUrl;
  final SandboxDirectives.CallbackKnobs callbackKnobs;
  /** Set once the completion webhook has been handed to the sender. */
  final AtomicBoolean webhookSent = new AtomicBoolean();
  final FalWebhookKnobs webhookKnobs;
  /** Model output for the result endpoint; {@code null} when the job fails. */
  final JsonNode output;

  private final JobTimeline timeline;
  private final FalFailure failure;
  private final int steps;
  private final AtomicInteger rateLimitedPollsLeft;
  private final int retryAfterSeconds;
  private Instant cancelledAt;

  FalJob(
      String id,
      String appId,
      String webhookUrl,
      JobTimeline timeline,
      JsonNode output,
      FalFailure failure,
      int steps,
      SandboxDirectives directives,
      FalWebhookKnobs webhookKnobs) {
    this.webhookKnobs = webhookKnobs;
    this.id = id;
    this.appId = appId;
    this.webhookUrl = webhookUrl;
    this.timeline = timeline;
    this.output = output;
    this.failure = failure;
    this.steps = steps;
    this.rateLimitedPollsLeft = new AtomicInteger(directives.rateLimitPolls());
    this.retryAfterSeconds = directives.retryAfterSeconds();
    this.callbackKnobs = directives.callbacks();
  }

  synchronized View at(Instant now) {
    JobTimeline effective = cancelledAt == null ? timeline : timeline.endingAt(cancelledAt);
    JobTimeline.Phase phase = effective.phaseAt(now);
    FalFailure outcome = null;
    if (phase == JobTimeline.Phase.DONE) {
      outcome = cancelledAt != null ? FalFailure.cancelled() : failure;
    }
    Instant end = now.isBefore(effective.completesAt()) ? now : effective.completesAt();
    return new View(now, phase, outcome, effective, timeline.progressAt(end));
  }

  /** Cancels the job unless it is already done; returns the phase it was in. */
  synchronized JobTimeline.Phase cancel(Instant now) {
    JobTimeline.Phase phase = at(now).phase();
    if (phase != JobTimeline.Phase.DONE) {
      cancelledAt = now;
    }
    return phase;
  }

  /** Whether this status poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Log lines a runner would have printed by then, as fal's {@code RequestLog} items. */
  ArrayNode logs(View view) {
    ArrayNode logs = Json.array();
    if (view.phase() == JobTimeline.Phase.QUEUED || view.timeline().runTime().isZero()) {
      return logs;
    }
    logs.add(log("Running " + appId, "INFO", timeline.startsAt()));
    int stepsDone = (int) Math.floor(view.progress() * steps);
    Duration perStep = timeline.runTime().dividedBy(steps);
    for (int step = 1; step <= stepsDone; step++) {
      logs.add(log("Step " + step + "/" + steps, "INFO", timeline.startsAt().plus(perStep.multipliedBy(step))));
    }
    if (view.failure() != null) {
      logs.add(log(view.failure().message(), "ERROR", view.timeline().completesAt()));
    }
    return logs;
  }

  private static JsonNode log(String message, String level, Instant timestamp) {
    return Json.object()
        .put("message", message)
        .put("level", level)
        .put("source", "USER")
        .put("timestamp", timestamp.toString());
  }
}
