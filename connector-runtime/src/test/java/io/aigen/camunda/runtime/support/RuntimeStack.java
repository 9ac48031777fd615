package io.aigen.camunda.runtime.support;

import io.aigen.camunda.runtime.AiGenerationRuntime;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.client.api.worker.JobWorker;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.aigen.camunda.runtime.embedded.LoopbackEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * What an end-to-end test runs against: an in-memory Zeebe engine, the provider sandbox and, when
 * started, the connector runtime pointed at both like a real deployment (command-line settings,
 * every provider's base URL on the sandbox).
 */
public final class RuntimeStack implements AutoCloseable {

  private final ZeebeTestEngine engine;
  private final int enginePort;
  private final ProviderSandbox sandbox;
  private final ZeebeClient client;
  private final int httpPort = freePort();
  private final List<JobWorker> workers = new ArrayList<>();

  private RuntimeStack(ZeebeTestEngine engine, int enginePort, ProviderSandbox sandbox) {
    this.engine = engine;
    this.enginePort = enginePort;
    this.sandbox = sandbox;
    this.client = ZeebeClient.newClientBuilder().gatewayAddress("127.0.0.1:" + enginePort).usePlaintext().keepAlive(Duration.ofMinutes(10)).build();
  }

  public static RuntimeStack start(SandboxOptions sandboxOptions) {
    int enginePort = freePort();
    ZeebeTestEngine engine = LoopbackEngine.create(InetAddress.getLoopbackAddress(), enginePort);
    engine.start();
    return new RuntimeStack(engine, enginePort, ProviderSandbox.start(sandboxOptions));
  }

  public ZeebeClient client() {
    return client;
  }

  public ProviderSandbox sandbox() {
    return sandbox;
  }

  /** The runtime's HTTP port (callbacks, catalog, result files). */
  public int httpPort() {
    return httpPort;
  }

  public String runtimeUrl(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** Deploys the runtime's example processes matching {@code pattern}, e.g. {@code processes/*.bpmn}. */
  public RuntimeStack deployExamples(String pattern) {
    try {
      for (Resource model : new PathMatchingResourcePatternResolver().getResources("classpath*:" + pattern)) {
        try (InputStream in = model.getInputStream()) {
          client.newDeployResourceCommand().addResourceStream(in, model.getFilename()).send().join();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public RuntimeStack deploy(BpmnModelInstance model, String name) {
    client.newDeployResourceCommand().addProcessModel(model, name).send().join();
    return this;
  }

  /** Completes every job of {@code type} at once, like the demo's report tasks. */
  public RuntimeStack completeJobsOf(String type) {
    workers.add(client.newWorker().jobType(type).handler((jobs, job) -> jobs.newCompleteCommand(job).send().join()).open());
    return this;
  }

  /**
   * Starts the connector runtime against the engine and the sandbox; close it to stop it.
   *
   * @param configurations extra Spring configurations, e.g. test secrets
   * @param extraArgs further {@code --name=value} settings
   */
  public ConfigurableApplicationContext startRuntime(List<Class<?>> configurations, String... extraArgs) {
    return startRuntime(enginePort, configurations, extraArgs);
  }

  /** The engine's gRPC port, e.g. for an {@link EngineLink} in front of it. */
  public int enginePort() {
    return enginePort;
  }

  /**
   * Starts the connector runtime against the engine reached at {@code grpcPort} (an {@link
   * EngineLink}, say) and the sandbox.
   */
  public ConfigurableApplicationContext startRuntime(int grpcPort, List<Class<?>> configurations, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=" + httpPort,
        "--aigen.demo.enabled=false",
        "--camunda.client.mode=self-managed",
        "--camunda.client.grpc-address=http://127.0.0.1:" + grpcPort,
        "--camunda.client.rest-address=http://127.0.0.1:" + freePort(),
        "--camunda.client.prefer-rest-over-grpc=false",
        "--camunda.client.auth.method=none",
        "--camunda.client.keep-alive=PT10M",
        "--camunda.connector.polling.enabled=false"));
    for (String provider : ProviderSandbox.providerIds()) {
      args.add("--aigen.providers." + provider + ".base-url=" + sandbox.providerBaseUrl(provider));
    }
    args.addAll(List.of(extraArgs));
    List<Class<?>> sources = new ArrayList<>(List.of(AiGenerationRuntime.class));
    sources.addAll(configurations);
    return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(args.toArray(String[]::new));
  }

  /**
   * Runs a process to its end and returns its variables. Every generation the tests start takes a
   * few seconds at most: its provider time, plus per poll its delay and up to about a second until
   * the engine's job-timeout checker hands the job back. The limit only turns a hang into a failure.
   */
  public Map<String, Object> run(String process, Map<String, Object> variables) {
    return client.newCreateInstanceCommand().bpmnProcessId(process).latestVersion().variables(variables)
        .withResult().requestTimeout(Duration.ofSeconds(30)).send().join().getVariablesAsMap();
  }

  /** Every record the engine wrote, oldest first. */
  public List<Record<?>> records() {
    return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false).<Record<?>>map(r -> r).toList();
  }

  /** Every record the engine wrote of one type, oldest first. */
  public List<Record<?>> records(ValueType type) {
    return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false)
        .filter(r -> r.getValueType() == type)
        .<Record<?>>map(r -> r)
        .toList();
  }

  @Override
  public void close() {
    workers.forEach(JobWorker::close);
    client.close();
    sandbox.close();
    engine.stop();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }
}
