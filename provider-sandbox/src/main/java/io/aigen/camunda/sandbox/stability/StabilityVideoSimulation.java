package io.aigen.camunda.sandbox.stability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.http.BearerAuth;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.MultipartForm;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobRegistry;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Stability AI image-to-video (docs/providers.md §6), mounted at {@code /stability} as the equivalent
 * of {@code https://api.stability.ai}. Progress is told by the HTTP status of the result call (202
 * in progress, 200 done); a done result carries a {@code finish_reason} that must be checked. No
 * cancel.
 */
public final class StabilityVideoSimulation implements ProviderSimulation {

  static final String MOUNT_PATH = "/stability";

  static final long MAX_SEED = 4_294_967_294L;
  static final double MAX_CFG_SCALE = 10;
  static final int MAX_MOTION_BUCKET_ID = 255;

  private final SandboxOptions options;
  private final JobClock clock;
  private final JobRegistry<StabilityVideoJob> jobs = new JobRegistry<>();

  public StabilityVideoSimulation(SandboxOptions options, JobClock clock) {
    this.options = options;
    this.clock = clock;
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    Optional<String> token = BearerAuth.token(request.header("Authorization"));
    if (token.isEmpty()) {
      return StabilityErrors.error(401, "authorization: missing or invalid; send 'Authorization: Bearer <key>'");
    }
    String apiKey = token.get();
    List<String> segments = request.segments();
    if (segments.equals(List.of("v2beta", "image-to-video"))) {
      return request.method().equals("POST") ? submit(request, apiKey) : methodNotAllowed(request);
    }
    if (segments.size() == 4 && segments.subList(0, 3).equals(List.of("v2beta", "image-to-video", "result"))) {
      return request.method().equals("GET") ? result(request, apiKey, segments.get(3)) : methodNotAllowed(request);
    }
    return StabilityErrors.error(404, request.method() + " " + request.path() + ": not found");
  }

  private SandboxResponse submit(SandboxRequest request, String apiKey) {
    MultipartForm form;
    try {
      form = MultipartForm.parse(request.header("Content-Type"), request.body());
    } catch (MultipartForm.Malformed e) {
      return StabilityErrors.error(400, "body: " + e.getMessage());
    }
    List<String> errors = new ArrayList<>();
    Optional<MultipartForm.Part> image = form.file("image");
    if (image.isEmpty()) {
      errors.add("image: required");
    } else if (image.get().content().length == 0) {
      errors.add("image: must not be empty");
    }
    Optional<Long> seed = integer(form, "seed", 0, MAX_SEED, errors);
    integer(form, "motion_bucket_id", 1, MAX_MOTION_BUCKET_ID, errors);
    Optional<String> cfgScale = form.text("cfg_scale");
    if (cfgScale.isPresent() && !isNumberWithin(cfgScale.get(), 0, MAX_CFG_SCALE)) {
      errors.add("cfg_scale: must be a number between 0 and " + (int) MAX_CFG_SCALE);
    }
    SandboxDirectives directives = null;
    try {
      directives = form.directives("");
    } catch (SandboxDirectives.InvalidDirective e) {
      String field = e.field.equals(SandboxDirectives.FIELD) ? e.field : SandboxDirectives.FIELD + "." + e.field;
      errors.add(field + ": " + e.getMessage());
    }
    if (!errors.isEmpty()) {
      return StabilityErrors.error(400, errors);
    }
    if (directives.rejectsSubmit()) {
      return StabilityErrors.forcedSubmitError(directives.submitStatus(), directives.retryAfterSeconds());
    }
    String id = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    StabilityVideoJob job = StabilityVideoJob.plan(
        id,
        apiKey,
        seed.filter(s -> s != 0).orElseGet(() -> randomSeed(id)),
        image.get().filename(),
        JobTimeline.of(clock.now(), directives.duration(options.defaultJobDuration())),
        directives);
    jobs.add(id, job);
    return SandboxResponse.json(200, Json.object().put("id", id));
  }

  private SandboxResponse result(SandboxRequest request, String apiKey, String id) {
    Optional<StabilityVideoJob> found = jobs.find(id).filter(job -> job.apiKey().equals(apiKey));
    if (found.isEmpty()) {
      return StabilityErrors.error(404, "id: no generation found for '" + id + "' with this API key");
    }
    StabilityVideoJob job = found.get();
    if (job.takeRateLimitedPoll()) {
      return StabilityErrors.rateLimited(job.retryAfterSeconds());
    }
    if (!job.isDone(clock.now())) {
      return SandboxResponse.json(202, Json.object().put("id", id).put("status", "in-progress"));
    }
    String accept = request.header("Accept");
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json")) {
      ObjectNode body = Json.object()
          .put("video", Base64.getEncoder().encodeToString(job.video()))
          .put("finish_reason", job.finishReason())
          .put("seed", job.seed());
      return SandboxResponse.json(200, body);
    }
    return SandboxResponse.bytes(200, "video/mp4", job.video())
        .withHeader("finish-reason", job.finishReason())
        .withHeader("seed", Long.toString(job.seed()));
  }

  /** An optional integer field within min..max; adds an error naming the field when it is not. */
  private static Optional<Long> integer(MultipartForm form, String field, long min, long max, List<String> errors) {
    Optional<String> text = form.text(field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(text.get().trim());
      if (value >= min && value <= max) {
        return Optional.of(value);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(field + ": must be an integer between " + min + " and " + max);
    return Optional.empty();
  }

  private static boolean isNumberWithin(String text, double min, double max) {
    try {
      double value = Double.parseDouble(text.trim());
      return value >= min && value <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** {@code seed} 0 or absent means random; the sandbox derives it from the id, so it is repeatable per job. */
  private static long randomSeed(String id) {
    return Math.floorMod((long) id.hashCode(), MAX_SEED) + 1;
  }

  private static SandboxResponse methodNotAllowed(SandboxRequest request) {
    return StabilityErrors.error(405, request.method() + " " + request.path() + ": method not allowed");
  }
}
