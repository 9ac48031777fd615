package io.aigen.camunda.sandbox.oxen;

import io.aigen.camunda.sandbox.jobs.SubmitRejected;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.http.BearerAuth;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobRegistry;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Oxen.ai's async queue under {@code /ai/queue}, in one of its two documented forms:
 *
 * <ul>
 *   <li>{@link Behaviour#CURRENT} (docs/providers.md §7.1): generations keep a status ({@code queued},
 *       {@code processing}, {@code succeeded}, {@code failed}, {@code cancelled}) with {@code
 *       result_url} and {@code error_message}.
 *   <li>{@link Behaviour#LEGACY} (§7.2, seeds 001/004): only in-progress generations exist, without
 *       a status; once a generation is over, however it ended, it is gone (404).
 * </ul>
 */
public final class OxenQueueSimulation implements ProviderSimulation {

  public enum Behaviour {
    CURRENT("/oxen/api"),
    LEGACY("/oxen-legacy/api");

    final String mountPath;

    Behaviour(String mountPath) {
      this.mountPath = mountPath;
    }
  }

  private static final List<String> QUEUE = List.of("ai", "queue");
  private static final String AUTH_HINT = "send 'Authorization: Bearer <OXEN_API_KEY>'";

  private final Behaviour behaviour;
  private final JobClock clock;
  private final OxenErrors errors;
  private final OxenEnqueue enqueue;
  private final JobRegistry<OxenGeneration> generations = new JobRegistry<>();

  public OxenQueueSimulation(Behaviour behaviour, SandboxOptions options, JobClock clock, MediaFiles mediaFiles) {
    this.behaviour = behaviour;
    this.clock = clock;
    this.errors = new OxenErrors(behaviour == Behaviour.CURRENT);
    this.enqueue = new OxenEnqueue(options, clock, mediaFiles, errors, behaviour == Behaviour.CURRENT);
  }

  @Override
  public String mountPath() {
    return behaviour.mountPath;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    Optional<SandboxResponse> denied = checkAuthorization(request.header("Authorization"));
    if (denied.isPresent()) {
      return denied.get();
    }
    List<String> segments = request.segments();
    if (segments.size() < 2 || segments.size() > 3 || !segments.subList(0, 2).equals(QUEUE)) {
      return errors.notFound();
    }
    if (segments.size() == 2) {
      return switch (request.method()) {
        case "POST" -> enqueue(request);
        case "GET" -> list(request);
        default -> errors.error(405, "method_not_allowed", "Method Not Allowed");
      };
    }
    if (!request.method().equals("GET") && !request.method().equals("DELETE")) {
      return errors.error(405, "method_not_allowed", "Method Not Allowed");
    }
    return generations.find(segments.get(2))
        .map(generation -> request.method().equals("GET") ? get(generation) : cancel(generation))
        .orElseGet(errors::notFound);
  }

  private Optional<SandboxResponse> checkAuthorization(String header) {
    if (header == null || header.isBlank()) {
      return Optional.of(errors.unauthorized("Missing Authorization header: " + AUTH_HINT));
    }
    if (!BearerAuth.present(header)) {
      return Optional.of(errors.unauthorized("Unsupported Authorization scheme: " + AUTH_HINT));
    }
    return Optional.empty();
  }

  private SandboxResponse enqueue(SandboxRequest request) {
    List<OxenGeneration> accepted;
    try {
      accepted = enqueue.accept(request);
    } catch (SubmitRejected rejected) {
      return rejected.response();
    }
    // The current docs answer "queued"; the older docs and OpenAPI example showed "processing".
    String status = behaviour == Behaviour.CURRENT ? "queued" : "processing";
    ArrayNode list = Json.array();
    for (OxenGeneration generation : accepted) {
      generations.add(generation.id, generation);
      list.add(Json.object().put("generation_id", generation.id).put("status", status));
    }
    ObjectNode body = Json.object();
    body.set("generations", list);
    return SandboxResponse.json(200, body);
  }

  private SandboxResponse list(SandboxRequest request) {
    String namespace = nonBlankParam(request, "namespace").orElse(OxenEnqueue.DEFAULT_NAMESPACE);
    Optional<String> model = nonBlankParam(request, "model");
    // The older queue had only the namespace and model filters.
    boolean current = behaviour == Behaviour.CURRENT;
    Optional<String> statusWord = current ? nonBlankParam(request, "status") : Optional.empty();
    Optional<String> mediaType = current ? nonBlankParam(request, "media_type") : Optional.empty();
    OxenGeneration.Status wanted = statusWord.map(OxenGeneration.Status::ofWord).orElse(null);
    if (statusWord.isPresent() && wanted == null) {
      return errors.badRequest("status must be one of queued, processing, succeeded, failed, cancelled");
    }
    if (mediaType.isPresent() && !mediaType.get().equals("image") && !mediaType.get().equals("video")) {
      return errors.badRequest("media_type must be image or video");
    }
    Instant now = clock.now();
    List<Listed> listed = generations.all().stream()
        .filter(g -> g.namespace.equals(namespace))
        .filter(g -> model.isEmpty() || g.model.equals(model.get()))
        .filter(g -> mediaType.isEmpty() || g.mediaType.equals(mediaType.get()))
        .sorted(Comparator.comparingLong(g -> g.sequence))
        .map(g -> new Listed(g, g.at(now)))
        // Without a status filter only active generations are listed (the legacy queue has no other).
        .filter(l -> wanted == null ? l.view().status().active() : l.view().status() == wanted)
        .toList();
    // The list counts as a poll of every generation it holds.
    boolean limited = false;
    int retryAfter = 0;
    for (Listed l : listed) {
      if (l.generation().takeRateLimitedPoll()) {
        limited = true;
        retryAfter = Math.max(retryAfter, l.generation().retryAfterSeconds());
      }
    }
    if (limited) {
      return errors.rateLimited(retryAfter);
    }
    ArrayNode items = Json.array();
    listed.forEach(l -> items.add(describe(l.generation(), l.view())));
    ObjectNode body = Json.object().put("count", items.size());
    body.set("generations", items);
    return SandboxResponse.json(200, body);
  }

  private SandboxResponse get(OxenGeneration generation) {
    if (generation.takeRateLimitedPoll()) {
      return errors.rateLimited(generation.retryAfterSeconds());
    }
    OxenGeneration.View view = generation.at(clock.now());
    if (behaviour == Behaviour.LEGACY && !view.status().active()) {
      return errors.notFound();
    }
    return SandboxResponse.json(200, describe(generation, view));
  }

  private SandboxResponse cancel(OxenGeneration generation) {
    boolean wasActive = generation.cancel(clock.now());
    if (!wasActive && behaviour == Behaviour.LEGACY) {
      return errors.notFound();
    }
    // The current queue answers success for a finished generation too; its status stays as it was.
    return SandboxResponse.json(200, Json.object().put("status", "success").put("generation_id", generation.id));
  }

  private ObjectNode describe(OxenGeneration generation, OxenGeneration.View view) {
    ObjectNode body = Json.object().put("generation_id", generation.id);
    if (behaviour == Behaviour.CURRENT) {
      body.put("model_name", generation.model);
      body.set("prompt", generation.params.get("prompt"));
      body.put("media_type", generation.mediaType)
          .put("status", view.status().word)
          .put("result_url", view.status() == OxenGeneration.Status.SUCCEEDED ? generation.resultUrl : null)
          .put("error_message", view.status() == OxenGeneration.Status.FAILED ? generation.failure : null)
          .put("enqueued_at", generation.enqueuedAt())
          .put("started_at", epochSeconds(view.startedAt()))
          .put("completed_at", epochSeconds(view.completedAt()));
    } else {
      body.put("model", generation.model);
      body.set("prompt", generation.params.get("prompt"));
      body.put("media_type", generation.mediaType).put("enqueued_at", generation.enqueuedAt());
    }
    // Submitted parameters are echoed; they never replace the queue's own fields.
    generation.params.properties().forEach(param -> {
      if (!body.has(param.getKey())) {
        body.set(param.getKey(), param.getValue());
      }
    });
    return body;
  }

  private static Long epochSeconds(Instant instant) {
    return instant == null ? null : instant.getEpochSecond();
  }

  private static Optional<String> nonBlankParam(SandboxRequest request, String name) {
    return request.queryParam(name).filter(value -> !value.isBlank());
  }

  private record Listed(OxenGeneration generation, OxenGeneration.View view) {}
}
