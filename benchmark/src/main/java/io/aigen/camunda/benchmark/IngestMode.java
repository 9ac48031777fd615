package io.aigen.camunda.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.protocol.record.ValueType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --mode=ingest}: verified provider callbacks per second, and their latency, against the
 * runtime's callback endpoint {@code POST /callbacks/fal}, from a load generator on loopback.
 *
 * <ol>
 *   <li>One {@link Stack} (engine, sandbox, runtime) with the process {@link Waiting}: a receive
 *       task on {@value SubmitCallback#MESSAGE} keyed by the variable {@code jobId}, and the
 *       runtime set up as for {@link SubmitCallback} (fal's keys = the sandbox's JWKS).
 *   <li>Per sender level C (from {@code --senders}): M = {@code --n} instances are started, each
 *       with its own job id (a UUID, like fal's request ids), and the harness waits until all M
 *       receive tasks have opened their message subscriptions. So every callback correlates to a
 *       waiting instance; none is only buffered.
 *   <li>Before the clock starts, M fal webhooks are built, one per job id, with the body fal
 *       sends on success ({@code {request_id, gateway_request_id, status: "OK", payload: <image
 *       output>}}) and signed by the sandbox's current fal key ({@code
 *       ProviderSandbox.signFalWebhook}, the sandbox's own signer), as ready-made requests.
 *   <li>C platform threads send them in a closed loop (each sends the next request when it has
 *       the answer to its last) with one {@link HttpClient} (HTTP/1.1, kept-alive connections).
 *       Each request's round trip is timed until the answer has been read.
 *   <li>Reported: accepted (2xx) callbacks per second over the send window, round-trip
 *       p50/p95/p99/max, rejections by status, answers that say {@code "published":true}, MESSAGE
 *       PUBLISHED and MESSAGE_SUBSCRIPTION CORRELATED records on the {@link RecordTap}, and
 *       <i>callback sent → process continues</i> per callback: the engine record time of the
 *       receive task's ELEMENT_COMPLETED − the wall-clock time the request was sent (one machine,
 *       one clock, millisecond resolution); the runtime's CPU per callback, threads and heap.
 * </ol>
 *
 * {@code --warmup} callbacks (default 200) go through the same path first and are not measured:
 * they also make the runtime fetch the JWKS.
 */
final class IngestMode {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PUBLISHED = "\"published\":true";

  /** The process each callback is for: start → receive task ({@value SubmitCallback#MESSAGE}, key = jobId) → end. */
  static final class Waiting implements Strategy {
    @Override
    public String id() {
      return "ingest";
    }

    @Override
    public String label() {
      return "ingest: receive task waiting for its callback";
    }

    @Override
    public boolean ours() {
      return true;
    }

    @Override
    public String describe(Options options) {
      return "a receive task on '" + SubmitCallback.MESSAGE + "' with correlation key = the instance's jobId";
    }

    @Override
    public String processId() {
      return "bench-ingest";
    }

    @Override
    public String waitElementId() {
      return "waitForCallback";
    }

    @Override
    public BpmnModelInstance process(Setting setting) {
      return Bpmn.createExecutableProcess(processId())
          .startEvent("start")
          .receiveTask(waitElementId())
          .message(message -> message.name(SubmitCallback.MESSAGE).zeebeCorrelationKeyExpression("jobId"))
          .endEvent("end")
          .done();
    }

    @Override
    public Map<String, String> runtimeProperties(Setting setting) {
      return new SubmitCallback().runtimeProperties(setting);
    }
  }

  /** M instances waiting, and a signed callback ready for each. */
  private record Batch(List<Long> keys, List<String> jobIds, HttpRequest[] requests, int bodyBytes, Instant signedAt) {}

  /** What sending a batch measured, by index of the batch. */
  private record Sent(
      int senders, long[] sentAtMillis, long[] roundTripNanos, int[] status, boolean[] published, long wallNanos, String firstRejection) {

    int count() {
      return status.length;
    }

    int accepted() {
      int n = 0;
      for (int s : status) {
        if (s >= 200 && s < 300) {
          n++;
        }
      }
      return n;
    }

    int publishedAnswers() {
      int n = 0;
      for (boolean p : published) {
        if (p) {
          n++;
        }
      }
      return n;
    }

    /** Non-2xx answers by status; -1 = no answer (connection failed or timed out). */
    Map<Integer, Integer> rejectedByStatus() {
      Map<Integer, Integer> by = new TreeMap<>();
      for (int s : status) {
        if (s < 200 || s >= 300) {
          by.merge(s, 1, Integer::sum);
        }
      }
      return by;
    }

    /** Round trips in microseconds, sorted. */
    long[] roundTripMicros() {
      return Format.sorted(Arrays.stream(roundTripNanos).map(n -> n / 1_000).toArray());
    }
  }

  record Level(
      int senders,
      int m,
      int accepted,
      Map<Integer, Integer> rejected,
      String firstRejection,
      int publishedAnswers,
      long wallMillis,
      long[] roundTripMicros,
      RecordTap.Messages messages,
      int completed,
      long[] continuesMillis,
      long runtimeCpuNanos,
      long harnessCpuNanos,
      double runtimeIdleCpuPercent,
      JvmStats runtimeAfter,
      RecordTap.Window records,
      int bodyBytes) {

    double acceptedPerSecond() {
      return wallMillis <= 0 ? Double.NaN : accepted * 1000.0 / wallMillis;
    }

    /** The runtime's CPU per callback beyond what it spends idle over the same time. */
    double runtimeCpuMillisBeyondIdle() {
      return (runtimeCpuNanos / 1e6 - runtimeIdleCpuPercent / 100.0 * wallMillis) / m;
    }

    double rttMillis(double percentile) {
      return Format.percentile(roundTripMicros, percentile) / 1000.0;
    }
  }

  private final Options options;
  private final Report report;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  IngestMode(Options options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    Waiting waiting = new Waiting();
    List<Level> levels = new ArrayList<>();
    String runtimeLog;
    Format.progress("ingest: starting engine, sandbox and runtime");
    try (Stack stack = Stack.start(waiting, options)) {
      runtimeLog = stack.runtime.log().toString();
      String url = stack.runtime.baseUrl() + "/callbacks/fal";
      int maxSenders = options.senders().stream().mapToInt(Integer::intValue).max().orElse(8);
      if (options.warmup() > 0) {
        Format.progress("  warm-up: %d callbacks, %d senders", options.warmup(), maxSenders);
        Batch warm = prepare(stack, url, "warmup", options.warmup());
        Sent sent = send(warm, maxSenders);
        stack.awaitCompleted(warm.keys(), System.nanoTime() + TimeUnit.MINUTES.toNanos(2), "warm-up");
        if (sent.accepted() < sent.count()) {
          Format.progress("  warm-up: %d of %d callbacks refused (%s); first: %s", sent.count() - sent.accepted(), sent.count(),
              sent.rejectedByStatus(), sent.firstRejection());
        }
      }
      for (int senders : options.senders()) {
        levels.add(measure(stack, url, senders));
      }
    }
    print(levels, runtimeLog);
  }

  private Level measure(Stack stack, String url, int senders) throws InterruptedException {
    Format.progress("  C=%d: starting %,d waiting instances and signing %,d callbacks", senders, options.n(), options.n());
    Batch batch = prepare(stack, url, "c" + senders, options.n());
    Thread.sleep(1_000);
    // the runtime's CPU while idle (job workers polling the engine, timers), to read the per-callback CPU against
    JvmStats idleFrom = stack.runtime.stats(false, false);
    Thread.sleep(2_000);
    JvmStats idleTo = stack.runtime.stats(false, false);
    double idleCpuPercent = (idleTo.cpuNanos() - idleFrom.cpuNanos()) / 1e7 / ((idleTo.atMillis() - idleFrom.atMillis()) / 1000.0);
    stack.records.drain();
    RecordTap.Messages messagesBefore = stack.records.messages();
    JvmStats runtimeBefore = stack.runtime.stats(false, true);
    JvmStats harnessBefore = JvmStats.capture(false, false);
    long t0 = System.currentTimeMillis();
    Format.progress("  C=%d: sending %,d callbacks", senders, options.n());
    Sent sent = send(batch, senders);
    JvmStats runtimeSent = stack.runtime.stats(false, false);
    JvmStats harnessSent = JvmStats.capture(false, false);
    long signedAge = Duration.between(batch.signedAt(), Instant.now()).toSeconds();
    if (signedAge > 250) {
      Format.progress("  WARNING: the last callbacks were sent %d s after signing; fal's window is ±300 s", signedAge);
    }
    int completed = stack.awaitCompleted(batch.keys(), System.nanoTime() + TimeUnit.MINUTES.toNanos(2), "C=" + senders);
    JvmStats runtimeDone = stack.runtime.stats(false, false);
    Thread.sleep(300);
    stack.records.drain();
    RecordTap.Messages messages = stack.records.messages().minus(messagesBefore);
    long tEnd = t0;
    long[] continues = new long[batch.keys().size()];
    int measured = 0;
    for (int i = 0; i < batch.keys().size(); i++) {
      Long processDone = stack.records.processCompletedAt(batch.keys().get(i));
      if (processDone != null) {
        tEnd = Math.max(tEnd, processDone);
      }
      Long continued = stack.records.waitCompletedAt(batch.keys().get(i));
      if (continued != null && sent.status()[i] >= 200 && sent.status()[i] < 300) {
        continues[measured++] = continued - sent.sentAtMillis()[i];
      }
    }
    RecordTap.Window records = stack.records.window(t0, tEnd);
    JvmStats runtimeAfter = stack.runtime.stats(true, false);
    JvmStats runtime = new JvmStats(runtimeDone.threads(), runtimeDone.peakThreads(), runtimeAfter.heapUsedBytes(), runtimeAfter.heapCommittedBytes(),
        runtimeAfter.nonHeapUsedBytes(), runtimeDone.rssBytes(), runtimeDone.cpuNanos(), runtimeDone.atMillis(), runtimeDone.threadGroups());
    Format.progress("  C=%d: %,d/%,d accepted in %,d ms; %,d instances continued", senders, sent.accepted(), sent.count(),
        TimeUnit.NANOSECONDS.toMillis(sent.wallNanos()), completed);
    return new Level(senders, sent.count(), sent.accepted(), sent.rejectedByStatus(), sent.firstRejection(), sent.publishedAnswers(),
        TimeUnit.NANOSECONDS.toMillis(sent.wallNanos()), sent.roundTripMicros(), messages, completed,
        Format.sorted(Arrays.copyOf(continues, measured)), runtimeSent.cpuNanos() - runtimeBefore.cpuNanos(),
        harnessSent.cpuNanos() - harnessBefore.cpuNanos(), idleCpuPercent, runtime, records, batch.bodyBytes());
  }

  /**
   * Starts {@code count} instances, each waiting for the callback of its own job id, waits until
   * their subscriptions are open, and signs a fal webhook for each.
   */
  private Batch prepare(Stack stack, String url, String tag, int count) throws InterruptedException {
    List<String> jobIds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      jobIds.add(UUID.randomUUID().toString());
    }
    stack.records.drain();
    long subscriptionsBefore = stack.records.messages().subscriptionsCreated();
    List<Long> keys = stack.startInstances(count, i -> Map.of("jobId", jobIds.get(i)));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (stack.records.messages().subscriptionsCreated() - subscriptionsBefore < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + (stack.records.messages().subscriptionsCreated() - subscriptionsBefore) + " of " + count
            + " receive tasks opened their message subscription within 2 min");
      }
      Thread.sleep(50);
    }
    Instant signedAt = Instant.now();
    HttpRequest[] requests = new HttpRequest[count];
    int bodyBytes = 0;
    URI uri = URI.create(url);
    for (int i = 0; i < count; i++) {
      String jobId = jobIds.get(i);
      byte[] body = falWebhookBody(stack, jobId, tag + " " + i);
      bodyBytes = Math.max(bodyBytes, body.length);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      stack.sandbox.signFalWebhook(jobId, body, signedAt).forEach(request::header);
      requests[i] = request.build();
    }
    return new Batch(keys, jobIds, requests, bodyBytes, signedAt);
  }

  /** What fal posts when a job succeeded, with the sandbox's image output for {@code prompt}. */
  private static byte[] falWebhookBody(Stack stack, String jobId, String prompt) {
    ObjectNode body = JSON.createObjectNode().put("request_id", jobId).put("gateway_request_id", jobId).put("status", "OK");
    ObjectNode payload = body.putObject("payload");
    payload.putArray("images").addObject()
        .put("url", stack.sandbox.baseUrl() + "/files/" + jobId + "-0.png")
        .put("content_type", "image/png")
        .put("width", 512)
        .put("height", 512);
    payload.putObject("timings").put("inference", 1.0);
    payload.put("seed", 42);
    payload.putArray("has_nsfw_concepts").add(false);
    payload.put("prompt", prompt);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends the batch from {@code senders} threads, each taking the next request when it has its answer. */
  private Sent send(Batch batch, int senders) throws InterruptedException {
    int count = batch.requests().length;
    long[] sentAt = new long[count];
    long[] roundTrip = new long[count];
    int[] status = new int[count];
    boolean[] published = new boolean[count];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> firstRejection = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < senders; c++) {
      threads.add(Thread.ofPlatform().name("ingest-sender-" + c).daemon().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          sentAt[i] = System.currentTimeMillis();
          long start = System.nanoTime();
          try {
            HttpResponse<String> answer = http.send(batch.requests()[i], HttpResponse.BodyHandlers.ofString());
            roundTrip[i] = System.nanoTime() - start;
            status[i] = answer.statusCode();
            published[i] = answer.body().contains(PUBLISHED);
            if (status[i] < 200 || status[i] >= 300) {
              firstRejection.compareAndSet(null, status[i] + " " + answer.body());
            }
          } catch (IOException e) {
            roundTrip[i] = System.nanoTime() - start;
            status[i] = -1;
            firstRejection.compareAndSet(null, "no answer: " + e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long wall = System.nanoTime() - t0;
    return new Sent(senders, sentAt, roundTrip, status, published, wall, firstRejection.get());
  }

  private void print(List<Level> levels, String runtimeLog) {
    Table table = new Table(
        "senders C", "callbacks", "accepted (2xx)", "rejected", "wall s", "accepted/s", "round trip p50 ms", "p95 ms", "p99 ms", "max ms",
        "messages published", "correlated", "sent → continues p50 ms", "p95 ms", "p99 ms", "runtime CPU ms/callback",
        "runtime threads (peak)", "runtime heap MB after GC");
    for (Level l : levels) {
      int rejected = l.rejected().values().stream().mapToInt(Integer::intValue).sum();
      table.row(
          Integer.toString(l.senders()),
          String.format("%,d", l.m()),
          String.format("%,d", l.accepted()),
          String.format("%,d", rejected),
          Format.num(l.wallMillis() / 1000.0, 2),
          Format.num(l.acceptedPerSecond(), 0),
          Format.num(l.rttMillis(50), 1),
          Format.num(l.rttMillis(95), 1),
          Format.num(l.rttMillis(99), 1),
          Format.num(l.rttMillis(100), 1),
          String.format("%,d", l.messages().published()),
          String.format("%,d", l.messages().correlated()),
          Format.num(Format.percentile(l.continuesMillis(), 50), 0),
          Format.num(Format.percentile(l.continuesMillis(), 95), 0),
          Format.num(Format.percentile(l.continuesMillis(), 99), 0),
          Format.num(l.runtimeCpuNanos() / 1e6 / l.m()),
          l.runtimeAfter().threads() + " (" + l.runtimeAfter().peakThreads() + ")",
          Format.mb(l.runtimeAfter().heapUsedBytes()));
    }
    report.line("");
    report.line("## ingest: M = %,d signed fal callbacks per level to POST /callbacks/fal, senders %s, warm-up %d, %d cores, Java %s",
        options.n(), options.senders(), options.warmup(), Runtime.getRuntime().availableProcessors(), Runtime.version());
    report.line("");
    if (!options.runtimeProperties().isEmpty()) {
      report.line("Runtime properties: %s", options.runtimeProperties());
      report.line("");
    }
    report.line(table.render());
    report.line("How: before the clock starts, M process instances wait in a receive task on '%s', each keyed by its own job id"
        + " (subscriptions open), and M fal webhooks (status OK, the sandbox's image output as payload) are signed with the sandbox's"
        + " Ed25519 key. C threads send them in a closed loop over loopback (java.net.http, HTTP/1.1); the runtime verifies each"
        + " signature (keys from the sandbox's JWKS), reads the result and publishes the message before it answers."
        + " accepted/s = 2xx answers ÷ wall (first send → last answer); round trip = send → answer read; messages published ="
        + " MESSAGE PUBLISHED records, correlated = MESSAGE_SUBSCRIPTION CORRELATED records, both from the engine's log;"
        + " sent → continues = engine record time of the receive task's ELEMENT_COMPLETED − wall-clock time the request was sent;"
        + " runtime CPU = the runtime JVM's CPU time over the send window ÷ M. Every callback is for a waiting instance:"
        + " none is only buffered. Details: benchmark/README.md.", SubmitCallback.MESSAGE);
    report.line("");
    for (Level l : levels) {
      report.line("- C = %d:", l.senders());
      report.line("  - answers: %,d × 2xx, of which %,d say \"published\":true; rejected by status: %s%s", l.accepted(), l.publishedAnswers(),
          l.rejected().isEmpty() ? "none" : l.rejected(), l.firstRejection() == null ? "" : "; first: " + l.firstRejection());
      report.line("  - engine: %,d messages published, %,d rejected MESSAGE commands, %,d correlated; %,d of %,d instances continued;"
          + " sent → continues measured for %,d, max %s ms", l.messages().published(), l.messages().rejected(), l.messages().correlated(),
          l.completed(), l.m(), l.continuesMillis().length, Format.num(Format.percentile(l.continuesMillis(), 100), 0));
      StringBuilder types = new StringBuilder();
      l.records().byType().entrySet().stream()
          .sorted(Map.Entry.<ValueType, Long>comparingByValue().reversed())
          .limit(6)
          .forEach(e -> types.append(types.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(Format.num(e.getValue() / (double) l.m())));
      report.line("  - Zeebe records per callback (first send → last instance completed): %s [%s]", Format.num(l.records().total() / (double) l.m()), types);
      report.line("  - runtime CPU: %s ms/callback, %s beyond its idle use (%s %% of a core, measured over 2 s just before); engine + sandbox"
          + " + load generator JVM: CPU %s ms/callback; body %,d bytes", Format.num(l.runtimeCpuNanos() / 1e6 / l.m()),
          Format.num(l.runtimeCpuMillisBeyondIdle()), Format.num(l.runtimeIdleCpuPercent()), Format.num(l.harnessCpuNanos() / 1e6 / l.m()),
          l.bodyBytes());
      report.line("  - runtime JVM: %d threads after (peak %d) [%s]; heap %s MB after GC, RSS %s MB", l.runtimeAfter().threads(),
          l.runtimeAfter().peakThreads(), l.runtimeAfter().topGroups(5), Format.mb(l.runtimeAfter().heapUsedBytes()), Format.mb(l.runtimeAfter().rssBytes()));
    }
    report.line("- runtime log: %s", runtimeLog);
  }
}
