package io.aigen.camunda.sandbox.stability;

import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import io.aigen.camunda.sandbox.media.FakeMedia;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One image-to-video generation. In progress until its timeline is done, then a result with a
 * {@code finish_reason}: {@code SUCCESS}, or {@code ERROR} / {@code CONTENT_FILTERED} when a
 * failure was asked for (both still arrive as HTTP 200, with a placeholder clip).
 *
 * @param apiKey the key that created it; the result is 404 for any other key
 */
record StabilityVideoJob(
    String id,
    String apiKey,
    long seed,
    String finishReason,
    byte[] video,
    JobTimeline timeline,
    AtomicInteger rateLimitedPollsLeft,
    int retryAfterSeconds) {

  static final String SUCCESS = "SUCCESS";
  static final String ERROR = "ERROR";
  static final String CONTENT_FILTERED = "CONTENT_FILTERED";

  static StabilityVideoJob plan(
      String id, String apiKey, long seed, String imageName, JobTimeline timeline, SandboxDirectives directives) {
    String finishReason = directives.fail() == null
        ? SUCCESS
        : directives.failType().equals(CONTENT_FILTERED) ? CONTENT_FILTERED : ERROR;
    String text = finishReason.equals(SUCCESS)
        ? "Stability image-to-video " + id + " from " + imageName + ", seed " + seed
        : finishReason + ": " + directives.fail();
    return new StabilityVideoJob(
        id, apiKey, seed, finishReason, FakeMedia.mp4(text), timeline,
        new AtomicInteger(directives.rateLimitPolls()), directives.retryAfterSeconds());
  }

  boolean isDone(Instant now) {
    return timeline.phaseAt(now) == JobTimeline.Phase.DONE;
  }

  /** Whether this result poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }
}
