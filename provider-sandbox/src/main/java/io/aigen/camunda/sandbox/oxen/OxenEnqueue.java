package io.aigen.camunda.sandbox.oxen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code POST /ai/queue} into planned {@link OxenGeneration}s, one per {@code
 * num_generations}. Validates what Oxen validates at enqueue time (the model and {@code
 * num_generations}); invalid model parameters are accepted and fail the generations when they
 * would start (docs/providers.md §7.1).
 */
final class OxenEnqueue {

  /** The namespace results go to without {@code target_namespace}: "your username". */
  static final String DEFAULT_NAMESPACE = "sandbox-user";
  /** Models whose name starts with this do not exist. */
  static final String UNKNOWN_MODEL_PREFIX = "unknown/";
  /** Models whose name starts with this only produce text. */
  static final String TEXT_MODEL_PREFIX = "text/";
  static final int MAX_GENERATIONS = 4;
  static final String NUM_GENERATIONS_MESSAGE = "num_generations must be an integer between 1 and 4";
  static final int IMAGE_SIZE = 1024;

  /** Body fields that steer the queue rather than the model; they are not echoed. */
  private static final Set<String> QUEUE_FIELDS = Set.of("model", "num_generations", SandboxDirectives.FIELD);
  private static final Pattern ASPECT_RATIO = Pattern.compile("([1-9][0-9]{0,3}):([1-9][0-9]{0,3})");


  private final SandboxOptions options;
  private final JobClock clock;
  private final MediaFiles mediaFiles;
  private final OxenErrors errors;
  private final boolean publishResults;

  /** @param publishResults whether generated files are registered (the older queue never shows their URL) */
  OxenEnqueue(SandboxOptions options, JobClock clock, MediaFiles mediaFiles, OxenErrors errors, boolean publishResults) {
    this.options = options;
    this.clock = clock;
    this.mediaFiles = mediaFiles;
    this.errors = errors;
    this.publishResults = publishResults;
  }

  List<OxenGeneration> accept(SandboxRequest request) throws SubmitRejected {
    ObjectNode body = parse(request.body());
    SandboxDirectives directives = directives(body);
    if (directives.rejectsSubmit()) {
      throw new SubmitRejected(errors.forcedSubmitError(directives.submitStatus(), directives.retryAfterSeconds()));
    }
    String model = model(body.get("model"));
    int count = numGenerations(body.get("num_generations"));
    String namespace = namespace(body.get("target_namespace"));
    if (directives.failIndex() != null && directives.failIndex() >= count) {
      throw new SubmitRejected(errors.badRequest("sandbox.failIndex must be below num_generations (" + count + ")"));
    }
    ObjectNode params = body.deepCopy();
    params.remove(QUEUE_FIELDS);
    String mediaType = model.toLowerCase(Locale.ROOT).contains("video") ? "video" : "image";
    String invalidParameter = invalidParameter(params);
    JobTimeline timeline = JobTimeline.of(clock.now(), directives.duration(options.defaultJobDuration()));
    if (invalidParameter != null) {
      timeline = timeline.endingAt(timeline.startsAt()); // the model rejects it as soon as it starts
    }
    List<OxenGeneration> generations = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      String id = UUID.randomUUID().toString();
      String failure = invalidParameter != null ? invalidParameter : plannedFailure(directives, index);
      String resultUrl = failure == null && publishResults ? publish(id, mediaType, model, params, index) : null;
      generations.add(
          new OxenGeneration(id, model, mediaType, namespace, params, timeline, resultUrl, failure, directives));
    }
    return generations;
  }

  private static String plannedFailure(SandboxDirectives directives, int index) {
    if (directives.failIndex() == null) {
      return directives.fail();
    }
    if (directives.failIndex() != index) {
      return null;
    }
    return directives.fail() != null ? directives.fail() : "Simulated failure (sandbox.failIndex)";
  }

  private String publish(String id, String mediaType, String model, ObjectNode params, int index) {
    String text = params.path("prompt").isTextual() ? params.get("prompt").asText() : model;
    if (mediaType.equals("video")) {
      return mediaFiles.addFile(id + ".mp4", "video/mp4", FakeMedia.mp4(text));
    }
    int[] size = imageSize(params.path("aspect_ratio").asText(""));
    return mediaFiles.addImage(id + ".png", new MediaFiles.ImageSpec(text, size[0], size[1], index));
  }

  /** 1024 on the longer side, the other side per {@code aspect_ratio} (square when absent). */
  private static int[] imageSize(String aspectRatio) {
    Matcher m = ASPECT_RATIO.matcher(aspectRatio);
    if (!m.matches()) {
      return new int[] {IMAGE_SIZE, IMAGE_SIZE};
    }
    int w = Integer.parseInt(m.group(1));
    int h = Integer.parseInt(m.group(2));
    return w >= h
        ? new int[] {IMAGE_SIZE, Math.max(1, IMAGE_SIZE * h / w)}
        : new int[] {Math.max(1, IMAGE_SIZE * w / h), IMAGE_SIZE};
  }

  /** The first model parameter the model would reject, as its {@code error_message}; {@code null} if none. */
  private static String invalidParameter(ObjectNode params) {
    JsonNode prompt = params.path("prompt");
    if (present(prompt) && !prompt.isTextual()) {
      return "Invalid parameter 'prompt': must be a string";
    }
    JsonNode duration = params.path("duration");
    if (present(duration) && !(duration.isIntegralNumber() && duration.canConvertToInt() && duration.asInt() > 0)) {
      return "Invalid parameter 'duration': must be a positive integer (seconds)";
    }
    JsonNode aspectRatio = params.path("aspect_ratio");
    if (present(aspectRatio) && !(aspectRatio.isTextual() && ASPECT_RATIO.matcher(aspectRatio.asText()).matches())) {
      return "Invalid parameter 'aspect_ratio': expected W:H such as \"16:9\"";
    }
    JsonNode seed = params.path("seed");
    if (present(seed) && !seed.isIntegralNumber()) {
      return "Invalid parameter 'seed': must be an integer";
    }
    return null;
  }

  private ObjectNode parse(byte[] bytes) throws SubmitRejected {
    JsonNode body;
    try {
      body = Json.parse(bytes);
    } catch (JsonProcessingException e) {
      throw new SubmitRejected(errors.badRequest("Invalid JSON body: " + e.getOriginalMessage()));
    }
    if (!(body instanceof ObjectNode object)) {
      throw new SubmitRejected(errors.badRequest("The request body must be a JSON object"));
    }
    return object;
  }

  private SandboxDirectives directives(ObjectNode body) throws SubmitRejected {
    try {
      return SandboxDirectives.from(body, body.path("prompt").asText(""));
    } catch (SandboxDirectives.InvalidDirective e) {
      throw new SubmitRejected(errors.badRequest("Invalid sandbox." + e.field + ": " + e.getMessage()));
    }
  }

  private String model(JsonNode model) throws SubmitRejected {
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw new SubmitRejected(errors.badRequest("model is required"));
    }
    String name = model.asText();
    if (name.startsWith(UNKNOWN_MODEL_PREFIX)) {
      throw new SubmitRejected(errors.badRequest("Model not found: " + name));
    }
    if (name.startsWith(TEXT_MODEL_PREFIX)) {
      throw new SubmitRejected(errors.badRequest(":unsupported_media_type"));
    }
    return name;
  }

  private int numGenerations(JsonNode value) throws SubmitRejected {
    if (!present(value)) {
      return 1;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > MAX_GENERATIONS) {
      throw new SubmitRejected(errors.badRequest(NUM_GENERATIONS_MESSAGE));
    }
    return value.asInt();
  }

  private String namespace(JsonNode value) throws SubmitRejected {
    if (!present(value)) {
      return DEFAULT_NAMESPACE;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new SubmitRejected(errors.badRequest("target_namespace must be a non-blank string"));
    }
    return value.asText();
  }

  private static boolean present(JsonNode value) {
    return value != null && !value.isMissingNode() && !value.isNull();
  }
}
