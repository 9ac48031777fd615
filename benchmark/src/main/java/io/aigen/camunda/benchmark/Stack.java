package io.aigen.camunda.benchmark;

import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Everything one strategy runs on, fresh for each strategy so that no state, record or job carries
 * over: the in-memory Zeebe engine and the provider sandbox in this JVM, the connector runtime in a
 * child JVM, the strategy's process deployed, and the taps on the engine's records and the
 * sandbox's requests.
 */
final class Stack implements AutoCloseable {

  final Strategy strategy;
  final Options options;
  final SandboxTap sandboxTap = new SandboxTap();
  // set in order by start(); close() stops whatever was started
  ZeebeTestEngine engine;
  ProviderSandbox sandbox;
  RecordTap records;
  ZeebeClient client;
  RuntimeProcess runtime;
  Strategy.Setting setting;

  private Stack(Strategy strategy, Options options) {
    this.strategy = strategy;
    this.options = options;
  }

  static Stack start(Strategy strategy, Options options) throws IOException, InterruptedException {
    Stack stack = new Stack(strategy, options);
    try {
      stack.startAll();
      return stack;
    } catch (IOException | InterruptedException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  /**
   * The runtime's embedded engine, {@code LoopbackEngine}: connector-runtime is on the harness's
   * class path (scripts/benchmark.sh) but not a Maven dependency (see benchmark/pom.xml).
   */
  private static ZeebeTestEngine embeddedEngine(int port) {
    try {
      return (ZeebeTestEngine) Class.forName("io.aigen.camunda.runtime.embedded.LoopbackEngine")
          .getMethod("create", InetAddress.class, int.class)
          .invoke(null, InetAddress.getLoopbackAddress(), port);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make the runtime's embedded engine (is connector-runtime/target/classes on the class path?): " + e, e);
    }
  }

  private void startAll() throws IOException, InterruptedException {
    int enginePort = freePort();
    engine = options.engine() == Options.EngineKind.ZPT ? EngineFactory.create(enginePort) : embeddedEngine(enginePort);
    engine.start();
    records = new RecordTap(engine, strategy.waitElementId());
    sandbox = ProviderSandbox.start(SandboxOptions.defaults());
    sandbox.journal().addListener(sandboxTap);
    client = ZeebeClient.newClientBuilder()
        .gatewayAddress("127.0.0.1:" + enginePort)
        .usePlaintext()
        .keepAlive(Duration.ofMinutes(10))
        .defaultRequestTimeout(Duration.ofSeconds(60))
        .build();
    int httpPort = freePort();
    Duration maxDuration = Duration.ofMinutes(10).plus(options.duration().multipliedBy(2));
    setting = new Strategy.Setting(options, sandbox, sandbox.providerBaseUrl("fal"), "http://127.0.0.1:" + httpPort, maxDuration);
    client.newDeployResourceCommand().addProcessModel(strategy.process(setting), strategy.processId() + ".bpmn").send().join();

    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("aigen.demo.enabled", "false");
    properties.put("aigen.embedded.enabled", "false");
    properties.put("camunda.client.mode", "self-managed");
    properties.put("camunda.client.grpc-address", "http://127.0.0.1:" + enginePort);
    properties.put("camunda.client.rest-address", "http://127.0.0.1:" + freePort());
    properties.put("camunda.client.prefer-rest-over-grpc", "false");
    properties.put("camunda.client.auth.method", "none");
    properties.put("camunda.client.keep-alive", "PT10M");
    properties.put("camunda.connector.polling.enabled", "false");
    for (String provider : ProviderSandbox.providerIds()) {
      properties.put("aigen.providers." + provider + ".base-url", sandbox.providerBaseUrl(provider));
    }
    // Both connectors would otherwise log every job at INFO (Camunda's runtime: two lines per job).
    properties.put("logging.level.io.aigen", "WARN");
    properties.put("logging.level.io.camunda", "WARN");
    properties.put("logging.level.io.camunda.client.impl.CamundaCallCredentials", "ERROR");
    properties.putAll(strategy.runtimeProperties(setting));
    properties.putAll(options.runtimeProperties());
    Path log = options.outDir().resolve("runtime-" + strategy.id() + ".log");
    runtime = RuntimeProcess.start(options.runtimeHeap(), options.jvms().runtimeJvmArgs(), options.jvms().runtimeCpus(),
        strategy.needsStockConnector(), httpPort, properties, log);
  }

  /** The model input of generation {@code prompt}: the sandbox makes it take {@code duration}. */
  static Map<String, Object> input(String prompt, Duration duration) {
    return Map.of("input", Map.of("prompt", prompt, "sandbox", Map.of("durationMs", duration.toMillis())));
  }

  /**
   * Starts {@code count} instances with prompts {@code "<tag> <i>"}, at most {@code inFlight}
   * create commands at once; returns their keys by index.
   */
  List<Long> startInstances(String tag, int from, int count, Duration duration) throws InterruptedException {
    return startInstances(count, i -> input(tag + " " + (from + i), duration));
  }

  /**
   * Starts {@code count} instances with the variables {@code variables.apply(i)}, at most {@code
   * inFlight} create commands at once; returns their keys by index.
   */
  List<Long> startInstances(int count, IntFunction<Map<String, Object>> variables) throws InterruptedException {
    Semaphore slots = new Semaphore(options.inFlight());
    List<Long> keys = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(count, (Long) null)));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < count; i++) {
      if (failure.get() != null) {
        break;
      }
      slots.acquire();
      int index = i;
      client.newCreateInstanceCommand()
          .bpmnProcessId(strategy.processId())
          .latestVersion()
          .variables(variables.apply(i))
          .send()
          .whenComplete((created, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            } else {
              keys.set(index, created.getProcessInstanceKey());
            }
            slots.release();
          });
    }
    slots.acquire(options.inFlight());
    slots.release(options.inFlight());
    if (failure.get() != null) {
      throw new IllegalStateException("creating instances failed: " + failure.get().getMessage(), failure.get());
    }
    return new ArrayList<>(keys);
  }

  /** Waits until all {@code keys} completed or the deadline passed; returns how many completed. */
  int awaitCompleted(List<Long> keys, long deadlineNanos, String what) throws InterruptedException {
    int done = 0;
    long lastReport = System.nanoTime();
    while (System.nanoTime() < deadlineNanos) {
      done = records.completedOf(keys);
      if (done == keys.size()) {
        return done;
      }
      if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
        Format.progress("  %s: %d/%d completed, %d provider requests so far", what, done, keys.size(), sandboxTap.counts().total());
        lastReport = System.nanoTime();
      }
      Thread.sleep(100);
    }
    return records.completedOf(keys);
  }

  @Override
  public void close() {
    if (runtime != null) {
      runtime.close();
    }
    if (client != null) {
      client.close();
    }
    if (records != null) {
      records.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (engine != null) {
      engine.stop();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }
}
