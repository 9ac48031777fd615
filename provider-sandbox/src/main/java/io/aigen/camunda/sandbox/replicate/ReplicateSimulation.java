package io.aigen.camunda.sandbox.replicate;

import io.aigen.camunda.sandbox.jobs.SubmitRejected;
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
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Replicate's predictions API (docs/providers.md §2), mounted at {@code /replicate/v1} as the equivalent
 * of {@code https://api.replicate.com/v1}.
 */
public final class ReplicateSimulation implements ProviderSimulation {

  static final String MOUNT_PATH = "/replicate/v1";
  static final int MAX_WAIT_SECONDS = 60;
  static final int LIST_PAGE = 100;

  private static final Duration WAIT_TICK = Duration.ofMillis(20);

  private final String apiUrl;
  private final JobClock clock;
  private final ReplicateSubmission submission;
  private final CallbackSender callbacks;
  private final String webhookSecret;
  private final ReplicateWebhookSigner signer;
  private final JobRegistry<ReplicatePrediction> predictions = new JobRegistry<>();

  /**
   * @param sandboxBaseUrl e.g. {@code http://127.0.0.1:8080}
   * @param options with the webhook secret set
   */
  public ReplicateSimulation(
      String sandboxBaseUrl, SandboxOptions options, JobClock clock, MediaFiles mediaFiles, CallbackSender callbacks) {
    this.apiUrl = sandboxBaseUrl + MOUNT_PATH;
    this.clock = clock;
    this.submission = new ReplicateSubmission(options, clock, mediaFiles);
    this.callbacks = callbacks;
    this.webhookSecret = options.replicateWebhookSecret();
    this.signer = new ReplicateWebhookSigner(webhookSecret);
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    List<String> s = request.segments();
    if (s.size() == 2 && s.getFirst().equals("p")) {
      return only("GET", request, () -> withPrediction(s.get(1), this::webPage)); // a web page: no token
    }
    if (!BearerAuth.present(request.header("Authorization"))) {
      return ReplicateErrors.problem(401, "Unauthenticated", "You did not pass a valid authentication token");
    }
    if (s.size() == 1 && s.getFirst().equals("predictions")) {
      return request.method().equals("GET") ? list(request) : only("POST", request, () -> create(null, request));
    }
    if (s.equals(List.of("webhooks", "default", "secret"))) {
      return only("GET", request, () -> SandboxResponse.json(200, Json.object().put("key", webhookSecret)));
    }
    if (s.size() == 2 && s.getFirst().equals("predictions")) {
      return only("GET", request, () -> withPrediction(s.get(1), this::poll));
    }
    if (s.size() == 3 && s.getFirst().equals("predictions") && s.get(2).equals("cancel")) {
      return only("POST", request, () -> withPrediction(s.get(1), this::cancel));
    }
    if (s.size() == 4 && s.get(3).equals("predictions")
        && (s.getFirst().equals("models") || s.getFirst().equals("deployments"))) {
      Optional<ReplicateTarget> target = s.getFirst().equals("models")
          ? ReplicateTarget.officialModel(s.get(1), s.get(2))
          : ReplicateTarget.deployment(s.get(1), s.get(2));
      return only("POST", request,
          () -> target.map(t -> create(t, request)).orElseGet(ReplicateErrors::notFound));
    }
    return ReplicateErrors.notFound();
  }

  private static SandboxResponse only(String method, SandboxRequest request, Supplier<SandboxResponse> action) {
    return request.method().equals(method)
        ? action.get()
        : ReplicateErrors.problem(405, "Method not allowed", "Method \"" + request.method() + "\" not allowed.");
  }

  private SandboxResponse withPrediction(String id, Function<ReplicatePrediction, SandboxResponse> action) {
    return predictions.find(id).map(action).orElseGet(ReplicateErrors::notFound);
  }

  private SandboxResponse create(ReplicateTarget target, SandboxRequest request) {
    ReplicatePrediction prediction;
    try {
      prediction = submission.accept(target, request);
    } catch (SubmitRejected rejected) {
      return rejected.response();
    }
    predictions.add(prediction.id, prediction);
    watchWebhooks(prediction);
    preferredWait(request.header("Prefer")).ifPresent(wait -> awaitTerminal(prediction, wait));
    return SandboxResponse.json(201, prediction.json(prediction.at(clock.now()), apiUrl));
  }

  /**
   * {@code GET /predictions} (docs/providers.md §2.1): the account's predictions, newest first, 100
   * a page, {@code {previous, next, results}} with {@code next} a URL to the following page; {@code
   * created_after} / {@code created_before} (ISO 8601) narrow it.
   */
  private SandboxResponse list(SandboxRequest request) {
    Instant after;
    Instant before;
    int offset;
    try {
      after = request.queryParam("created_after").map(Instant::parse).orElse(null);
      before = request.queryParam("created_before").map(Instant::parse).orElse(null);
      offset = request.queryParam("cursor").map(Integer::parseInt).orElse(0);
    } catch (RuntimeException e) {
      return ReplicateErrors.problem(400, "Bad request", "created_after and created_before must be ISO 8601 times, cursor one this API gave");
    }
    Instant now = clock.now();
    List<ReplicatePrediction> all = predictions.all().stream()
        .filter(p -> after == null || p.createdAt().isAfter(after))
        .filter(p -> before == null || p.createdAt().isBefore(before))
        .sorted(java.util.Comparator.comparing(ReplicatePrediction::createdAt).reversed().thenComparing(p -> p.id))
        .toList();
    com.fasterxml.jackson.databind.node.ArrayNode results = Json.array();
    all.stream().skip(offset).limit(LIST_PAGE).forEach(p -> results.add(p.json(p.at(now), apiUrl)));
    com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
    String query = (after == null ? "" : "&created_after=" + after) + (before == null ? "" : "&created_before=" + before);
    body.put("previous", offset == 0 ? null : apiUrl + "/predictions?cursor=" + Math.max(0, offset - LIST_PAGE) + query);
    body.put("next", offset + LIST_PAGE < all.size() ? apiUrl + "/predictions?cursor=" + (offset + LIST_PAGE) + query : null);
    body.set("results", results);
    return SandboxResponse.json(200, body);
  }

  private SandboxResponse poll(ReplicatePrediction prediction) {
    if (prediction.takeRateLimitedPoll()) {
      return ReplicateErrors.throttled(prediction.retryAfterSeconds());
    }
    return SandboxResponse.json(200, prediction.json(prediction.at(clock.now()), apiUrl));
  }

  private SandboxResponse cancel(ReplicatePrediction prediction) {
    Instant now = clock.now();
    prediction.cancel(now);
    watchWebhooks(prediction);
    return SandboxResponse.json(200, prediction.json(prediction.at(now), apiUrl));
  }

  /**
   * Webhooks (docs/providers.md §2.6), each event at most once: {@code start} and {@code logs} when the
   * prediction starts processing (its first log line), {@code output} when it succeeded, {@code
   * completed} when it is terminal. Each body is the prediction as of that moment. Locked on the
   * prediction so a cancel and a scheduled check hand events over in order.
   */
  private void watchWebhooks(ReplicatePrediction prediction) {
    if (prediction.webhook == null) {
      return;
    }
    synchronized (prediction) {
      Instant now = clock.now();
      ReplicatePrediction.View view = prediction.at(now);
      if (view.startedAt() != null) {
        JsonNode started = prediction.json(prediction.at(view.startedAt()), apiUrl);
        sendWebhook(prediction, "start", started);
        sendWebhook(prediction, "logs", started);
      }
      if (!view.status().terminal()) {
        callbacks.at(prediction.nextChange(now), () -> watchWebhooks(prediction));
        return;
      }
      JsonNode finished = prediction.json(view, apiUrl);
      if (view.status() == ReplicatePrediction.Status.SUCCEEDED) {
        sendWebhook(prediction, "output", finished);
      }
      sendWebhook(prediction, "completed", finished);
    }
  }

  private void sendWebhook(ReplicatePrediction prediction, String event, JsonNode body) {
    if (prediction.webhookEventsFilter.contains(event) && prediction.webhookEventsSent.add(event)) {
      String messageId = ReplicateWebhookSigner.newMessageId(); // one per event, the same for its retries
      callbacks.send(new CallbackSender.Callback("replicate", prediction.id, prediction.webhook, event,
          Json.bytes(body), (bytes, unixSeconds) -> signer.headers(messageId, bytes, unixSeconds),
          CallbackSender.Retries.STANDARD, prediction.callbackKnobs));
    }
  }

  private SandboxResponse webPage(ReplicatePrediction prediction) {
    String html = "<!doctype html><title>Prediction " + prediction.id + "</title>"
        + "<h1>Prediction " + prediction.id + "</h1><p>Status: " + prediction.at(clock.now()).status().word
        + "</p><p><a href=\"" + apiUrl + "/predictions/" + prediction.id + "\">API</a></p>";
    return SandboxResponse.bytes(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code Prefer: wait} or {@code Prefer: wait=<n>}: how long to hold the create, n clamped to
   * 1..60 s; 60 s when n is absent or not a number.
   */
  private static Optional<Duration> preferredWait(String header) {
    if (header == null) {
      return Optional.empty();
    }
    for (String preference : header.split(",")) {
      String[] kv = preference.trim().split("=", 2);
      if (kv[0].trim().equalsIgnoreCase("wait")) {
        boolean given = kv.length == 2 && kv[1].trim().matches("\\d{1,9}");
        long seconds = given ? Math.clamp(Long.parseLong(kv[1].trim()), 1, MAX_WAIT_SECONDS) : MAX_WAIT_SECONDS;
        return Optional.of(Duration.ofSeconds(seconds));
      }
    }
    return Optional.empty();
  }

  private void awaitTerminal(ReplicatePrediction prediction, Duration wait) {
    Instant until = clock.now().plus(wait);
    while (!prediction.at(clock.now()).status().terminal() && clock.now().isBefore(until)) {
      try {
        Thread.sleep(WAIT_TICK);
      } catch (InterruptedException e) { // the sandbox is closing
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
