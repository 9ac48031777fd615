package io.aigen.camunda.sandbox.fal;

import io.aigen.camunda.sandbox.jobs.SubmitRejected;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.callbacks.CallbackSender;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobRegistry;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * fal.ai's queue API (docs/providers.md §1), mounted at {@code /fal} as the equivalent of {@code
 * https://queue.fal.run}. Every job produces text-to-image output.
 */
public final class FalQueueSimulation implements ProviderSimulation {

  public static final String MOUNT_PATH = "/fal";
  static final String REQUEST_ID_HEADER = "x-fal-request-id";

  private static final Duration STREAM_TICK = Duration.ofMillis(50);
  private static final Duration STREAM_KEEP_ALIVE = Duration.ofSeconds(15);

  private final String queueUrl;
  private final SandboxOptions options;
  private final JobClock clock;
  private final FalSubmission submission;
  private final CallbackSender callbacks;
  private final FalWebhookSigner signer;
  private final JobRegistry<FalJob> jobs = new JobRegistry<>();

  /** @param sandboxBaseUrl e.g. {@code http://127.0.0.1:8080} */
  public FalQueueSimulation(
      String sandboxBaseUrl,
      SandboxOptions options,
      JobClock clock,
      MediaFiles mediaFiles,
      CallbackSender callbacks,
      FalWebhookSigner signer) {
    this.queueUrl = sandboxBaseUrl + MOUNT_PATH;
    this.options = options;
    this.clock = clock;
    this.submission = new FalSubmission(options, clock, mediaFiles);
    this.callbacks = callbacks;
    this.signer = signer;
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    Optional<SandboxResponse> denied = checkAuthorization(request.header("Authorization"));
    if (denied.isPresent()) {
      return denied.get();
    }
    FalRoute route = FalRoute.parse(request.segments());
    if (route.kind() == FalRoute.Kind.NOT_FOUND) {
      return FalErrors.detail(404, "Not Found");
    }
    if (!request.method().equals(route.kind().method)) {
      return route.subpathHoldsQueueCall()
          ? FalErrors.detail(404, "Not Found: status, result and cancel URLs use only {owner}/{app},"
              + " the subpath is for submit; use the URLs returned by submit")
          : FalErrors.detail(405, "Method Not Allowed");
    }
    return switch (route.kind()) {
      case SUBMIT -> submit(route, request);
      case STATUS -> withJob(route, job -> status(job, wantsLogs(request)));
      case STATUS_STREAM -> withJob(route, job -> statusStream(job, wantsLogs(request)));
      case RESULT -> withJob(route, this::result);
      case CANCEL -> jobOf(route).map(this::cancel)
          .orElseGet(() -> SandboxResponse.json(404, Json.object().put("status", "NOT_FOUND")));
      case NOT_FOUND -> throw new IllegalStateException("handled above");
    };
  }

  private Optional<SandboxResponse> checkAuthorization(String header) {
    if (header == null || header.isBlank()) {
      return Optional.of(FalErrors.detail(401, "Missing Authorization header: send 'Authorization: Key <FAL_KEY>'"));
    }
    String[] parts = header.trim().split("\\s+", 2);
    if (parts.length < 2 || !parts[0].equalsIgnoreCase("Key")) {
      return Optional.of(FalErrors.detail(401, "Unsupported Authorization scheme: send 'Authorization: Key <FAL_KEY>'"));
    }
    if (options.falKey() != null && !options.falKey().equals(parts[1])) {
      return Optional.of(FalErrors.detail(401, "Invalid key"));
    }
    return Optional.empty();
  }

  private Optional<FalJob> jobOf(FalRoute route) {
    return jobs.find(route.requestId()).filter(job -> job.appId.equals(route.appId()));
  }

  private SandboxResponse withJob(FalRoute route, Function<FalJob, SandboxResponse> action) {
    return jobOf(route).map(action).orElseGet(() -> FalErrors.detail(404, "Request not found"));
  }

  private SandboxResponse submit(FalRoute route, SandboxRequest request) {
    FalJob job;
    try {
      job = submission.accept(route.appId(), request);
    } catch (SubmitRejected rejected) {
      return rejected.response();
    }
    jobs.add(job.id, job);
    watchWebhook(job);
    ObjectNode body = Json.object().put("request_id", job.id);
    if (job.webhookUrl != null) {
      body.put("gateway_request_id", job.id); // fal's docs show it with webhooks; equal unless fal retried
    }
    putUrls(body, job);
    body.put("queue_position", queuePosition(job, clock.now()));
    return SandboxResponse.json(200, body).withHeader(REQUEST_ID_HEADER, job.id);
  }

  private SandboxResponse status(FalJob job, boolean withLogs) {
    if (job.takeRateLimitedPoll()) {
      return FalErrors.rateLimited(job.retryAfterSeconds());
    }
    FalJob.View view = job.at(clock.now());
    int httpStatus = view.phase() == JobTimeline.Phase.DONE ? 200 : 202;
    return SandboxResponse.json(httpStatus, statusBody(job, view, withLogs));
  }

  /** Server-sent events: one {@code data:} line per status change, closed after COMPLETED. */
  private SandboxResponse statusStream(FalJob job, boolean withLogs) {
    return SandboxResponse.stream("text/event-stream", out -> {
      String lastSent = null;
      Instant lastWrite = clock.now();
      while (true) {
        FalJob.View view = job.at(clock.now());
        String status = statusBody(job, view, withLogs).toString();
        if (!status.equals(lastSent)) {
          write(out, "data: " + status + "\n\n");
          lastSent = status;
          lastWrite = view.at();
        } else if (Duration.between(lastWrite, view.at()).compareTo(STREAM_KEEP_ALIVE) >= 0) {
          write(out, ": keep-alive\n\n");
          lastWrite = view.at();
        }
        if (view.phase() == JobTimeline.Phase.DONE) {
          return;
        }
        try {
          Thread.sleep(STREAM_TICK);
        } catch (InterruptedException e) { // the sandbox is closing
          Thread.currentThread().interrupt();
          return;
        }
      }
    });
  }

  private SandboxResponse result(FalJob job) {
    FalJob.View view = job.at(clock.now());
    SandboxResponse response;
    if (job.webhookKnobs.resultGone()) {
      response = FalErrors.detail(404, "Request not found");
    } else if (view.phase() != JobTimeline.Phase.DONE) {
      response = FalErrors.detail(400, "Request is still in progress");
    } else if (view.failure() != null) {
      response = view.failure().resultResponse();
    } else {
      response = SandboxResponse.json(200, job.output);
    }
    return response.withHeader(REQUEST_ID_HEADER, job.id);
  }

  private SandboxResponse cancel(FalJob job) {
    JobTimeline.Phase before = job.cancel(clock.now());
    watchWebhook(job);
    return switch (before) {
      case QUEUED -> SandboxResponse.json(200, Json.object().put("status", "OK"));
      case RUNNING -> SandboxResponse.json(202, Json.object().put("status", "CANCELLATION_REQUESTED"));
      case DONE -> SandboxResponse.json(400, Json.object().put("status", "ALREADY_COMPLETED"));
    };
  }

  /**
   * fal posts its webhook once, on completion (docs/providers.md §1.8). A cancelled job completes too,
   * so it gets one with {@code status} {@code ERROR}.
   */
  private void watchWebhook(FalJob job) {
    if (job.webhookUrl == null) {
      return;
    }
    FalJob.View view = job.at(clock.now());
    if (view.phase() != JobTimeline.Phase.DONE) {
      callbacks.at(view.timeline().completesAt(), () -> watchWebhook(job));
      return;
    }
    if (job.webhookSent.compareAndSet(false, true)) {
      String status = view.failure() == null ? "OK" : "ERROR";
      callbacks.send(new CallbackSender.Callback("fal", job.id, job.webhookUrl, status,
          Json.bytes(webhookBody(job, view)), (body, unixSeconds) -> signer.headers(job.id, body, unixSeconds),
          CallbackSender.Retries.STANDARD, job.callbackKnobs));
    }
  }

  /**
   * {@code {request_id, gateway_request_id, status: "OK", payload: <output>}}, or on failure {@code
   * status: "ERROR"}, {@code error: "Invalid status code: <n>"} and the result's error body as
   * {@code payload}.
   */
  private static ObjectNode webhookBody(FalJob job, FalJob.View view) {
    ObjectNode body = Json.object().put("request_id", job.id).put("gateway_request_id", job.id);
    if (view.failure() == null && job.webhookKnobs.payloadError() != null) {
      body.put("status", "OK").putNull("payload");
      body.put("payload_error", job.webhookKnobs.payloadError());
      return body;
    }
    if (view.failure() == null) {
      body.put("status", "OK").set("payload", job.output);
      return body;
    }
    SandboxResponse result = view.failure().resultResponse();
    body.put("status", "ERROR").put("error", "Invalid status code: " + result.status());
    try {
      body.set("payload", Json.parse(result.body()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the sandbox's own error bodies are JSON", e);
    }
    return body;
  }

  private ObjectNode statusBody(FalJob job, FalJob.View view, boolean withLogs) {
    ObjectNode body = Json.object();
    switch (view.phase()) {
      case QUEUED -> body.put("status", "IN_QUEUE").put("queue_position", queuePosition(job, view.at()));
      case RUNNING -> body.put("status", "IN_PROGRESS").set("logs", withLogs ? job.logs(view) : null);
      case DONE -> {
        body.put("status", "COMPLETED").set("logs", withLogs ? job.logs(view) : null);
        ObjectNode metrics = body.putObject("metrics");
        if (!view.timeline().runTime().isZero()) {
          metrics.put("inference_time", view.timeline().runSeconds());
        }
        if (view.failure() != null) {
          body.put("error", view.failure().message()).put("error_type", view.failure().errorType());
        }
      }
    }
    body.put("request_id", job.id);
    return putUrls(body, job);
  }

  private ObjectNode putUrls(ObjectNode body, FalJob job) {
    String requestUrl = queueUrl + "/" + job.appId + "/requests/" + job.id;
    return body.put("response_url", requestUrl)
        .put("status_url", requestUrl + "/status")
        .put("cancel_url", requestUrl + "/cancel");
  }

  /** Requests of the same app submitted earlier and still waiting (fal: 0 = none ahead). */
  private int queuePosition(FalJob job, Instant now) {
    return (int) jobs.all().stream()
        .filter(other -> other.sequence < job.sequence && other.appId.equals(job.appId))
        .filter(other -> other.at(now).phase() == JobTimeline.Phase.QUEUED)
        .count();
  }

  private static boolean wantsLogs(SandboxRequest request) {
    return request.queryParam("logs").map(v -> v.equals("1") || v.equalsIgnoreCase("true")).orElse(false);
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
