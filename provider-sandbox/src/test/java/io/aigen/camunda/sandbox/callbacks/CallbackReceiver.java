package io.aigen.camunda.sandbox.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aigen.camunda.sandbox.SandboxHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A webhook endpoint for the tests: records every POST and answers scripted statuses. */
final class CallbackReceiver implements AutoCloseable {

  /** One request received; header names are lower case. */
  record Received(Instant at, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return SandboxHttp.json(text());
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Integer> scripted = new ArrayDeque<>();
  private int otherwise = 200;
  private String retryAfter;

  CallbackReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers the next requests with these statuses, in order, then as before. */
  synchronized CallbackReceiver answer(int... statuses) {
    for (int status : statuses) {
      scripted.addLast(status);
    }
    return this;
  }

  /** Sends {@code Retry-After: <seconds>} with every 503. */
  synchronized CallbackReceiver retryAfterOn503(String seconds) {
    retryAfter = seconds;
    return this;
  }

  /** Answers every unscripted request with {@code status}. */
  synchronized CallbackReceiver answerOtherwise(int status) {
    otherwise = status;
    return this;
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Waits until {@code count} requests reached {@code path}; fails after {@code timeout}. */
  List<Received> await(String path, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received(path).size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Expected " + count + " callbacks on " + path + " within " + timeout + ", got "
            + received(path).stream().map(Received::text).toList());
      }
      SandboxHttp.sleep(10);
    }
    return received(path);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
      received.add(new Received(Instant.now(), exchange.getRequestURI().getPath(), headers, body));
      int status = nextStatus();
      if (status >= 300 && status < 400) {
        exchange.getResponseHeaders().set("Location", url("/redirected"));
      }
      String pause = retryAfter();
      if (status == 503 && pause != null) {
        exchange.getResponseHeaders().set("Retry-After", pause);
      }
      exchange.sendResponseHeaders(status, -1);
    }
  }

  private synchronized String retryAfter() {
    return retryAfter;
  }

  private synchronized int nextStatus() {
    return scripted.isEmpty() ? otherwise : scripted.removeFirst();
  }
}
