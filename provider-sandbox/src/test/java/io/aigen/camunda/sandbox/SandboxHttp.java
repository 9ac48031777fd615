package io.aigen.camunda.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A small fal client for the tests: real HTTP against a started sandbox. */
public final class SandboxHttp {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public record Reply(HttpResponse<String> response) {
    public int status() {
      return response.statusCode();
    }

    public JsonNode json() {
      return SandboxHttp.json(response.body());
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  private final String authorization;

  /** @param key sent as {@code Authorization: Key <key>}; {@code null} sends no header */
  public SandboxHttp(String key) {
    this.authorization = key == null ? null : "Key " + key;
  }

  public Reply post(String url, String body) {
    return send(request(url).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
  }

  public Reply get(String url) {
    return send(request(url).GET());
  }

  public Reply put(String url) {
    return send(request(url).PUT(HttpRequest.BodyPublishers.noBody()));
  }

  /** Polls {@code statusUrl} until a reply matches, failing after {@code timeout}. */
  public Reply pollUntil(String statusUrl, Predicate<Reply> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Reply reply = get(statusUrl);
      if (done.test(reply)) {
        return reply;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("No matching status within " + timeout + "; last: " + reply.response().body());
      }
      sleep(20);
    }
  }

  /**
   * Sends {@code method url} with {@code body} as JSON ({@code Content-Type} only when there is a body), plus the
   * given header name/value pairs; a {@code null} value sends no such header.
   */
  public Reply call(String method, String url, String body, String... headers) {
    HttpRequest.Builder request = request(url)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      if (headers[i + 1] != null) {
        request.header(headers[i], headers[i + 1]);
      }
    }
    return send(request);
  }

  /** Reads with {@code read} until {@code done} matches, failing an assertion (with the last value) after {@code timeout}. */
  public static <T> T awaitMatch(Supplier<T> read, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = read.get();
      if (done.test(value)) {
        return value;
      }
      String last = value instanceof Reply reply ? reply.response().body() : String.valueOf(value);
      org.assertj.core.api.Assertions.assertThat(System.nanoTime()).as("still " + last).isLessThan(deadline);
      sleep(20);
    }
  }

  public HttpRequest.Builder request(String url) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  public Reply send(HttpRequest.Builder request) {
    return new Reply(send(request, HttpResponse.BodyHandlers.ofString()));
  }

  public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> bodyHandler) {
    try {
      return CLIENT.send(request.build(), bodyHandler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean hasStatus(Reply reply, String status) {
    return reply.status() < 300 && status.equals(reply.json().path("status").asText());
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
