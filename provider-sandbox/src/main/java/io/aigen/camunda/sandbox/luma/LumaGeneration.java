package io.aigen.camunda.sandbox.luma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One Luma Dream Machine generation (docs/providers.md §4.3). Its state follows from its timeline. */
final class LumaGeneration {

  enum Type {
    VIDEO,
    IMAGE
  }

  final String id;
  final Type type;
  final String model;
  /** Where Luma POSTs the generation on each change ({@code callback_url}); {@code null} if none. */
  final String callbackUrl;
  final SandboxDirectives.CallbackKnobs callbackKnobs;
  /** The states already handed to the callback sender. */
  final Set<String> callbacksSent = ConcurrentHashMap.newKeySet();

  private final JsonNode request;
  private final JobTimeline timeline;
  private final String assetUrl;
  private final String failure;
  private final AtomicInteger rateLimitedPollsLeft;
  private final int retryAfterSeconds;
  private boolean deleted;

  /** @param failure {@code null} when the generation completes with {@code assetUrl} */
  LumaGeneration(
      String id,
      Type type,
      String model,
      String callbackUrl,
      JsonNode request,
      JobTimeline timeline,
      String assetUrl,
      String failure,
      SandboxDirectives directives) {
    this.id = id;
    this.type = type;
    this.model = model;
    this.callbackUrl = callbackUrl;
    this.request = request;
    this.timeline = timeline;
    this.assetUrl = assetUrl;
    this.failure = failure;
    this.rateLimitedPollsLeft = new AtomicInteger(directives.rateLimitPolls());
    this.retryAfterSeconds = directives.retryAfterSeconds();
    this.callbackKnobs = directives.callbacks();
  }

  String state(Instant now) {
    return switch (timeline.phaseAt(now)) {
      case QUEUED -> "queued";
      case RUNNING -> "dreaming";
      case DONE -> failure == null ? "completed" : "failed";
    };
  }

  /** When the state next changes after {@code now}; {@code null} once over. */
  Instant nextChange(Instant now) {
    return timeline.nextChangeAfter(now);
  }

  /** When it starts {@code dreaming}; {@code null} if it never does (a zero-length job). */
  Instant dreamingSince() {
    return timeline.runningSince();
  }

  /** {@code DELETE /generations/{id}}: the generation is gone, whatever its state. */
  synchronized void delete() {
    deleted = true;
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

  Instant submittedAt() {
    return timeline.submittedAt();
  }

  ObjectNode json(Instant now) {
    String state = state(now);
    ObjectNode body = Json.object()
        .put("id", id)
        .put("generation_type", type == Type.VIDEO ? "video" : "image")
        .put("state", state)
        .put("failure_reason", state.equals("failed") ? failure : null)
        .put("created_at", timeline.submittedAt().toString())
        .put("model", model);
    if (state.equals("completed")) {
      body.putObject("assets")
          .put("video", type == Type.VIDEO ? assetUrl : null)
          .put("image", type == Type.IMAGE ? assetUrl : null)
          .putNull("progress_video");
    } else {
      body.putNull("assets");
    }
    body.set("request", request);
    return body;
  }
}
