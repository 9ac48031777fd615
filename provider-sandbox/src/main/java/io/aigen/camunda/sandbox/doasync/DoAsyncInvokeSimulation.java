package io.aigen.camunda.sandbox.doasync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.fal.FalModelInput;
import io.aigen.camunda.sandbox.http.BearerAuth;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobRegistry;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DigitalOcean serverless inference's async invocation of fal models (docs/providers.md §1.9), mounted
 * at {@code /do} as the equivalent of {@code https://inference.do-ai.run}. Every model answers
 * fal-style text-to-image output. No cancel.
 */
public final class DoAsyncInvokeSimulation implements ProviderSimulation {

  static final String MOUNT_PATH = "/do";

  private final SandboxOptions options;
  private final JobClock clock;
  private final MediaFiles mediaFiles;
  private final JobRegistry<DoAsyncInvocation> invocations = new JobRegistry<>();
  private final DoRateLimit rateLimit = new DoRateLimit();

  public DoAsyncInvokeSimulation(SandboxOptions options, JobClock clock, MediaFiles mediaFiles) {
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
    return rateLimit.count(answer(request), clock.now());
  }

  private SandboxResponse answer(SandboxRequest request) {
    if (!BearerAuth.present(request.header("Authorization"))) {
      return DoErrors.error(401, "Unable to authenticate you: send 'Authorization: Bearer <model access key>'");
    }
    List<String> segments = request.segments();
    if (segments.size() < 2 || segments.size() > 3 || !segments.subList(0, 2).equals(List.of("v1", "async-invoke"))) {
      return DoErrors.error(404, "The resource you were accessing could not be found.");
    }
    if (segments.size() == 2) {
      return request.method().equals("POST") ? submit(request) : methodNotAllowed("POST");
    }
    if (!request.method().equals("GET")) {
      return methodNotAllowed("GET"); // DigitalOcean documents no cancel
    }
    return invocations.find(segments.get(2))
        .map(this::poll)
        .orElseGet(() -> DoErrors.error(404, "Async invocation " + segments.get(2) + " not found"));
  }

  private SandboxResponse submit(SandboxRequest request) {
    JsonNode body;
    try {
      body = Json.parse(request.body());
    } catch (JsonProcessingException e) {
      return DoErrors.error(400, "Request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (!body.isObject()) {
      return DoErrors.error(400, "Request body must be a JSON object {model_id, input, tags}");
    }
    JsonNode modelId = body.path("model_id");
    if (!modelId.isTextual() || modelId.asText().isBlank()) {
      return DoErrors.error(400, "model_id is required: a string such as \"fal-ai/flux/schnell\"");
    }
    JsonNode input = body.path("input");
    if (!input.isObject()) {
      return DoErrors.error(400, "input is required: an object with the model's input, e.g. {\"prompt\":\"…\"}");
    }
    if (!validTags(body.path("tags"))) {
      return DoErrors.error(400, "tags must be an array of {\"key\":\"…\",\"value\":\"…\"} objects with string values");
    }
    SandboxDirectives directives;
    try {
      directives = SandboxDirectives.from(input, input.path("prompt").asText(input.path("text").asText("")));
    } catch (SandboxDirectives.InvalidDirective e) {
      String field = e.field.equals(SandboxDirectives.FIELD) ? e.field : SandboxDirectives.FIELD + "." + e.field;
      return DoErrors.error(400, "input." + field + ": " + e.getMessage());
    }
    if (directives.rejectsSubmit()) {
      return DoErrors.forcedSubmitError(directives.submitStatus(), directives.retryAfterSeconds());
    }
    DoAsyncInvocation invocation = plan(modelId.asText(), (ObjectNode) input, directives);
    invocations.add(invocation.id(), invocation);
    // DigitalOcean answers 200 when the job completed synchronously, else 202 (accepted).
    int status = invocation.timeline().completesAt().equals(invocation.timeline().submittedAt()) ? 200 : 202;
    return SandboxResponse.json(status, invocation.body(clock.now()));
  }

  private DoAsyncInvocation plan(String modelId, ObjectNode input, SandboxDirectives directives) {
    String id = UUID.randomUUID().toString();
    JobTimeline timeline = JobTimeline.of(clock.now(), directives.duration(options.defaultJobDuration()));
    JsonNode output = null;
    String failure = directives.fail();
    try {
      FalModelInput model = FalModelInput.parse(input);
      if (failure == null) {
        output = imageOutput(id, model);
      }
    } catch (FalModelInput.InvalidInput e) {
      failure = e.field + ": " + e.getMessage();
      timeline = timeline.endingAt(timeline.startsAt()); // the model rejects its input as soon as it starts
    }
    return new DoAsyncInvocation(
        id, modelId, timeline, output, failure,
        new AtomicInteger(directives.rateLimitPolls()), directives.retryAfterSeconds());
  }

  private JsonNode imageOutput(String id, FalModelInput model) {
    ObjectNode output = Json.object();
    ArrayNode images = output.putArray("images");
    for (int i = 0; i < model.numImages(); i++) {
      MediaFiles.ImageSpec spec = new MediaFiles.ImageSpec(model.prompt(), model.width(), model.height(), i);
      images.add(Json.object()
          .put("url", mediaFiles.addImage("do-" + id + "-" + i + ".png", spec))
          .put("content_type", "image/png")
          .put("width", model.width())
          .put("height", model.height()));
    }
    return output.put("seed", model.seed());
  }

  private SandboxResponse poll(DoAsyncInvocation invocation) {
    if (invocation.takeRateLimitedPoll()) {
      return DoErrors.rateLimited(invocation.retryAfterSeconds());
    }
    return SandboxResponse.json(200, invocation.body(clock.now()));
  }

  private static boolean validTags(JsonNode tags) {
    if (tags.isMissingNode() || tags.isNull()) {
      return true;
    }
    if (!tags.isArray()) {
      return false;
    }
    for (JsonNode tag : tags) {
      if (!tag.path("key").isTextual() || !tag.path("value").isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static SandboxResponse methodNotAllowed(String allowed) {
    return DoErrors.error(405, "Method not allowed; this resource allows " + allowed).withHeader("Allow", allowed);
  }
}
