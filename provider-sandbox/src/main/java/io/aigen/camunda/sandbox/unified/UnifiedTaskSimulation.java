package io.aigen.camunda.sandbox.unified;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The unified multi-model task API (ElkAPI, docs/providers.md §8, seed 002), mounted at {@code
 * /unified}: {@code POST /v1/task/submit}, {@code GET /v1/task/{task_id}}. Models with "video" in
 * their name produce an MP4, all others a PNG.
 */
public final class UnifiedTaskSimulation implements ProviderSimulation {

  static final String MOUNT_PATH = "/unified";
  static final int IMAGE_SIZE = 1024;

  private static final List<String> TASKS = List.of("v1", "task");
  private static final String AUTH_HINT = "send 'Authorization: Bearer <API_KEY>'";

  private final SandboxOptions options;
  private final JobClock clock;
  private final MediaFiles mediaFiles;
  private final CallbackSender callbacks;
  private final CallbackSender.Signer callbackSigner;
  private final JobRegistry<UnifiedTask> tasks = new JobRegistry<>();

  public UnifiedTaskSimulation(SandboxOptions options, JobClock clock, MediaFiles mediaFiles, CallbackSender callbacks) {
    this.options = options;
    this.clock = clock;
    this.mediaFiles = mediaFiles;
    this.callbacks = callbacks;
    this.callbackSigner = options.unifiedCallbackSecret() == null
        ? CallbackSender.Signer.UNSIGNED
        : new UnifiedCallbackSigner(options.unifiedCallbackSecret())::headers;
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    String authorization = request.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      return error(401, "unauthorized", "Missing Authorization header: " + AUTH_HINT);
    }
    if (!BearerAuth.present(authorization)) {
      return error(401, "unauthorized", "Unsupported Authorization scheme: " + AUTH_HINT);
    }
    List<String> segments = request.segments();
    if (segments.size() != 3 || !segments.subList(0, 2).equals(TASKS)) {
      return error(404, "not_found", "Not Found");
    }
    if (segments.get(2).equals("submit")) {
      return request.method().equals("POST")
          ? submit(request)
          : error(405, "method_not_allowed", "Method Not Allowed").withHeader("Allow", "POST");
    }
    if (!request.method().equals("GET")) {
      // The API documents no way to cancel or delete a task.
      return error(405, "method_not_allowed", "Tasks cannot be cancelled or deleted").withHeader("Allow", "GET");
    }
    return tasks.find(segments.get(2))
        .map(this::query)
        .orElseGet(() -> error(404, "task_not_found", "Task not found: " + segments.get(2)));
  }

  private SandboxResponse submit(SandboxRequest request) {
    JsonNode body;
    try {
      body = Json.parse(request.body());
    } catch (JsonProcessingException e) {
      return error(400, "invalid_request", "Invalid JSON body: " + e.getOriginalMessage());
    }
    if (!body.isObject()) {
      return error(400, "invalid_request", "The request body must be a JSON object");
    }
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isBlank()) {
      return error(400, "invalid_request", "model is required");
    }
    JsonNode input = body.path("input");
    if (!input.isObject()) {
      return error(400, "invalid_request", "input is required and must be an object");
    }
    JsonNode callback = body.path("callback_url");
    if (!callback.isMissingNode() && !callback.isNull() && !(callback.isTextual() && !callback.asText().isBlank())) {
      return error(400, "invalid_request", "callback_url must be a URL string");
    }
    SandboxDirectives directives;
    try {
      directives = SandboxDirectives.from(input, input.path("prompt").asText(""));
    } catch (SandboxDirectives.InvalidDirective e) {
      return error(400, "invalid_request", "Invalid input.sandbox." + e.field + ": " + e.getMessage());
    }
    if (directives.rejectsSubmit()) {
      return forcedSubmitError(directives);
    }
    UnifiedTask task = plan(model.asText(), input, callback.isTextual() ? callback.asText() : null, directives);
    tasks.add(task.id, task);
    watchCallbacks(task);
    return SandboxResponse.json(200, ids(task).put("status", UnifiedTask.Status.QUEUED.word));
  }

  /**
   * POSTs the task, as {@code GET} shows it at that moment, on every status change after submit:
   * {@code in_progress}, then {@code completed} or {@code failed}.
   */
  private void watchCallbacks(UnifiedTask task) {
    if (task.callbackUrl == null) {
      return;
    }
    synchronized (task) {
      Instant now = clock.now();
      UnifiedTask.Status status = task.statusAt(now);
      Instant inProgress = task.inProgressSince();
      if (status != UnifiedTask.Status.QUEUED && inProgress != null) {
        sendCallback(task, UnifiedTask.Status.IN_PROGRESS, json(task, inProgress));
      }
      if (status == UnifiedTask.Status.COMPLETED || status == UnifiedTask.Status.FAILED) {
        sendCallback(task, status, json(task, now));
      } else {
        callbacks.at(task.nextChange(now), () -> watchCallbacks(task));
      }
    }
  }

  private void sendCallback(UnifiedTask task, UnifiedTask.Status status, ObjectNode body) {
    if (task.callbacksSent.add(status)) {
      callbacks.send(new CallbackSender.Callback("unified-task", task.id, task.callbackUrl, status.word,
          Json.bytes(body), callbackSigner, CallbackSender.Retries.STANDARD, task.callbackKnobs));
    }
  }

  private UnifiedTask plan(String model, JsonNode input, String callbackUrl, SandboxDirectives directives) {
    String id = UUID.randomUUID().toString();
    JobTimeline timeline = JobTimeline.of(clock.now(), directives.duration(options.defaultJobDuration()));
    if (directives.fail() != null) {
      // failType switches the error from a string (the task guide) to the {code,message} object
      // of ElkAPI's per-provider endpoints.
      JsonNode error = input.path(SandboxDirectives.FIELD).hasNonNull("failType")
          ? Json.object().put("code", directives.failType()).put("message", directives.fail())
          : TextNode.valueOf(directives.fail());
      return new UnifiedTask(id, model, callbackUrl, timeline, List.of(), error, directives);
    }
    String text = input.path("prompt").isTextual() ? input.get("prompt").asText() : model;
    String output = model.toLowerCase(Locale.ROOT).contains("video")
        ? mediaFiles.addFile(id + ".mp4", "video/mp4", FakeMedia.mp4(text))
        : mediaFiles.addImage(id + ".png", new MediaFiles.ImageSpec(text, IMAGE_SIZE, IMAGE_SIZE, 0));
    return new UnifiedTask(id, model, callbackUrl, timeline, List.of(output), null, directives);
  }

  private SandboxResponse query(UnifiedTask task) {
    if (task.takeRateLimitedPoll()) {
      return rateLimited(task.retryAfterSeconds());
    }
    return SandboxResponse.json(200, json(task, clock.now()));
  }

  /** The task as {@code GET /v1/task/{task_id}} shows it at {@code at}. */
  private static ObjectNode json(UnifiedTask task, Instant at) {
    UnifiedTask.Status status = task.statusAt(at);
    ObjectNode body = ids(task).put("status", status.word).put("created_at", task.createdAt());
    // Per the guide's field table: completed_at only when over, outputs only when completed,
    // error only when failed.
    switch (status) {
      case COMPLETED -> {
        body.put("completed_at", task.completedAt());
        ArrayNode outputs = body.putArray("outputs");
        task.outputs.forEach(outputs::add);
      }
      case FAILED -> body.put("completed_at", task.completedAt()).set("error", task.error);
      case QUEUED, IN_PROGRESS -> { }
    }
    return body;
  }

  /** The guide's field table names the id {@code id}; ElkAPI's other task endpoints say {@code task_id}. */
  private static ObjectNode ids(UnifiedTask task) {
    return Json.object().put("task_id", task.id).put("id", task.id);
  }

  private static SandboxResponse forcedSubmitError(SandboxDirectives directives) {
    int status = directives.submitStatus();
    if (status == 429) {
      return rateLimited(directives.retryAfterSeconds());
    }
    String code = switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 402 -> "insufficient_balance";
      case 404 -> "not_found";
      default -> status >= 500 ? "internal_error" : "error";
    };
    return error(status, code, "Simulated HTTP " + status + " (sandbox.submitStatus)");
  }

  private static SandboxResponse rateLimited(int retryAfterSeconds) {
    return error(429, "rate_limited", "Too many requests")
        .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  /** {@code {"error":{"code","message"}}}, the shape of ElkAPI's per-provider endpoints. */
  private static SandboxResponse error(int status, String code, String message) {
    ObjectNode body = Json.object();
    body.putObject("error").put("code", code).put("message", message);
    return SandboxResponse.json(status, body);
  }
}
