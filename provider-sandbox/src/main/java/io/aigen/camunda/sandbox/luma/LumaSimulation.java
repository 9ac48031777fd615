package io.aigen.camunda.sandbox.luma;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.callbacks.CallbackSender;
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
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Luma's Dream Machine API (docs/providers.md §4), mounted at {@code /luma/dream-machine/v1} as the
 * equivalent of {@code https://api.lumalabs.ai/dream-machine/v1}.
 */
public final class LumaSimulation implements ProviderSimulation {

  static final String MOUNT_PATH = "/luma/dream-machine/v1";

  /** Luma's {@code aspect_ratio} values, as {width, height} of a generated image (long side 1024). */
  static final Map<String, int[]> ASPECT_RATIOS = Map.of(
      "1:1", new int[] {1024, 1024},
      "16:9", new int[] {1024, 576},
      "9:16", new int[] {576, 1024},
      "4:3", new int[] {1024, 768},
      "3:4", new int[] {768, 1024},
      "21:9", new int[] {1024, 439},
      "9:21", new int[] {439, 1024});

  static final String DEFAULT_ASPECT_RATIO = "16:9";

  /** Luma's changelog: 3 retries, 100 ms apart, unless the receiver answers 200; 5 s per request. */
  static final CallbackSender.Retries CALLBACK_RETRIES = new CallbackSender.Retries(
      List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)),
      status -> status == 200, Duration.ofSeconds(5));

  private final SandboxOptions options;
  private final JobClock clock;
  private final MediaFiles mediaFiles;
  private final CallbackSender callbacks;
  private final JobRegistry<LumaGeneration> generations = new JobRegistry<>();

  public LumaSimulation(SandboxOptions options, JobClock clock, MediaFiles mediaFiles, CallbackSender callbacks) {
    this.options = options;
    this.clock = clock;
    this.mediaFiles = mediaFiles;
    this.callbacks = callbacks;
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    if (!BearerAuth.present(request.header("Authorization"))) {
      return detail(401, "Invalid API key is provided");
    }
    List<String> s = request.segments();
    if (s.isEmpty() || !s.getFirst().equals("generations")) {
      return detail(404, "Not Found");
    }
    // POST /generations is the older video route (docs/providers.md §4.1).
    if (s.size() == 1 && request.method().equals("GET")) {
      return list(request);
    }
    if (s.size() == 1 || (s.size() == 2 && s.get(1).equals("video"))) {
      return only("POST", request, () -> create(LumaGeneration.Type.VIDEO, request));
    }
    if (s.size() == 2 && s.get(1).equals("image")) {
      return only("POST", request, () -> create(LumaGeneration.Type.IMAGE, request));
    }
    if (s.size() == 2) {
      String id = s.get(1);
      return switch (request.method()) {
        case "GET" -> withGeneration(id, this::poll);
        case "DELETE" -> withGeneration(id, this::delete);
        default -> detail(405, "Method Not Allowed");
      };
    }
    return detail(404, "Not Found");
  }

  /** Luma's error body for any non-2xx answer: {@code {"detail":"…"}}. */
  private static SandboxResponse detail(int status, String message) {
    return SandboxResponse.json(status, Json.detail(message));
  }

  private static SandboxResponse rateLimited(int retryAfterSeconds) {
    return detail(429, "Too many requests").withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  private static SandboxResponse only(String method, SandboxRequest request, Supplier<SandboxResponse> action) {
    return request.method().equals(method) ? action.get() : detail(405, "Method Not Allowed");
  }

  private SandboxResponse withGeneration(String id, Function<LumaGeneration, SandboxResponse> action) {
    return generations.find(id)
        .filter(generation -> !generation.deleted())
        .map(action)
        .orElseGet(() -> detail(404, "Generation not found"));
  }

  /**
   * {@code GET /generations?limit&offset} (docs/providers.md §4.1): the account's generations, newest
   * first, {@code {generations, has_more, count, limit, offset}}; limit 1..100, default 10.
   */
  private SandboxResponse list(SandboxRequest request) {
    int limit;
    int offset;
    try {
      limit = request.queryParam("limit").map(Integer::parseInt).orElse(10);
      offset = request.queryParam("offset").map(Integer::parseInt).orElse(0);
    } catch (NumberFormatException e) {
      return detail(422, "limit and offset must be integers");
    }
    if (limit < 1 || limit > 100 || offset < 0) {
      return detail(422, "limit must be within 1..100 and offset not negative");
    }
    Instant now = clock.now();
    List<LumaGeneration> all = generations.all().stream()
        .filter(generation -> !generation.deleted())
        .sorted(java.util.Comparator.comparing((LumaGeneration g) -> g.submittedAt()).reversed().thenComparing(g -> g.id))
        .toList();
    com.fasterxml.jackson.databind.node.ArrayNode page = Json.array();
    all.stream().skip(offset).limit(limit).forEach(generation -> page.add(generation.json(now)));
    com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
    body.set("generations", page);
    body.put("has_more", offset + limit < all.size()).put("count", page.size()).put("limit", limit).put("offset", offset);
    return SandboxResponse.json(200, body);
  }

  private SandboxResponse poll(LumaGeneration generation) {
    if (generation.takeRateLimitedPoll()) {
      return rateLimited(generation.retryAfterSeconds());
    }
    return SandboxResponse.json(200, generation.json(clock.now()));
  }

  private SandboxResponse delete(LumaGeneration generation) {
    generation.delete();
    return new SandboxResponse(204, Map.of(), new byte[0], null);
  }

  private SandboxResponse create(LumaGeneration.Type type, SandboxRequest request) {
    JsonNode body;
    try {
      body = Json.parse(request.body());
    } catch (JsonProcessingException e) {
      return detail(400, "Invalid JSON body: " + e.getOriginalMessage());
    }
    if (!body.isObject()) {
      return detail(400, "The body must be a JSON object");
    }
    Optional<String> invalid = invalidField(body);
    if (invalid.isPresent()) {
      return detail(400, invalid.get());
    }
    String prompt = body.path("prompt").asText("");
    SandboxDirectives directives;
    try {
      directives = SandboxDirectives.from(body, prompt);
    } catch (SandboxDirectives.InvalidDirective e) {
      return detail(400, SandboxDirectives.FIELD + "." + e.field + ": " + e.getMessage());
    }
    if (directives.rejectsSubmit()) {
      return directives.submitStatus() == 429
          ? rateLimited(directives.retryAfterSeconds())
          : detail(directives.submitStatus(), "Simulated HTTP " + directives.submitStatus() + " (sandbox.submitStatus)");
    }
    LumaGeneration generation = plan(type, body, prompt, directives);
    generations.add(generation.id, generation);
    watchCallbacks(generation);
    return SandboxResponse.json(201, generation.json(clock.now()));
  }

  /**
   * Luma POSTs the generation when it enters {@code dreaming}, {@code completed} or {@code failed}
   * (docs/providers.md §4.5), each body as of that moment; nothing once it is deleted. Unsigned; a
   * receiver that does not answer 200 gets 3 retries 100 ms apart, 5 s per request.
   */
  private void watchCallbacks(LumaGeneration generation) {
    if (generation.callbackUrl == null) {
      return;
    }
    synchronized (generation) {
      if (generation.deleted()) {
        return;
      }
      Instant now = clock.now();
      String state = generation.state(now);
      Instant dreaming = generation.dreamingSince();
      if (!state.equals("queued") && dreaming != null) {
        sendCallback(generation, "dreaming", generation.json(dreaming));
      }
      if (state.equals("completed") || state.equals("failed")) {
        sendCallback(generation, state, generation.json(now));
      } else {
        callbacks.at(generation.nextChange(now), () -> watchCallbacks(generation));
      }
    }
  }

  private void sendCallback(LumaGeneration generation, String state, JsonNode body) {
    if (generation.callbacksSent.add(state)) {
      callbacks.send(new CallbackSender.Callback("luma", generation.id, generation.callbackUrl, state,
          Json.bytes(body), CallbackSender.Signer.UNSIGNED, CALLBACK_RETRIES, generation.callbackKnobs));
    }
  }

  private LumaGeneration plan(LumaGeneration.Type type, JsonNode body, String prompt, SandboxDirectives directives) {
    String id = UUID.randomUUID().toString();
    Instant now = clock.now();
    JobTimeline timeline = JobTimeline.of(now, directives.duration(options.defaultJobDuration()));
    String callbackUrl = body.path("callback_url").asText(null);
    String url = null;
    if (directives.fail() == null) {
      int[] size = ASPECT_RATIOS.get(body.path("aspect_ratio").asText(DEFAULT_ASPECT_RATIO));
      url = type == LumaGeneration.Type.VIDEO
          ? mediaFiles.addFile(id + ".mp4", "video/mp4", FakeMedia.mp4(prompt))
          : mediaFiles.addImage(id + ".png", new MediaFiles.ImageSpec(prompt, size[0], size[1], 0));
    }
    return new LumaGeneration(id, type, body.get("model").asText(), callbackUrl, body, timeline, url,
        directives.fail(), directives);
  }

  /** Why the body cannot be accepted; empty when it can. */
  private static Optional<String> invalidField(JsonNode body) {
    if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) {
      return Optional.of("model is required");
    }
    for (String field : List.of("prompt", "callback_url", "aspect_ratio")) {
      JsonNode value = body.path(field);
      if (!value.isMissingNode() && !value.isNull() && !value.isTextual()) {
        return Optional.of(field + " must be a string");
      }
    }
    JsonNode ratio = body.path("aspect_ratio");
    if (ratio.isTextual() && !ASPECT_RATIOS.containsKey(ratio.asText())) {
      return Optional.of("aspect_ratio must be one of " + new TreeSet<>(ASPECT_RATIOS.keySet()));
    }
    return Optional.empty();
  }
}
