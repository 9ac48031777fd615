package io.aigen.camunda.sandbox.elevenlabs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import io.aigen.camunda.sandbox.media.FakeMedia;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One dubbing project. Its status follows from its timeline: {@code queued} while the timeline is
 * queued, {@code preparing} for the first half of the run, {@code dubbing} for the second, then
 * {@code dubbed} or {@code failed}.
 */
final class ElevenLabsDub {

  static final String DUBBED = "dubbed";
  static final String FAILED = "failed";

  /** ElevenLabs' {@code created_at}: UTC without offset, microseconds ({@code 2026-07-15T14:49:41.149000}). */
  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  final String id;
  final String name;
  final String sourceLanguage;
  final String targetLanguage;
  final String contentType;
  /** The failure {@code error}; {@code null} when the dub succeeds. */
  final String failure;

  private final JobTimeline timeline;
  private final AtomicInteger rateLimitedPollsLeft;
  private final int retryAfterSeconds;
  private final AtomicBoolean deleted = new AtomicBoolean();

  ElevenLabsDub(
      String id,
      String name,
      String sourceLanguage,
      String targetLanguage,
      String contentType,
      JobTimeline timeline,
      SandboxDirectives directives) {
    this.id = id;
    this.name = name;
    this.sourceLanguage = sourceLanguage;
    this.targetLanguage = targetLanguage;
    this.contentType = contentType;
    this.timeline = timeline;
    this.failure = directives.fail();
    this.rateLimitedPollsLeft = new AtomicInteger(directives.rateLimitPolls());
    this.retryAfterSeconds = directives.retryAfterSeconds();
  }

  String status(Instant now) {
    return switch (timeline.phaseAt(now)) {
      case QUEUED -> "queued";
      case RUNNING -> timeline.progressAt(now) < 0.5 ? "preparing" : "dubbing";
      case DONE -> failure == null ? DUBBED : FAILED;
    };
  }

  /** The whole job's length, which the sandbox also reports as the media's duration. */
  double durationSeconds() {
    return Duration.between(timeline.submittedAt(), timeline.completesAt()).toNanos() / 1e9;
  }

  /** {@code GET /v1/dubbing/{id}} */
  ObjectNode metadata(Instant now) {
    String status = status(now);
    ObjectNode body = Json.object()
        .put("dubbing_id", id)
        .put("name", name)
        .put("status", status)
        .put("source_language", sourceLanguage);
    body.putArray("target_languages").add(targetLanguage);
    body.put("editable", false).put("created_at", CREATED_AT.format(timeline.submittedAt()));
    body.putObject("media_metadata").put("content_type", contentType).put("duration", durationSeconds());
    return body.put("error", status.equals(FAILED) ? failure : null);
  }

  /** The dubbed track a client downloads from {@code /audio/{language}}. */
  byte[] audio() {
    return FakeMedia.mp3("ElevenLabs dub " + id + " (" + name + ") in " + targetLanguage);
  }

  /** Whether this status poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Marks the project deleted; {@code false} if it already was. */
  boolean delete() {
    return deleted.compareAndSet(false, true);
  }

  boolean isDeleted() {
    return deleted.get();
  }
}
