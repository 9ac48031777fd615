package io.aigen.camunda.sandbox.runway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.http.BearerAuth;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobRegistry;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import io.aigen.camunda.sandbox.media.FakeMedia;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runway's developer API (docs/providers.md §3), mounted at {@code /runway} as the equivalent of {@code
 * https://api.dev.runwayml.com}.
 */
public final class RunwaySimulation implements ProviderSimulation {

  static final String MOUNT_PATH = "/runway";
  static final String VERSION_HEADER = "X-Runway-Version";
  static final String API_VERSION = "2024-11-06";
  static final int MAX_PROMPT_LENGTH = 1000;

  /** What a task-creating endpoint produces. */
  enum Media {
    VIDEO,
    IMAGE,
    AUDIO
  }

  /** The task-creating endpoints under {@code /v1/} (docs/providers.md §3.1) and what they produce. */
  static final Map<String, Media> TASK_ENDPOINTS = Map.ofEntries(
      Map.entry("image_to_video", Media.VIDEO),
      Map.entry("text_to_video", Media.VIDEO),
      Map.entry("video_to_video", Media.VIDEO),
      Map.entry("video_upscale", Media.VIDEO),
      Map.entry("character_performance", Media.VIDEO),
      Map.entry("generate/video", Media.VIDEO),
      Map.entry("text_to_image", Media.IMAGE),
      Map.entry("image_upscale", Media.IMAGE),
      Map.entry("generate/image", Media.IMAGE),
      Map.entry("sound_effect", Media.AUDIO),
      Map.entry("text_to_speech", Media.AUDIO),
      Map.entry("speech_to_speech", Media.AUDIO),
      Map.entry("voice_dubbing", Media.AUDIO),
      Map.entry("voice_isolation", Media.AUDIO),
      Map.entry("generate/audio", Media.AUDIO));

  /** Fields some endpoints need besides {@code model}. */
  private static final Map<String, String> REQUIRED_FIELD = Map.of(
      "image_to_video", "promptImage",
      "text_to_video", "promptText",
      "text_to_image", "promptText");

  private static final Pattern RATIO = Pattern.compile("(\\d{1,4}):(\\d{1,4})");
  private static final int DEFAULT_IMAGE_SIZE = 1024;
  private static final int MAX_IMAGE_SIZE = 4096;

  private final SandboxOptions options;
  private final JobClock clock;
  private final MediaFiles mediaFiles;
  private final JobRegistry<RunwayTask> tasks = new JobRegistry<>();

  public RunwaySimulation(SandboxOptions options, JobClock clock, MediaFiles mediaFiles) {
    this.options = options;
    this.clock = clock;
    this.mediaFiles = mediaFiles;
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    if (!BearerAuth.present(request.header("Authorization"))) {
      return error(401, "Missing or invalid API key: send 'Authorization: Bearer <key>'");
    }
    String version = request.header(VERSION_HEADER);
    if (version == null || version.isBlank()) {
      return error(400, "Missing " + VERSION_HEADER + " header; send " + VERSION_HEADER + ": " + API_VERSION);
    }
    if (!version.trim().equals(API_VERSION)) {
      return error(400, "Unsupported " + VERSION_HEADER + " '" + version.trim() + "'; supported: " + API_VERSION);
    }
    List<String> s = request.segments();
    if (s.size() < 2 || !s.getFirst().equals("v1")) {
      return error(404, "Not found");
    }
    String endpoint = String.join("/", s.subList(1, s.size()));
    if (TASK_ENDPOINTS.containsKey(endpoint)) {
      return only("POST", request, () -> create(endpoint, request));
    }
    if (s.size() == 3 && s.get(1).equals("tasks")) {
      String id = s.get(2);
      return switch (request.method()) {
        case "GET" -> withTask(id, this::poll);
        case "DELETE" -> withTask(id, this::delete);
        default -> error(405, "Method not allowed");
      };
    }
    return error(404, "Not found");
  }

  /** Runway's error body: a JSON object with an {@code error} member. */
  private static SandboxResponse error(int status, String message) {
    return SandboxResponse.json(status, Json.object().put("error", message));
  }

  private static SandboxResponse rateLimited(int retryAfterSeconds) {
    return error(429, "Too many requests; retry later").withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  private static SandboxResponse only(String method, SandboxRequest request, Supplier<SandboxResponse> action) {
    return request.method().equals(method) ? action.get() : error(405, "Method not allowed");
  }

  private SandboxResponse withTask(String id, Function<RunwayTask, SandboxResponse> action) {
    return tasks.find(id).filter(task -> !task.deleted()).map(action).orElseGet(() -> error(404, "Task not found"));
  }

  private SandboxResponse poll(RunwayTask task) {
    if (task.takeRateLimitedPoll()) {
      return rateLimited(task.retryAfterSeconds());
    }
    return SandboxResponse.json(200, task.json(task.at(clock.now())));
  }

  private SandboxResponse delete(RunwayTask task) {
    task.delete(clock.now());
    return new SandboxResponse(204, Map.of(), new byte[0], null);
  }

  private SandboxResponse create(String endpoint, SandboxRequest request) {
    JsonNode body;
    try {
      body = Json.parse(request.body());
    } catch (JsonProcessingException e) {
      return error(400, "Invalid JSON body: " + e.getOriginalMessage());
    }
    if (!body.isObject()) {
      return error(400, "The body must be a JSON object");
    }
    Optional<String> invalid = invalidField(endpoint, body);
    if (invalid.isPresent()) {
      return error(400, invalid.get());
    }
    String prompt = body.path("promptText").asText("");
    SandboxDirectives directives;
    try {
      directives = SandboxDirectives.from(body, prompt);
    } catch (SandboxDirectives.InvalidDirective e) {
      return error(400, SandboxDirectives.FIELD + "." + e.field + ": " + e.getMessage());
    }
    if (directives.rejectsSubmit()) {
      String message = "Simulated HTTP " + directives.submitStatus() + " (sandbox.submitStatus)";
      return directives.submitStatus() == 429
          ? rateLimited(directives.retryAfterSeconds())
          : error(directives.submitStatus(), message);
    }
    RunwayTask task = plan(TASK_ENDPOINTS.get(endpoint), body, prompt, directives);
    tasks.add(task.id, task);
    return SandboxResponse.json(200, Json.object().put("id", task.id));
  }

  private RunwayTask plan(Media media, JsonNode body, String prompt, SandboxDirectives directives) {
    String id = UUID.randomUUID().toString();
    Instant now = clock.now();
    Instant throttledUntil = now.plus(Duration.ofMillis(directives.throttledMs()));
    JobTimeline timeline = JobTimeline.of(throttledUntil, directives.duration(options.defaultJobDuration()));
    if (directives.fail() != null) {
      String code = directives.failType().equals(SandboxDirectives.DEFAULT_FAIL_TYPE)
          ? RunwayTask.DEFAULT_FAILURE_CODE
          : directives.failType();
      return new RunwayTask(id, now, throttledUntil, timeline, null, directives.fail(), code, directives);
    }
    String url = switch (media) {
      case VIDEO -> mediaFiles.addFile(id + ".mp4", "video/mp4", FakeMedia.mp4(prompt));
      case AUDIO -> mediaFiles.addFile(id + ".mp3", "audio/mpeg", FakeMedia.mp3(prompt));
      case IMAGE -> {
        int[] size = ratio(body.path("ratio")).orElse(new int[] {DEFAULT_IMAGE_SIZE, DEFAULT_IMAGE_SIZE});
        yield mediaFiles.addImage(id + ".png", new MediaFiles.ImageSpec(prompt, size[0], size[1], 0));
      }
    };
    return new RunwayTask(id, now, throttledUntil, timeline, url, null, null, directives);
  }

  /** Why the body cannot be accepted, in Runway's 400 style; empty when it can. */
  private static Optional<String> invalidField(String endpoint, JsonNode body) {
    if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) {
      return Optional.of("model: Required");
    }
    String required = REQUIRED_FIELD.get(endpoint);
    if (required != null && (body.path(required).isMissingNode() || body.path(required).isNull())) {
      return Optional.of(required + ": Required");
    }
    JsonNode prompt = body.path("promptText");
    if (!prompt.isMissingNode() && !prompt.isNull()) {
      if (!prompt.isTextual()) {
        return Optional.of("promptText: Expected string");
      }
      if (prompt.asText().length() > MAX_PROMPT_LENGTH) {
        return Optional.of("promptText: String must contain at most " + MAX_PROMPT_LENGTH + " character(s)");
      }
    }
    JsonNode ratio = body.path("ratio");
    if (!ratio.isMissingNode() && !ratio.isNull() && ratio(ratio).isEmpty()) {
      return Optional.of("ratio: Expected \"<width>:<height>\", each 1.." + MAX_IMAGE_SIZE);
    }
    return Optional.empty();
  }

  private static Optional<int[]> ratio(JsonNode ratio) {
    Matcher m = RATIO.matcher(ratio.asText(""));
    if (!ratio.isTextual() || !m.matches()) {
      return Optional.empty();
    }
    int width = Integer.parseInt(m.group(1));
    int height = Integer.parseInt(m.group(2));
    boolean valid = width >= 1 && height >= 1 && width <= MAX_IMAGE_SIZE && height <= MAX_IMAGE_SIZE;
    return valid ? Optional.of(new int[] {width, height}) : Optional.empty();
  }
}
