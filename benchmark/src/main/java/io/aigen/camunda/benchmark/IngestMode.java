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
import java.util.Objects;
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
 * they also make the runtime fetch the JWKS. Each is for an instance of its own and is correlated,
 * as a measured callback is, so that the JIT compiler has compiled the path that is measured (its
 * last tier compiles a method after 5,000 to 15,000 calls). Callbacks sent again for instances
 * that had their message, as the warm-up did until 2026-12-07, are refused by the engine as
 * duplicates: that warmed the runtime's and the engine's rejection paths, and left the measured
 * one to be compiled during the measurement. Every correlated message stays buffered for its TTL,
 * so a long warm-up leaves that many messages in the engine's state, for bare and runtime alike.
 */
final class IngestMode {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Warm-up callbacks are signed and sent this many at a time, well within fal's 300 s signing window. */
  private static final int WARMUP_CHUNK = 2_000;
  /**
   * Every other warm-up chunk is sent at this rate, as the open loop sends: otherwise the
   * harness's asynchronous HTTP client is compiled during the open loop (C2 took 509 ms over
   * {@code Exchange.readBodyAsync} inside a 0.7 s open loop, whose p50 was 222 ms).
   */
  private static final double WARMUP_RATE = 600;
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
      int senders, long[] sentAtMillis, long[] roundTripNanos, int[] status, boolean[] published, long wallNanos, String firstRejection, int answered503) {

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
      long runtimeCompilerCpuNanos,
      long runtimeGcCpuNanos,
      long harnessCpuNanos,
      double runtimeIdleCpuPercent,
      JvmStats runtimeAfter,
      RecordTap.Window records,
      int bodyBytes,
      int answered503) {

    double acceptedPerSecond() {
      return wallMillis <= 0 ? Double.NaN : accepted * 1000.0 / wallMillis;
    }

    /** The runtime's CPU per callback beyond what it spends idle over the same time. */
    double runtimeCpuMillisBeyondIdle() {
      return (runtimeCpuNanos / 1e6 - runtimeIdleCpuPercent / 100.0 * wallMillis) / m;
    }

    /** The runtime's CPU per callback without its JIT compiler and GC threads. */
    double runtimeAppCpuMillis() {
      return (runtimeCpuNanos - runtimeCompilerCpuNanos - runtimeGcCpuNanos) / 1e6 / m;
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
    Options.Ingest ingest = options.ingest();
    List<Level> levels = new ArrayList<>();
    List<Comparison> comparisons = new ArrayList<>();
    Burst burst = null;
    String runtimeLog = null;
    List<Integer> waitingLevels = ingest.waiting();
    for (int w = 0; w < waitingLevels.size(); w++) {
      int m = waitingLevels.get(w);
      Paired paired = ingest.bare() ? measureBare(m) : null;
      Bare bare = paired == null ? null : paired.bare();
      Waiting waiting = new Waiting();
      Format.progress("ingest M=%,d: starting engine, sandbox and runtime", m);
      try (Stack stack = Stack.start(waiting, options.withOutDir(options.outDir().resolve("m" + m)))) {
        runtimeLog = stack.runtime.log().toString();
        String url = stack.runtime.baseUrl() + "/callbacks/fal";
        warmUp(stack, url);
        List<Level> ofM = new ArrayList<>();
        for (int senders : options.senders()) {
          ofM.add(measure(stack, url, senders, m));
        }
        levels.addAll(ofM);
        comparisons.add(new Comparison(m, bare, ofM.get(ofM.size() - 1), paired == null ? null : paired.openLoop()));
      }
      if (paired == null && ingest.openLoop() && ingest.openLoopRate() > 0) {
        // no bare rate to take half of: a fresh stack of its own, at the rate given
        Format.progress("ingest M=%,d open loop: starting engine, sandbox and runtime", m);
        try (Stack stack = Stack.start(waiting, options.withOutDir(options.outDir().resolve("open-m" + m)))) {
          String url = stack.runtime.baseUrl() + "/callbacks/fal";
          warmUp(stack, url);
          OpenLoop open = openLoop(stack, url, m, ingest.openLoopRate());
          Comparison last = comparisons.remove(comparisons.size() - 1);
          comparisons.add(new Comparison(last.m(), last.bare(), last.runtime(), open));
        }
      }
      if (ingest.burst() > 0 && w == waitingLevels.size() - 1) {
        Format.progress("ingest burst: starting engine, sandbox and runtime");
        try (Stack stack = Stack.start(waiting, options.withOutDir(options.outDir().resolve("burst")))) {
          String url = stack.runtime.baseUrl() + "/callbacks/fal";
          warmUp(stack, url);
          burst = burst(stack, url, ingest.burst());
        }
      }
    }
    print(levels, runtimeLog);
    printComparisons(comparisons, burst);
  }

  private void warmUp(Stack stack, String url) throws InterruptedException {
    if (options.warmup() <= 0) {
      return;
    }
    int maxSenders = options.senders().stream().mapToInt(Integer::intValue).max().orElse(8);
    Format.progress("  warm-up: %,d callbacks, each for an instance of its own, in chunks of %,d: %d closed-loop senders and %s/s in turn",
        options.warmup(), WARMUP_CHUNK, maxSenders, Format.num(WARMUP_RATE, 0));
    for (int sent = 0, chunk = 0; sent < options.warmup(); sent += WARMUP_CHUNK, chunk++) {
      Batch warm = prepare(stack, url, "warmup", Math.min(WARMUP_CHUNK, options.warmup() - sent));
      if (chunk % 2 == 1) {
        // the open loop's sender (java.net.http's asynchronous path) needs its warm-up too
        sendAtRate(warm, WARMUP_RATE);
      } else {
        Sent answers = send(warm, maxSenders);
        if (answers.accepted() < answers.count()) {
          Format.progress("  warm-up: %d of %d callbacks refused (%s); first: %s", answers.count() - answers.accepted(), answers.count(),
              answers.rejectedByStatus(), answers.firstRejection());
        }
      }
      stack.awaitCompleted(warm.keys(), System.nanoTime() + TimeUnit.MINUTES.toNanos(2), "warm-up");
      readStatsAsALevelDoes(stack);
    }
  }

  /**
   * The runtime's stats are read over HTTP between and around a level's callbacks. Without those
   * reads in the warm-up, the first read after it made Tomcat's and the servlet API's hot call sites
   * see a second servlet: the JIT compiler threw away its code for the callback path and compiled
   * it again inside the measured windows (0.1-0.3 ms of the runtime's CPU per callback).
   */
  private static void readStatsAsALevelDoes(Stack stack) {
    stack.runtime.stats(false, true);
    stack.runtime.stats(false, false);
    stack.runtime.stats(true, false);
  }

  private Level measure(Stack stack, String url, int senders, int m) throws InterruptedException {
    Format.progress("  C=%d: starting %,d waiting instances and signing %,d callbacks", senders, m, m);
    Batch batch = prepare(stack, url, "c" + senders, m);
    quietBefore(1_000);
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
    Format.progress("  C=%d: sending %,d callbacks", senders, m);
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
        runtimeAfter.nonHeapUsedBytes(), runtimeDone.rssBytes(), runtimeDone.cpuNanos(), runtimeDone.atMillis(), runtimeDone.threadGroups(), runtimeDone.compilerCpuNanos(), runtimeDone.gcCpuNanos());
    Format.progress("  C=%d: %,d/%,d accepted in %,d ms; %,d instances continued", senders, sent.accepted(), sent.count(),
        TimeUnit.NANOSECONDS.toMillis(sent.wallNanos()), completed);
    return new Level(senders, sent.count(), sent.accepted(), sent.rejectedByStatus(), sent.firstRejection(), sent.publishedAnswers(),
        TimeUnit.NANOSECONDS.toMillis(sent.wallNanos()), sent.roundTripMicros(), messages, completed,
        Format.sorted(Arrays.copyOf(continues, measured)), runtimeSent.cpuNanos() - runtimeBefore.cpuNanos(),
        runtimeSent.compilerCpuNanos() - runtimeBefore.compilerCpuNanos(), runtimeSent.gcCpuNanos() - runtimeBefore.gcCpuNanos(), harnessSent.cpuNanos() - harnessBefore.cpuNanos(), idleCpuPercent, runtime, records, batch.bodyBytes(), sent.answered503());
  }

  /**
   * Starts {@code count} instances, each waiting for the callback of its own job id, waits until
   * their subscriptions are open, and signs a fal webhook for each.
   */
  private Batch prepare(Stack stack, String url, String tag, int count) throws InterruptedException {
    Batch waiting = waiting(stack, count);
    return sign(stack, url, tag, waiting);
  }

  /** Signs a fal webhook for each job of the waiting instances. */
  private Batch sign(Stack stack, String url, String tag, Batch waiting) {
    List<String> jobIds = waiting.jobIds();
    int count = jobIds.size();
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
    return new Batch(waiting.keys(), jobIds, requests, bodyBytes, signedAt);
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
    AtomicInteger answered503 = new AtomicInteger();
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
            // as a provider does: a 503 is sent again after its Retry-After
            for (int attempt = 1; answer.statusCode() == 503 && attempt < MAX_ATTEMPTS; attempt++) {
              answered503.incrementAndGet();
              Thread.sleep(retryAfterMillis(answer));
              answer = http.send(batch.requests()[i], HttpResponse.BodyHandlers.ofString());
            }
            if (answer.statusCode() == 503) {
              answered503.incrementAndGet();
            }
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
    return new Sent(senders, sentAt, roundTrip, status, published, wall, firstRejection.get(), answered503.get());
  }

  /** How often a callback answered 503 is sent again before it counts as lost. */
  private static final int MAX_ATTEMPTS = 10;

  private static long retryAfterMillis(HttpResponse<?> answer) {
    return answer.headers().firstValue("Retry-After").map(String::trim).filter(v -> v.matches("\\d{1,4}"))
        .map(v -> Long.parseLong(v) * 1000).orElse(1000L);
  }

  // ---- issue 10: bare engine, open loop, burst ----

  /** The engine alone: the same messages published straight to it over gRPC by C threads in a closed loop. */
  record Bare(int m, int senders, int published, int failed, long wallMillis, long[] continuesMillis, RecordTap.Messages messages,
      int runtimeAccepted, long runtimeWallMillis, CpuReading bareCpu, CpuReading runtimeCpu) {
    double perSecond() {
      return wallMillis <= 0 ? Double.NaN : published * 1000.0 / wallMillis;
    }

    /** The runtime's rate in the same rounds, on the same stack. */
    double runtimePerSecond() {
      return runtimeWallMillis <= 0 ? Double.NaN : runtimeAccepted * 1000.0 / runtimeWallMillis;
    }

    /** The machine's CPU (every core, every process) per message published straight to the engine. */
    double bareMachineMillis() {
      return CpuReading.millisEach(bareCpu.machineNanos(), published);
    }

    /** The machine's CPU per callback through the runtime. */
    double runtimeMachineMillis() {
      return CpuReading.millisEach(runtimeCpu.machineNanos(), runtimeAccepted);
    }

    /** How the CPU of one side's turns was spent, e.g. {@code 0.71 ms/msg (1.18 cores busy; harness 0.65, runtime 0.02)}. */
    static String cpu(CpuReading cpu, int count, long wallMillis) {
      return String.format("%s ms/msg (%s cores busy; harness JVM %s, runtime JVM %s)", Format.num(CpuReading.millisEach(cpu.machineNanos(), count)),
          Format.num(CpuReading.millisEach(cpu.machineNanos(), wallMillis)), Format.num(CpuReading.millisEach(cpu.harnessNanos(), count)),
          Format.num(CpuReading.millisEach(cpu.runtimeNanos(), count)));
    }
  }

  /** Rounds of a paired measurement: bare and runtime take turns, each in its own half of every round. */
  static final int PAIRED_ROUNDS = 4;

  /** Each side of the pairing gets at least this many: a few seconds of turns on the engine the runtime embeds. */
  static final int PAIRED_AT_LEAST = 4_000;

  /** How often the pairing runs on its stack, each time with M newly waiting instances. */
  static int pairedRepeats(int m) {
    return Math.max(1, (2 * PAIRED_AT_LEAST + m - 1) / m);
  }

  /** Callbacks sent at a fixed rate, whatever the answers (open loop). */
  record OpenLoop(int m, double offeredPerSecond, double sentPerSecond, int accepted, int answered503, int lost, long correlated, long[] continuesMillis) {}

  /** Callbacks sent at the same instant. */
  record Burst(int count, int accepted, int answered503, int unanswered, int lost, long correlated, int peakThreads, int threadsBefore, long wallMillis, long[] continuesMillis) {}

  record Comparison(int m, Bare bare, Level runtime, OpenLoop openLoop) {}

  /** The pairing of one stack, and the open loop that followed it there (null if none). */
  private record Paired(Bare bare, OpenLoop openLoop) {}

  /** What the runtime publishes for a succeeded fal job: the same variables, message name, key, id and TTL. */
  private static Map<String, Object> generation(Stack stack, String jobId) {
    String image = stack.sandbox.baseUrl() + "/files/" + jobId + "-0.png";
    Map<String, Object> payload = Map.of(
        "images", List.of(Map.of("url", image, "content_type", "image/png", "width", 512, "height", 512)),
        "timings", Map.of("inference", 1.0), "seed", 42, "has_nsfw_concepts", List.of(false), "prompt", "bare " + jobId);
    Map<String, Object> generation = new java.util.LinkedHashMap<>();
    generation.put("status", "SUCCEEDED");
    generation.put("provider", "fal");
    generation.put("jobId", jobId);
    generation.put("outputs", List.of(image));
    generation.put("providerResult", payload);
    generation.put("metrics", Map.of("polls", 0));
    generation.put("warnings", List.of());
    return Map.of("generation", generation);
  }

  /** Starts {@code count} instances waiting for their own job id's message, until all subscriptions are open; returns keys and job ids. */
  private static Batch waiting(Stack stack, int count) throws InterruptedException {
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
    return new Batch(keys, jobIds, new HttpRequest[0], 0, Instant.now());
  }

  /**
   * The engine alone against the runtime, paired on one fresh stack: M instances wait; then, in
   * {@value #PAIRED_ROUNDS} rounds, messages for a quarter of one half are published straight to the
   * engine and signed callbacks for a quarter of the other half go through the runtime, taking
   * turns which goes first; then again with M new instances waiting, until each side has sent at
   * least {@value #PAIRED_AT_LEAST} ({@link #pairedRepeats}). The
   * in-memory engine's speed moves with its state and with the JVM it shares with the harness, by
   * a factor of two between fresh stacks; taking turns on one stack leaves the ratio to the path.
   */
  private Paired measureBare(int m) throws Exception {
    int senders = options.senders().stream().mapToInt(Integer::intValue).max().orElse(8);
    Format.progress("ingest M=%,d bare: the engine alone and the runtime taking turns on one stack, %d senders each", m, senders);
    try (Stack stack = Stack.start(new Waiting(), options.withOutDir(options.outDir().resolve("bare-m" + m)))) {
      String url = stack.runtime.baseUrl() + "/callbacks/fal";
      warmUp(stack, url);
      int half = m / 2;
      int repeats = pairedRepeats(m);
      stack.records.drain();
      RecordTap.Messages before = stack.records.messages();
      List<long[]> continuesEach = new ArrayList<>();
      long bareNanos = 0;
      long runtimeNanos = 0;
      int failed = 0;
      int runtimeAccepted = 0;
      CpuReading bareCpu = CpuReading.ZERO;
      CpuReading runtimeCpu = CpuReading.ZERO;
      long pid = stack.runtime.pid();
      for (int repeat = 0; repeat < repeats; repeat++) {
        Batch bare = waiting(stack, half);
        Batch callbacks = prepare(stack, url, "paired" + repeat, m - half);
        quietBefore(repeat == 0 ? 3_000 : 500);
        long[] sentAt = new long[half];
        for (int round = 0; round < PAIRED_ROUNDS; round++) {
          for (int turn = 0; turn < 2; turn++) {
            if ((turn == 0) == ((round + repeat) % 2 == 0)) {
              int from = half * round / PAIRED_ROUNDS;
              int to = half * (round + 1) / PAIRED_ROUNDS;
              long[] sliceSentAt = new long[to - from];
              CpuReading cpu0 = CpuReading.now(pid);
              long t0 = System.nanoTime();
              failed += publishAll(stack, slice(bare, from, to), senders, sliceSentAt);
              bareNanos += System.nanoTime() - t0;
              bareCpu = bareCpu.plus(CpuReading.now(pid).minus(cpu0));
              System.arraycopy(sliceSentAt, 0, sentAt, from, to - from);
            } else {
              int from = (m - half) * round / PAIRED_ROUNDS;
              int to = (m - half) * (round + 1) / PAIRED_ROUNDS;
              CpuReading cpu0 = CpuReading.now(pid);
              Sent sent = send(slice(callbacks, from, to), senders);
              runtimeCpu = runtimeCpu.plus(CpuReading.now(pid).minus(cpu0));
              runtimeNanos += sent.wallNanos();
              runtimeAccepted += sent.accepted();
            }
          }
        }
        stack.awaitCompleted(bare.keys(), System.nanoTime() + TimeUnit.MINUTES.toNanos(2), "bare");
        stack.awaitCompleted(callbacks.keys(), System.nanoTime() + TimeUnit.MINUTES.toNanos(2), "paired runtime");
        Thread.sleep(300);
        stack.records.drain();
        continuesEach.add(continues(stack, bare, sentAt, null));
      }
      long[] continues = Format.sorted(continuesEach.stream().flatMapToLong(Arrays::stream).toArray());
      Bare result = new Bare(m, senders, half * repeats - failed, failed, TimeUnit.NANOSECONDS.toMillis(bareNanos), continues,
          stack.records.messages().minus(before), runtimeAccepted, TimeUnit.NANOSECONDS.toMillis(runtimeNanos), bareCpu, runtimeCpu);
      Format.progress("  bare: %,d published in %,d ms: %s/s, machine CPU %s ms/msg; the runtime in the same rounds: %,d in %,d ms: %s/s,"
          + " machine CPU %s ms/callback", result.published(), result.wallMillis(), Format.num(result.perSecond(), 0),
          Format.num(result.bareMachineMillis()), runtimeAccepted, result.runtimeWallMillis(), Format.num(result.runtimePerSecond(), 0),
          Format.num(result.runtimeMachineMillis()));
      // on the same stack, right after: fresh stacks differ in speed by up to 2×, so half of
      // another stack's bare rate could be most of this one's capacity
      Options.Ingest ingest = options.ingest();
      OpenLoop open = ingest.openLoop() ? openLoop(stack, url, m, ingest.openLoopRate() > 0 ? ingest.openLoopRate() : result.perSecond() / 2) : null;
      return new Paired(result, open);
    }
  }

  private static Batch slice(Batch batch, int from, int to) {
    HttpRequest[] requests = batch.requests().length == 0 ? batch.requests() : Arrays.copyOfRange(batch.requests(), from, to);
    return new Batch(batch.keys().subList(from, to), batch.jobIds().subList(from, to), requests, batch.bodyBytes(), batch.signedAt());
  }

  /** C threads publish the batch's messages in a closed loop; returns how many failed. */
  private static int publishAll(Stack stack, Batch batch, int senders, long[] sentAt) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < senders; c++) {
      threads.add(Thread.ofPlatform().name("bare-sender-" + c).daemon().start(() -> {
        for (int i = next.getAndIncrement(); i < batch.jobIds().size(); i = next.getAndIncrement()) {
          String jobId = batch.jobIds().get(i);
          sentAt[i] = System.currentTimeMillis();
          try {
            stack.client.newPublishMessageCommand()
                .messageName(SubmitCallback.MESSAGE)
                .correlationKey(jobId)
                .messageId("fal:" + jobId + ":SUCCEEDED")
                .timeToLive(Duration.ofHours(1))
                .variables(generation(stack, jobId))
                .send()
                .join(30, TimeUnit.SECONDS);
          } catch (RuntimeException e) {
            failed.incrementAndGet();
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return failed.get();
  }

  /** Per instance that continued (and, with {@code status}, was answered 2xx): record time of the wait's end − first send. */
  private static long[] continues(Stack stack, Batch batch, long[] sentAt, int[] status) {
    long[] continues = new long[batch.keys().size()];
    int measured = 0;
    for (int i = 0; i < batch.keys().size(); i++) {
      Long continued = stack.records.waitCompletedAt(batch.keys().get(i));
      if (continued != null && sentAt[i] > 0 && (status == null || (status[i] >= 200 && status[i] < 300))) {
        continues[measured++] = continued - sentAt[i];
      }
    }
    return Format.sorted(Arrays.copyOf(continues, measured));
  }

  /** Sends M callbacks at {@code rate} per second, each when its time comes, whatever the answers so far. */
  private OpenLoop openLoop(Stack stack, String url, int m, double rate) throws InterruptedException {
    Format.progress("  open loop: %,d callbacks at %s/s", m, Format.num(rate, 1));
    Batch batch = prepare(stack, url, "open", m);
    quietBefore(1_000);
    stack.records.drain();
    RecordTap.Messages before = stack.records.messages();
    AtRate sent = sendAtRate(batch, rate);
    long[] sentAt = sent.sentAtMillis();
    int[] status = sent.status();
    stack.awaitCompleted(batch.keys(), System.nanoTime() + TimeUnit.MINUTES.toNanos(2), "open loop");
    Thread.sleep(300);
    stack.records.drain();
    RecordTap.Messages messages = stack.records.messages().minus(before);
    int accepted = (int) Arrays.stream(status).filter(s -> s >= 200 && s < 300).count();
    long[] continues = continues(stack, batch, sentAt, status);
    OpenLoop open = new OpenLoop(m, rate, sent.perSecond(), accepted, sent.answered503(), m - (int) Math.min(m, messages.correlated()), messages.correlated(), continues);
    Format.progress("  open loop: %,d accepted, %,d × 503, continues p99 %s ms", accepted, sent.answered503(), Format.num(Format.percentile(continues, 99), 0));
    return open;
  }

  /** What sending at a fixed rate measured, by index of the batch. */
  private record AtRate(long[] sentAtMillis, int[] status, int answered503, double perSecond) {}

  /**
   * Sends the batch's callbacks at {@code rate} per second, each when its time comes, whatever the
   * answers so far; a 503 is sent again after its {@code Retry-After}. Returns when all are answered.
   */
  private AtRate sendAtRate(Batch batch, double rate) throws InterruptedException {
    int m = batch.requests().length;
    long[] sentAt = new long[m];
    int[] status = new int[m];
    AtomicInteger answered503 = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(m);
    java.util.concurrent.ScheduledExecutorService retries = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    long t0 = System.nanoTime();
    for (int i = 0; i < m; i++) {
      long due = t0 + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      sentAt[i] = System.currentTimeMillis();
      sendAsync(batch.requests()[i], i, 1, status, answered503, done, retries);
    }
    double perSecond = m / ((System.nanoTime() - t0) / 1e9);
    done.await(3, TimeUnit.MINUTES);
    retries.shutdownNow();
    return new AtRate(sentAt, status, answered503.get(), perSecond);
  }

  private void sendAsync(HttpRequest request, int i, int attempt, int[] status, AtomicInteger answered503, CountDownLatch done,
      java.util.concurrent.ScheduledExecutorService retries) {
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
      int code = failure != null ? -1 : answer.statusCode();
      if (code == 503) {
        answered503.incrementAndGet();
        if (attempt < MAX_ATTEMPTS) {
          retries.schedule(() -> sendAsync(request, i, attempt + 1, status, answered503, done, retries), retryAfterMillis(answer), TimeUnit.MILLISECONDS);
          return;
        }
      }
      status[i] = code;
      done.countDown();
    });
  }

  /** {@code count} callbacks sent at the same instant, each on its own connection; 503s sent again after Retry-After. */
  private Burst burst(Stack stack, String url, int count) throws InterruptedException {
    Format.progress("  burst: %,d callbacks at once", count);
    Batch batch = prepare(stack, url, "burst", count);
    quietBefore(1_000);
    stack.records.drain();
    RecordTap.Messages before = stack.records.messages();
    JvmStats threadsBefore = stack.runtime.stats(false, true);
    long[] sentAt = new long[count];
    int[] status = new int[count];
    AtomicInteger answered503 = new AtomicInteger();
    AtomicInteger unanswered = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    HttpClient[] clients = new HttpClient[count];
    for (int i = 0; i < count; i++) {
      // one client each: its own connection, as 1,000 provider machines would open
      clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    }
    for (int i = 0; i < count; i++) {
      int index = i;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
          sentAt[index] = System.currentTimeMillis();
          int code = -1;
          for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            HttpResponse<String> answer;
            try {
              answer = clients[index].send(batch.requests()[index], HttpResponse.BodyHandlers.ofString());
            } catch (IOException noAnswer) {
              // fal retries a delivery that failed (docs/providers.md §1.8); so does the burst, after 1 s
              unanswered.incrementAndGet();
              Thread.sleep(1_000);
              continue;
            }
            code = answer.statusCode();
            if (code != 503) {
              break;
            }
            answered503.incrementAndGet();
            Thread.sleep(retryAfterMillis(answer));
          }
          status[index] = code;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    JvmStats after = stack.runtime.stats(false, false);
    for (HttpClient client : clients) {
      client.shutdownNow();
    }
    stack.awaitCompleted(batch.keys(), System.nanoTime() + TimeUnit.MINUTES.toNanos(2), "burst");
    Thread.sleep(300);
    stack.records.drain();
    RecordTap.Messages messages = stack.records.messages().minus(before);
    int accepted = (int) Arrays.stream(status).filter(s -> s >= 200 && s < 300).count();
    Burst burst = new Burst(count, accepted, answered503.get(), unanswered.get(), count - (int) Math.min(count, messages.correlated()), messages.correlated(),
        after.peakThreads(), threadsBefore.threads(), wall, continues(stack, batch, sentAt, status));
    Format.progress("  burst: %,d accepted, %,d × 503 and %,d × no answer then sent again, %,d lost; runtime peak %d threads", accepted, burst.answered503(),
        burst.unanswered(), burst.lost(), burst.peakThreads());
    return burst;
  }

  /**
   * Collects the harness's garbage, then waits {@code millis}, before a measured window. The
   * in-memory engine keeps every record of its log, so after a long warm-up the harness's heap holds
   * gigabytes, and a concurrent collection of it falling in the window took CPU from the engine and
   * the runtime on the same cores.
   */
  private static void quietBefore(long millis) throws InterruptedException {
    System.gc();
    Thread.sleep(millis);
  }

  private boolean pinned() {
    return options.jvms().runtimeCpus() != null || options.jvms().harnessCpus() != null;
  }

  private void printComparisons(List<Comparison> comparisons, Burst burst) {
    Table table = new Table(
        "waiting M", "bare msgs/s (engine alone)", "runtime callbacks/s (same stack, taking turns)", "÷ bare", "runtime CPU ms/callback",
        "of which JIT + GC", "machine CPU ms/msg: bare / runtime path", "bare continues p99 ms", "open loop offered/s", "open loop continues p50 ms", "p99 ms", "answered 503 (then correlated)", "lost");
    for (Comparison c : comparisons) {
      Level l = c.runtime();
      double correlatedPerSecond = c.bare() != null ? c.bare().runtimePerSecond()
          : l.wallMillis() <= 0 ? Double.NaN : Math.min(l.accepted(), l.messages().correlated()) * 1000.0 / l.wallMillis();
      OpenLoop o = c.openLoop();
      int answered503 = l.answered503() + (o == null ? 0 : o.answered503());
      long lost = (l.m() - Math.min(l.m(), l.messages().correlated())) + (o == null ? 0 : o.lost());
      table.row(
          String.format("%,d", c.m()),
          c.bare() == null ? "-" : Format.num(c.bare().perSecond(), 0),
          Format.num(correlatedPerSecond, 0),
          c.bare() == null ? "-" : Format.num(correlatedPerSecond / c.bare().perSecond(), 2) + "×",
          Format.num(l.runtimeCpuNanos() / 1e6 / l.m()),
          Format.num((l.runtimeCompilerCpuNanos() + l.runtimeGcCpuNanos()) / 1e6 / l.m()),
          c.bare() == null ? "-" : Format.num(c.bare().bareMachineMillis()) + " / " + Format.num(c.bare().runtimeMachineMillis()),
          c.bare() == null ? "-" : Format.num(Format.percentile(c.bare().continuesMillis(), 99), 0),
          o == null ? "-" : Format.num(o.offeredPerSecond(), 1),
          o == null ? "-" : Format.num(Format.percentile(o.continuesMillis(), 50), 0),
          o == null ? "-" : Format.num(Format.percentile(o.continuesMillis(), 99), 0),
          String.format("%,d", answered503),
          String.format("%,d", lost));
    }
    report.line("");
    report.line("## ingest vs the engine alone (bare), C = %s senders, taking turns on one stack per M", options.senders());
    report.line("");
    report.line(table.render());
    report.line("How: for each M, a fresh stack (after the warm-up) has M instances waiting; in %d rounds the load generator"
        + " publishes the messages of M / 2 / %d of them straight to the engine from C threads over gRPC (its own client: the same name,"
        + " correlation key, message id, TTL and variables the runtime publishes; no runtime in the path) and sends the signed fal"
        + " callbacks of M / 2 / %d others through the runtime from C threads, taking turns which goes first; then again with M new"
        + " instances waiting, until each side has sent at least %,d. bare msgs/s and runtime callbacks/s = what each got through ÷"
        + " the time of its own turns (2xx answers for the runtime; every instance is checked to continue). The runtime CPU is the"
        + " closed-loop row above, on a stack of its own. The open loop, on the pairing's stack right after it, with M new instances waiting, sends M callbacks at a"
        + " fixed rate (half the bare rate), each at its time whatever the answers; the burst runs on a fresh stack of its own;"
        + " continues = receive task's ELEMENT_COMPLETED − first send. A 503 is sent again after its Retry-After (as providers do), up"
        + " to %d attempts; lost = callbacks never correlated.", PAIRED_ROUNDS, PAIRED_ROUNDS, PAIRED_ROUNDS, PAIRED_AT_LEAST, MAX_ATTEMPTS);
    for (Comparison c : comparisons) {
      if (c.bare() != null) {
        report.line("- M = %,d bare: %,d published (%,d failed) in %,d ms of turns, continues p50 %s / p99 %s ms; the runtime in the same"
            + " rounds: %,d answered 2xx in %,d ms of turns; engine: %,d correlated in all", c.m(),
            c.bare().published(), c.bare().failed(), c.bare().wallMillis(),
            Format.num(Format.percentile(c.bare().continuesMillis(), 50), 0), Format.num(Format.percentile(c.bare().continuesMillis(), 99), 0),
            c.bare().runtimeAccepted(), c.bare().runtimeWallMillis(), c.bare().messages().correlated());
        report.line("  - machine CPU in those turns: bare %s; through the runtime %s%s", Bare.cpu(c.bare().bareCpu(), c.bare().published(), c.bare().wallMillis()),
            Bare.cpu(c.bare().runtimeCpu(), c.bare().runtimeAccepted(), c.bare().runtimeWallMillis()), pinned() ? "" : String.format(
                "; at that cost the %d cores carry at most %s callbacks/s through the runtime", CpuReading.machineCores(),
                Format.num(CpuReading.machineCores() * 1000.0 / c.bare().runtimeMachineMillis(), 0)));
      }
      if (c.openLoop() != null) {
        OpenLoop o = c.openLoop();
        report.line("- M = %,d open loop: offered %s/s, sent at %s/s; %,d × 2xx, %,d answered 503 then sent again, %,d correlated, %,d lost;"
            + " continues p50 / p90 / p95 / p99 / max %s / %s / %s / %s / %s ms", c.m(), Format.num(o.offeredPerSecond(), 1), Format.num(o.sentPerSecond(), 1),
            o.accepted(), o.answered503(), o.correlated(), o.lost(), Format.num(Format.percentile(o.continuesMillis(), 50), 0),
            Format.num(Format.percentile(o.continuesMillis(), 90), 0), Format.num(Format.percentile(o.continuesMillis(), 95), 0),
            Format.num(Format.percentile(o.continuesMillis(), 99), 0), Format.num(Format.percentile(o.continuesMillis(), 100), 0));
      }
    }
    if (burst != null) {
      report.line("");
      report.line("Burst: %,d callbacks sent at the same instant (each its own connection): %,d × 2xx in %,d ms, %,d answered 503 and"
          + " sent again after Retry-After, %,d got no answer (connection failed) and were sent again after 1 s, %,d correlated, %,d lost;"
          + " runtime live threads %d before, peak %d during; continues p50 %s / p99 %s ms (from the first send)", burst.count(), burst.accepted(),
          burst.wallMillis(), burst.answered503(), burst.unanswered(), burst.correlated(), burst.lost(), burst.threadsBefore(), burst.peakThreads(),
          Format.num(Format.percentile(burst.continuesMillis(), 50), 0), Format.num(Format.percentile(burst.continuesMillis(), 99), 0));
    }
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
    report.line("## ingest: M = %s signed fal callbacks per level to POST /callbacks/fal, senders %s, warm-up %d, %d cores, Java %s",
        options.ingest().waiting(), options.senders(), options.warmup(), Runtime.getRuntime().availableProcessors(), Runtime.version());
    report.line("");
    if (pinned()) {
      report.line("Pinned (taskset): the runtime's JVM on CPUs %s, the harness's JVM (engine, sandbox, load generator) on CPUs %s.",
          Objects.requireNonNullElse(options.jvms().runtimeCpus(), "all"), Objects.requireNonNullElse(options.jvms().harnessCpus(), "all"));
      report.line("");
    }
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
      report.line("  - runtime CPU: %s ms/callback, %s beyond its idle use (%s %% of a core, measured over 2 s just before); of the %s: JIT"
          + " compiler threads %s, GC threads %s, the rest (request, verification, publishing threads) %s; engine + sandbox"
          + " + load generator JVM: CPU %s ms/callback; body %,d bytes", Format.num(l.runtimeCpuNanos() / 1e6 / l.m()),
          Format.num(l.runtimeCpuMillisBeyondIdle()), Format.num(l.runtimeIdleCpuPercent()), Format.num(l.runtimeCpuNanos() / 1e6 / l.m()),
          Format.num(l.runtimeCompilerCpuNanos() / 1e6 / l.m()), Format.num(l.runtimeGcCpuNanos() / 1e6 / l.m()),
          Format.num(l.runtimeAppCpuMillis()), Format.num(l.harnessCpuNanos() / 1e6 / l.m()), l.bodyBytes());
      report.line("  - runtime JVM: %d threads after (peak %d) [%s]; heap %s MB after GC, RSS %s MB", l.runtimeAfter().threads(),
          l.runtimeAfter().peakThreads(), l.runtimeAfter().topGroups(5), Format.mb(l.runtimeAfter().heapUsedBytes()), Format.mb(l.runtimeAfter().rssBytes()));
    }
    report.line("- runtime log: %s", runtimeLog);
  }
}
