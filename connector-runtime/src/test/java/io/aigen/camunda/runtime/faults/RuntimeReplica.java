package io.aigen.camunda.runtime.faults;

import io.aigen.camunda.runtime.AiGenerationRuntime;
import io.aigen.camunda.runtime.support.RuntimeStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connector runtime in a JVM of its own (this JVM's class path), so that it can be killed with
 * SIGKILL mid-command like a crashed pod. Its output goes to a log file.
 */
final class RuntimeReplica {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  private final Process process;
  private final int port;
  final Path log;

  private RuntimeReplica(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a runtime named {@code name} (its worker name in the engine's records) with the given
   * {@code --name=value} settings, and returns once it serves HTTP.
   */
  static RuntimeReplica start(String name, List<String> settings, Path logDir) throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    int port = RuntimeStack.freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), AiGenerationRuntime.class.getName()));
    command.add("--server.port=" + port);
    command.add("--aigen.worker.name=" + name);
    command.addAll(settings);
    Path log = logDir.resolve(name + "-" + System.currentTimeMillis() + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RuntimeReplica replica = new RuntimeReplica(name, process, port, log);
    // a runtime JVM serves in 6-10 s under the fault suite's load (measured); this only turns a hang into a failure
    replica.awaitReady(Duration.ofSeconds(45));
    return replica;
  }

  private void awaitReady(Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("runtime " + name + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<Void> answer = HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/providers")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException starting) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("runtime " + name + " did not start within " + limit + "; see " + log);
  }

  /** SIGKILL: no shutdown hook, no last command. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
