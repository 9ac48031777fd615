package io.aigen.camunda.sandbox.replicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.SubmitRejected;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import io.aigen.camunda.sandbox.media.FakeMedia;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a create-prediction request (docs/providers.md §2.2) into a planned {@link ReplicatePrediction}.
 * Like Replicate, it checks the input when the prediction is created and answers 422 when the input
 * is invalid.
 */
final class ReplicateSubmission {

  static final String CANCEL_AFTER_HEADER = "Cancel-After";
  static final Set<String> WEBHOOK_EVENTS = Set.of("start", "output", "logs", "completed");
  /** Replicate's default: "whenever there are new outputs or the prediction has finished". */
  static final List<String> DEFAULT_WEBHOOK_EVENTS = List.of("output", "completed");
  static final int MAX_OUTPUTS = 4;
  static final int DEFAULT_SIZE = 1024;
  static final int MAX_SIZE = 4096;

  private static final List<String> AUDIO_HINTS = List.of("audio", "music", "speech", "tts", "voice");
  private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";


  private final SandboxOptions options;
  private final JobClock clock;
  private final MediaFiles mediaFiles;

  ReplicateSubmission(SandboxOptions options, JobClock clock, MediaFiles mediaFiles) {
    this.options = options;
    this.clock = clock;
    this.mediaFiles = mediaFiles;
  }

  /** @param routeTarget the model or deployment named by the path; {@code null} for {@code POST /predictions} */
  ReplicatePrediction accept(ReplicateTarget routeTarget, SandboxRequest request) throws SubmitRejected {
    JsonNode body = parseBody(request.body());
    ReplicateTarget target = routeTarget != null ? routeTarget : versionTarget(body.path("version"));
    JsonNode input = body.path("input");
    if (input.isMissingNode() || input.isNull()) {
      throw rejected(ReplicateErrors.invalidInput("input", "Input is required"));
    }
    if (!input.isObject()) {
      throw rejected(ReplicateErrors.invalidInput("input", "Input must be an object"));
    }
    SandboxDirectives directives = directives(input);
    if (directives.rejectsSubmit()) {
      throw rejected(ReplicateErrors.forcedSubmitError(directives.submitStatus(), directives.retryAfterSeconds()));
    }
    String webhook = webhook(body.path("webhook"));
    List<String> events = webhookEvents(body.path("webhook_events_filter"));
    Optional<Duration> cancelAfter = cancelAfter(request.header(CANCEL_AFTER_HEADER));

    String id = newId();
    Instant now = clock.now();
    JobTimeline timeline = JobTimeline.of(now, directives.duration(options.defaultJobDuration()));
    JsonNode output = planOutput(id, target, input, directives.fail() == null, directives.outputServing());
    return new ReplicatePrediction(id, target, input, webhook, events, timeline,
        cancelAfter.map(now::plus).orElse(null), output, directives.fail(), directives);
  }

  /**
   * The model's output, registered with the media files when the prediction will succeed: one video
   * URL for a model whose name says video, one audio URL for audio, speech or music models, else a
   * list of image URLs.
   */
  private JsonNode planOutput(String id, ReplicateTarget target, JsonNode input, boolean succeeds, MediaFiles.Serving serving) throws SubmitRejected {
    JsonNode promptNode = input.path("prompt");
    if (!promptNode.isMissingNode() && !promptNode.isNull() && !promptNode.isTextual()) {
      throw rejected(ReplicateErrors.invalidInput("prompt", "Invalid type. Expected: string"));
    }
    String prompt = promptNode.asText("");
    String model = target.model().toLowerCase(Locale.ROOT);
    if (model.contains("video")) {
      return succeeds ? TextNode.valueOf(mediaFiles.addFile(id + ".mp4", "video/mp4", FakeMedia.mp4(prompt), serving)) : null;
    }
    if (AUDIO_HINTS.stream().anyMatch(model::contains)) {
      return succeeds ? TextNode.valueOf(mediaFiles.addFile(id + ".mp3", "audio/mpeg", FakeMedia.mp3(prompt), serving)) : null;
    }
    int count = integer(input, "num_outputs", 1, 1, MAX_OUTPUTS);
    int width = integer(input, "width", DEFAULT_SIZE, 1, MAX_SIZE);
    int height = integer(input, "height", DEFAULT_SIZE, 1, MAX_SIZE);
    if (!succeeds) {
      return null;
    }
    ArrayNode urls = Json.array();
    for (int i = 0; i < count; i++) {
      urls.add(mediaFiles.addImage(id + "-" + i + ".png", new MediaFiles.ImageSpec(prompt, width, height, i), serving));
    }
    return urls;
  }

  private static JsonNode parseBody(byte[] bytes) throws SubmitRejected {
    JsonNode body;
    try {
      body = Json.parse(bytes);
    } catch (JsonProcessingException e) {
      throw rejected(ReplicateErrors.problem(400, "Invalid JSON", "The request body is not valid JSON: " + e.getOriginalMessage()));
    }
    if (!body.isObject()) {
      throw rejected(ReplicateErrors.problem(400, "Invalid JSON", "The request body must be a JSON object"));
    }
    return body;
  }

  private static ReplicateTarget versionTarget(JsonNode version) throws SubmitRejected {
    if (!version.isTextual()) {
      throw rejected(ReplicateErrors.invalidInput("version", "version is required"));
    }
    return ReplicateTarget.fromVersion(version.asText()).orElseThrow(() -> rejected(ReplicateErrors.invalidVersion()));
  }

  private static SandboxDirectives directives(JsonNode input) throws SubmitRejected {
    try {
      return SandboxDirectives.from(input, input.path("prompt").asText(""));
    } catch (SandboxDirectives.InvalidDirective e) {
      throw rejected(ReplicateErrors.invalidInput(SandboxDirectives.FIELD + "." + e.field, e.getMessage()));
    }
  }

  private static String webhook(JsonNode webhook) throws SubmitRejected {
    if (webhook.isMissingNode() || webhook.isNull()) {
      return null;
    }
    if (!webhook.isTextual() || !webhook.asText().matches("https?://\\S+")) {
      throw rejected(ReplicateErrors.invalidInput("webhook", "Must be an http(s) URL"));
    }
    return webhook.asText();
  }

  private static List<String> webhookEvents(JsonNode filter) throws SubmitRejected {
    if (filter.isMissingNode() || filter.isNull() || filter.isArray() && filter.isEmpty()) {
      return DEFAULT_WEBHOOK_EVENTS;
    }
    List<String> events = new ArrayList<>();
    if (!filter.isArray()) {
      throw rejected(ReplicateErrors.invalidInput("webhook_events_filter", "Must be an array"));
    }
    for (JsonNode event : filter) {
      if (!event.isTextual() || !WEBHOOK_EVENTS.contains(event.asText())) {
        throw rejected(ReplicateErrors.invalidInput("webhook_events_filter", "Each event must be one of " + WEBHOOK_EVENTS));
      }
      events.add(event.asText());
    }
    return events;
  }

  /** {@code Cancel-After}: {@code 30s}, {@code 5m}, {@code 500ms}, {@code 1h30m}, {@code 1.5s}, or bare seconds. */
  private static Optional<Duration> cancelAfter(String header) throws SubmitRejected {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.trim();
    long nanos = 0;
    if (SECONDS.matcher(text).matches()) {
      nanos = (long) (Double.parseDouble(text) * 1e9);
    } else if (DURATION.matcher(text).matches()) {
      for (Matcher part = DURATION_PART.matcher(text); part.find(); ) {
        double unit = switch (part.group(2)) {
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
        nanos += (long) (Double.parseDouble(part.group(1)) * unit);
      }
    }
    if (nanos <= 0) {
      throw rejected(ReplicateErrors.problem(400, "Invalid Cancel-After header",
          "Expected a positive duration such as 30s, 5m or 500ms, got '" + text + "'"));
    }
    return Optional.of(Duration.ofNanos(nanos));
  }

  private static int integer(JsonNode input, String field, int fallback, int min, int max) throws SubmitRejected {
    JsonNode value = input.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
      throw rejected(ReplicateErrors.invalidInput(field, "Must be an integer from " + min + " to " + max));
    }
    return value.asInt();
  }

  /** Replicate-style id: 26 lower-case base32 characters. */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(26);
    for (int i = 0; i < 26; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  private static SubmitRejected rejected(SandboxResponse response) {
    return new SubmitRejected(response);
  }
}
