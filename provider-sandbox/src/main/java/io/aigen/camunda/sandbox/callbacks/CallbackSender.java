package io.aigen.camunda.sandbox.callbacks;

import io.aigen.camunda.sandbox.CallbackDelivery;
import io.aigen.camunda.sandbox.Journal;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts providers' callbacks (webhooks) to the URLs given at submit, with the provider's signature
 * headers and retries. Simulations stay lazy: they ask to be called back at the instant a job's
 * state changes ({@link #at}) and hand over the callbacks that are then due ({@link #send}).
 *
 * <p>The callbacks of one job are delivered one after another, in the order they were handed over:
 * a later one waits until the earlier one was delivered or given up.
 */
public final class CallbackSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);
  private static final int MAX_JOURNAL_ENTRIES = Journal.MAX_ENTRIES;

  /** The provider's signature headers for one attempt. */
  @FunctionalInterface
  public interface Signer {
    Signer UNSIGNED = (body, unixSeconds) -> Map.of();

    Map<String, String> headers(byte[] body, long unixSeconds);
  }

  /**
   * How a provider retries.
   *
   * @param delays the pause before each retry; their number is the number of retries
   * @param delivered which answers end the retries
   * @param timeout how long one attempt may take
   */
  public record Retries(List<Duration> delays, IntPredicate delivered, Duration timeout) {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Three retries after 200, 400 and 800 ms; any 2xx is delivered. */
    public static final Retries STANDARD = new Retries(
        List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800)),
        status -> status >= 200 && status < 300, TIMEOUT);

    public Retries {
      delays = List.copyOf(delays);
    }
  }

  /**
   * One callback.
   *
   * @param provider the provider id, for the journal
   * @param jobId the job it is about; callbacks of one job are sent in order
   * @param event what it announces, for the journal
   */
  public record Callback(
      String provider,
      String jobId,
      String url,
      String event,
      byte[] body,
      Signer signer,
      Retries retries,
      SandboxDirectives.CallbackKnobs knobs) {}

  private final JobClock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sandbox-callback-timer").factory());
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Retries.TIMEOUT)
      .build();
  /** Callbacks waiting per job; the first of each is being delivered. */
  private final Map<String, Deque<Callback>> lanes = new HashMap<>();
  private final Deque<CallbackDelivery> deliveries = new ArrayDeque<>();
  private volatile boolean closed;

  public CallbackSender(JobClock clock) {
    this.clock = clock;
  }

  /** Runs {@code task} (on a virtual thread) once the job clock has reached {@code when}. */
  public void at(Instant when, Runnable task) {
    schedule(Duration.between(clock.now(), when), () -> {
      if (clock.now().isBefore(when)) { // the timer and the wall clock may disagree by a hair
        at(when, task);
      } else {
        task.run();
      }
    });
  }

  /** Delivers {@code callback}, unless its knobs say to skip it. */
  public void send(Callback callback) {
    if (callback.knobs().skip()) {
      return;
    }
    boolean laneIdle;
    synchronized (lanes) {
      Deque<Callback> lane = lanes.computeIfAbsent(laneOf(callback), key -> new ArrayDeque<>());
      lane.addLast(callback);
      laneIdle = lane.size() == 1;
    }
    if (laneIdle) {
      begin(callback);
    }
  }

  /** Every delivery attempt so far, oldest first (the latest {@value #MAX_JOURNAL_ENTRIES}). */
  public List<CallbackDelivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    workers.shutdownNow();
    client.shutdownNow();
  }

  private void begin(Callback callback) {
    schedule(Duration.ofMillis(callback.knobs().delayMs()), () -> attempt(callback, 0, 1));
  }

  private void attempt(Callback callback, int copy, int attempt) {
    Instant at = clock.now();
    Map<String, String> headers = callback.signer().headers(callback.body(), at.getEpochSecond());
    byte[] body = callback.knobs().tamper() ? tampered(callback.body()) : callback.body();
    Answer answer = post(callback, headers, body);
    int status = answer.status();
    if (closed) {
      return;
    }
    record(new CallbackDelivery(callback.provider(), callback.url(), callback.event(), copy, attempt, status, at, clock.now(),
        headers, new String(body, StandardCharsets.UTF_8)));
    LOG.debug("{} callback {} to {} (copy {}, attempt {}) -> {}", callback.provider(), callback.event(),
        callback.url(), copy, attempt, status);
    List<Duration> delays = callback.retries().delays();
    if (!callback.retries().delivered().test(status) && attempt <= delays.size()) {
      // a receiver's Retry-After (on 429/503) stretches the planned pause, as real providers' senders do
      Duration delay = answer.retryAfter() != null && answer.retryAfter().compareTo(delays.get(attempt - 1)) > 0
          ? answer.retryAfter() : delays.get(attempt - 1);
      schedule(delay, () -> attempt(callback, copy, attempt + 1));
    } else if (copy < callback.knobs().duplicates()) {
      attempt(callback, copy + 1, 1);
    } else {
      finished(callback);
    }
  }

  /** A receiver's answer: its status ({@code -1} when unreachable) and its {@code Retry-After}, if in seconds. */
  private record Answer(int status, Duration retryAfter) {}

  /** The longest {@code Retry-After} honoured: a wrong one must not stall a lane. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private static Duration retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(String::trim).filter(value -> value.matches("\\d{1,6}"))
        .map(value -> Duration.ofSeconds(Long.parseLong(value)))
        .map(delay -> delay.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : delay)
        .orElse(null);
  }

  private Answer post(Callback callback, Map<String, String> headers, byte[] body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(callback.url()))
          .timeout(callback.retries().timeout())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(request::header);
      HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return new Answer(response.statusCode(), retryAfter(response));
    } catch (IOException | IllegalArgumentException e) { // unreachable, timed out, or not an http(s) URL
      LOG.debug("{} callback to {} failed: {}", callback.provider(), callback.url(), e.toString());
      return new Answer(-1, null);
    } catch (InterruptedException e) { // the sandbox is closing
      Thread.currentThread().interrupt();
      return new Answer(-1, null);
    }
  }

  private void finished(Callback callback) {
    Callback next;
    synchronized (lanes) {
      Deque<Callback> lane = lanes.get(laneOf(callback));
      lane.removeFirst();
      next = lane.peekFirst();
      if (next == null) {
        lanes.remove(laneOf(callback));
      }
    }
    if (next != null) {
      begin(next);
    }
  }

  private void record(CallbackDelivery delivery) {
    synchronized (deliveries) {
      if (deliveries.size() == MAX_JOURNAL_ENTRIES) {
        deliveries.removeFirst();
      }
      deliveries.addLast(delivery);
    }
  }

  /** Runs {@code task} on a virtual thread after {@code delay}; nothing once closed. */
  private void schedule(Duration delay, Runnable task) {
    try {
      timer.schedule(() -> execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void execute(Runnable task) {
    try {
      workers.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("Sandbox callback task failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private static String laneOf(Callback callback) {
    return callback.provider() + "/" + callback.jobId();
  }

  /**
   * The body with its first ASCII letter (in the first field name, as every callback body is a JSON
   * object) switched to the other case: still JSON, but not what was signed.
   */
  static byte[] tampered(byte[] body) {
    byte[] changed = body.clone();
    for (int i = 0; i < changed.length; i++) {
      byte b = changed[i];
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
        changed[i] ^= 0x20;
        return changed;
      }
    }
    if (changed.length > 0) {
      changed[changed.length - 1] ^= 0x01;
    }
    return changed;
  }
}
