package io.aigen.camunda.sandbox.fal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.SubmitRejected;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a submit request into a planned {@link FalJob}: its timeline, and either its output or
 * its failure. Rejects what fal's queue itself would not accept.
 */
final class FalSubmission {

  static final String REQUEST_TIMEOUT_HEADER = "x-fal-request-timeout";


  private final SandboxOptions options;
  private final JobClock clock;
  private final MediaFiles mediaFiles;

  FalSubmission(SandboxOptions options, JobClock clock, MediaFiles mediaFiles) {
    this.options = options;
    this.clock = clock;
    this.mediaFiles = mediaFiles;
  }

  FalJob accept(String appId, SandboxRequest request) throws SubmitRejected {
    JsonNode input = parseInput(request.body());
    SandboxDirectives directives = directives(input);
    if (directives.rejectsSubmit()) {
      throw new SubmitRejected(FalErrors.forcedSubmitError(directives.submitStatus(), directives.retryAfterSeconds()));
    }
    Optional<Duration> startTimeout = startTimeout(request.header(REQUEST_TIMEOUT_HEADER));
    String webhook = request.queryParam("fal_webhook").filter(url -> !url.isBlank()).orElse(null);
    return plan(appId, input, directives, startTimeout, webhook);
  }

  private FalJob plan(
      String appId, JsonNode input, SandboxDirectives directives, Optional<Duration> startTimeout, String webhook) throws SubmitRejected {
    FalWebhookKnobs webhookKnobs;
    try {
      webhookKnobs = FalWebhookKnobs.from(input);
    } catch (SandboxDirectives.InvalidDirective e) {
      throw new SubmitRejected(FalErrors.validation(List.of("body", SandboxDirectives.FIELD, e.field), e.getMessage(), "value_error"));
    }
    String id = UUID.randomUUID().toString();
    Instant now = clock.now();
    JobTimeline timeline = JobTimeline.of(now, directives.duration(options.defaultJobDuration()));
    JsonNode output = null;
    FalFailure failure = null;
    int steps = FalModelInput.DEFAULT_STEPS;
    try {
      FalModelInput model = FalModelInput.parse(input);
      steps = model.steps();
      if (directives.fail() != null) {
        failure = FalFailure.of(directives.fail(), directives.failType());
      } else {
        output = imageOutput(id, model, timeline);
      }
    } catch (FalModelInput.InvalidInput e) {
      failure = FalFailure.invalidInput(e.field, e.getMessage());
      // A runner rejects bad input as soon as it picks the request up.
      timeline = timeline.endingAt(timeline.startsAt());
    }
    Optional<Instant> deadline = startTimeout.map(now::plus);
    if (deadline.isPresent() && deadline.get().isBefore(timeline.startsAt())) {
      timeline = timeline.endingAt(deadline.get());
      failure = FalFailure.startDeadlineExceeded();
      output = null;
    }
    return new FalJob(id, appId, webhook, timeline, output, failure, steps, directives, webhookKnobs);
  }

  private JsonNode imageOutput(String id, FalModelInput model, JobTimeline timeline) {
    ArrayNode images = Json.array();
    ArrayNode nsfw = Json.array();
    for (int i = 0; i < model.numImages(); i++) {
      MediaFiles.ImageSpec spec = new MediaFiles.ImageSpec(model.prompt(), model.width(), model.height(), i);
      images.add(Json.object()
          .put("url", mediaFiles.addImage(id + "-" + i + ".png", spec))
          .put("content_type", "image/png")
          .put("width", model.width())
          .put("height", model.height()));
      nsfw.add(false);
    }
    ObjectNode output = Json.object();
    output.set("images", images);
    output.set("timings", Json.object().put("inference", timeline.runSeconds()));
    output.put("seed", model.seed());
    output.set("has_nsfw_concepts", nsfw);
    output.put("prompt", model.prompt());
    return output;
  }

  private static JsonNode parseInput(byte[] body) throws SubmitRejected {
    JsonNode input;
    try {
      input = Json.parse(body);
    } catch (JsonProcessingException e) {
      throw invalidBody(jsonDecodeMessage(e), "value_error.jsondecode");
    }
    if (input.isMissingNode()) {
      throw invalidBody("field required", "value_error.missing");
    }
    if (!input.isObject()) {
      throw invalidBody("value is not a valid dict", "type_error.dict");
    }
    return input;
  }

  private static SandboxDirectives directives(JsonNode input) throws SubmitRejected {
    try {
      return SandboxDirectives.from(input, input.path("prompt").asText(""));
    } catch (SandboxDirectives.InvalidDirective e) {
      throw new SubmitRejected(
          FalErrors.validation(List.of("body", SandboxDirectives.FIELD, e.field), e.getMessage(), "value_error"));
    }
  }

  /** fal's start deadline: seconds the request may wait for a runner (docs/providers.md §1.2). */
  private static Optional<Duration> startTimeout(String header) throws SubmitRejected {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    double seconds;
    try {
      seconds = Double.parseDouble(header.trim());
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new SubmitRejected(FalErrors.detail(400, "Invalid " + REQUEST_TIMEOUT_HEADER + " header: expected seconds > 0"));
    }
    return Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
  }

  private static SubmitRejected invalidBody(String message, String type) {
    return new SubmitRejected(FalErrors.validation(List.of("body"), message, type));
  }

  private static String jsonDecodeMessage(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " (line " + at.getLineNr() + " column " + at.getColumnNr() + ")";
    return "Invalid JSON: " + e.getOriginalMessage() + where;
  }
}
