package io.aigen.camunda.sandbox.doasync;

import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code ratelimit-*} headers DigitalOcean puts on every answer: an hourly quota of {@link
 * #LIMIT} requests counted in fixed windows. The sandbox only reports the quota; it never refuses a
 * request for it ({@code sandbox.rateLimitPolls} does that).
 */
final class DoRateLimit {

  static final int LIMIT = 5000;
  static final Duration WINDOW = Duration.ofHours(1);

  private Instant windowStart;
  private int used;

  /** Counts one request at {@code now} and adds the headers; a 429 answer reports nothing remaining. */
  synchronized SandboxResponse count(SandboxResponse response, Instant now) {
    if (windowStart == null || !now.isBefore(windowStart.plus(WINDOW))) {
      windowStart = now;
      used = 0;
    }
    used++;
    int remaining = response.status() == 429 ? 0 : Math.max(0, LIMIT - used);
    return response
        .withHeader("ratelimit-limit", Integer.toString(LIMIT))
        .withHeader("ratelimit-remaining", Integer.toString(remaining))
        .withHeader("ratelimit-reset", Long.toString(windowStart.plus(WINDOW).getEpochSecond()));
  }
}
