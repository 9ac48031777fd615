package io.aigen.camunda.benchmark;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The connector runtime in its own JVM ({@link RuntimeMain}, same class path as the harness), so
 * that its threads, heap and CPU are measured without the engine's and the sandbox's. Its output
 * goes to a log file.
 */
final class RuntimeProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread killer;

  private RuntimeProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.killer = new Thread(process::destroyForcibly, "kill-runtime-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /**
   * @param jvmArgs further JVM options, e.g. {@code -XX:StartFlightRecording=…}
   * @param cpus the CPUs it may run on ({@code taskset -c}; the JVM keeps taskset's pid), or null for all
   * @param stockConnector keep Camunda's REST connector (the stock strategy's) on the class path
   */
  static RuntimeProcess start(String heap, List<String> jvmArgs, String cpus, boolean stockConnector, int port, Map<String, String> properties,
      Path log) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseG1GC");
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(stockConnector ? System.getProperty("java.class.path") : withoutStockConnector(System.getProperty("java.class.path")));
    command.add(RuntimeMain.class.getName());
    command.add("--server.port=" + port);
    properties.forEach((name, value) -> command.add("--" + name + "=" + value));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RuntimeProcess runtime = new RuntimeProcess(process, port, log);
    runtime.awaitReady(Duration.ofMinutes(2));
    return runtime;
  }

  /** The class path without {@code connector-http-json}, whose SPI entry registers the REST connector. */
  static String withoutStockConnector(String classPath) {
    return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("connector-http-json-"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  JvmStats stats(boolean gc, boolean resetPeak) {
    try {
      HttpResponse<String> answer = http.send(
          HttpRequest.newBuilder(URI.create(baseUrl() + "/bench/stats?gc=" + gc + "&resetPeak=" + resetPeak)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("runtime stats answered " + answer.statusCode() + ": " + answer.body());
      }
      return JSON.readValue(answer.body(), JvmStats.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the runtime's stats (log: " + log + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the connector runtime exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> answer = http.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/bench/stats")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      } catch (IOException e) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the connector runtime did not start within " + limit + "; see " + log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }
}
