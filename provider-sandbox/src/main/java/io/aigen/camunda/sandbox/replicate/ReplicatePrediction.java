package io.aigen.camunda.sandbox.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Replicate prediction (docs/providers.md §2.3, §2.4). Its status at any instant follows from its
 * timeline, its {@code Cancel-After} deadline and a cancel, if any.
 */
final class ReplicatePrediction {

  enum Status {
    STARTING,
    PROCESSING,
    SUCCEEDED,
    FAILED,
    CANCELED,
    ABORTED;

    final String word = name().toLowerCase(Locale.ROOT);

    boolean terminal() {
      return ordinal() >= SUCCEEDED.ordinal();
    }
  }

  /**
   * The prediction at one instant.
   *
   * @param startedAt when it began processing; {@code null} if it has not (or never will)
   * @param completedAt when it ended; {@code null} until it is terminal
   */
  record View(Status status, Instant startedAt, Instant completedAt) {}

  final String id;
  final ReplicateTarget target;
  final JsonNode input;
  /** Where webhooks go ({@code webhook}) and which events ({@code webhook_events_filter}). */
  final String webhook;
  final List<String> webhookEventsFilter;
  final SandboxDirectives.CallbackKnobs callbackKnobs;
  /** The webhook events already handed to the sender. */
  final Set<String> webhookEventsSent = ConcurrentHashMap.newKeySet();

  private final JobTimeline timeline;
  /** {@code Cancel-After}: when the prediction is stopped if still going; {@code null} if none. */
  private final Instant deadline;
  private final JsonNode output;
  private final String error;
  private final AtomicInteger rateLimitedPollsLeft;
  private final int retryAfterSeconds;
  private Instant canceledAt;

  ReplicatePrediction(
      String id,
      ReplicateTarget target,
      JsonNode input,
      String webhook,
      List<String> webhookEventsFilter,
      JobTimeline timeline,
      Instant deadline,
      JsonNode output,
      String error,
      SandboxDirectives directives) {
    this.id = id;
    this.target = target;
    this.input = input;
    this.webhook = webhook;
    this.webhookEventsFilter = List.copyOf(webhookEventsFilter);
    this.timeline = timeline;
    this.deadline = deadline;
    this.output = output;
    this.error = error;
    this.rateLimitedPollsLeft = new AtomicInteger(directives.rateLimitPolls());
    this.retryAfterSeconds = directives.retryAfterSeconds();
    this.callbackKnobs = directives.callbacks();
  }

  Instant createdAt() {
    return timeline.submittedAt();
  }

  synchronized View at(Instant now) {
    Instant stop = stop();
    JobTimeline effective = timeline;
    Status outcome = error != null ? Status.FAILED : Status.SUCCEEDED;
    boolean started = true;
    if (stop != null) {
      effective = timeline.endingAt(stop);
      started = stop.isAfter(timeline.startsAt());
      outcome = stop.equals(deadline) && !started ? Status.ABORTED : Status.CANCELED;
    }
    return switch (effective.phaseAt(now)) {
      case QUEUED -> new View(Status.STARTING, null, null);
      case RUNNING -> new View(Status.PROCESSING, timeline.startsAt(), null);
      case DONE -> new View(outcome, started ? timeline.startsAt() : null, effective.completesAt());
    };
  }

  /** When the status next changes after {@code now}; {@code null} once terminal. */
  synchronized Instant nextChange(Instant now) {
    Instant stop = stop();
    return (stop == null ? timeline : timeline.endingAt(stop)).nextChangeAfter(now);
  }

  /** When a cancel or the deadline cut the prediction short; {@code null} if nothing does. */
  private Instant stop() {
    Instant stop = earlier(canceledAt, deadline);
    return stop != null && stop.isBefore(timeline.completesAt()) ? stop : null;
  }

  /** Cancels the prediction unless it is already terminal. */
  synchronized void cancel(Instant now) {
    if (!at(now).status().terminal()) {
      canceledAt = now;
    }
  }

  /** Whether this status poll must be answered 429 (the first N polls, per {@code sandbox.rateLimitPolls}). */
  boolean takeRateLimitedPoll() {
    return rateLimitedPollsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The prediction object of §2.3; {@code apiUrl} is the sandbox's {@code https://api.replicate.com/v1}. */
  ObjectNode json(View view, String apiUrl) {
    ObjectNode body = Json.object()
        .put("id", id)
        .put("model", target.model())
        .put("version", target.version());
    body.set("input", input);
    body.set("output", view.status() == Status.SUCCEEDED ? output : null);
    body.put("logs", logs(view));
    body.put("error", view.status() == Status.FAILED ? error : null);
    body.put("status", view.status().word);
    body.put("data_removed", false);
    body.put("created_at", createdAt().toString());
    body.put("started_at", text(view.startedAt()));
    body.put("completed_at", text(view.completedAt()));
    body.put("deadline", text(deadline));
    body.put("deployment", target.deployment());
    String url = apiUrl + "/predictions/" + id;
    body.putObject("urls")
        .put("get", url)
        .put("cancel", url + "/cancel")
        .put("web", webUrl(apiUrl));
    if (view.completedAt() != null) {
      ObjectNode metrics = body.putObject("metrics");
      if (view.startedAt() != null) {
        metrics.put("predict_time", seconds(view.startedAt(), view.completedAt()));
      }
      metrics.put("total_time", seconds(createdAt(), view.completedAt()));
    }
    return body;
  }

  /** {@code urls.web}: the sandbox's stand-in for {@code https://replicate.com/p/<id>}. */
  String webUrl(String apiUrl) {
    return apiUrl + "/p/" + id;
  }

  private String logs(View view) {
    if (view.startedAt() == null) {
      return "";
    }
    StringBuilder logs = new StringBuilder("Running " + target.model() + "\n");
    switch (view.status()) {
      case SUCCEEDED -> logs.append("Prediction succeeded\n");
      case FAILED -> logs.append("Error: ").append(error).append('\n');
      case CANCELED -> logs.append("Prediction canceled\n");
      default -> { }
    }
    return logs.toString();
  }

  private static Instant earlier(Instant a, Instant b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.isBefore(b) ? a : b;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
