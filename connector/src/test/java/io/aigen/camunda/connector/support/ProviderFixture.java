package io.aigen.camunda.connector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Timing;
import io.aigen.camunda.connector.store.LocalResultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Any built-in provider's client against a MockWebServer: the preset with its base URL moved to the
 * server (keeping the preset's path, e.g. Replicate's {@code /v1}), no jitter, and a result store
 * in a test directory.
 */
public final class ProviderFixture {

  public static final String KEY = "test-key";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProviderHttp HTTP = ProviderHttp.withDefaults();

  private ProviderFixture() {}

  /** A started server that answers 404 at once when no answer is queued, instead of hanging. */
  public static MockWebServer server() {
    MockWebServer server = new MockWebServer();
    QueueDispatcher dispatcher = new QueueDispatcher();
    dispatcher.setFailFast(true);
    server.setDispatcher(dispatcher);
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return server;
  }

  /** The preset's base URL on {@code server}, with the preset's own path: {@code http://host:port/v1}. */
  public static String baseUrl(ProviderId provider, MockWebServer server) {
    String path = URI.create(ProviderCatalog.spec(provider).baseUrl()).getPath();
    String url = server.url(path == null || path.isEmpty() ? "/" : path).toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The preset, moved to {@code server}, without jitter so delays can be asserted exactly. */
  public static PollSpec spec(ProviderId provider, MockWebServer server) {
    PollSpec preset = ProviderCatalog.spec(provider);
    Timing t = preset.timing();
    return preset
        .withBaseUrl(baseUrl(provider, server))
        .withTiming(new Timing(t.interval(), t.backoff(), t.maxInterval(), 0.0, t.maxDuration()));
  }

  public static GenerationClient client(PollSpec spec, Clock clock, Path resultDirectory) {
    return new GenerationClients(HTTP, new LocalResultStore(resultDirectory, null), clock).client(spec, KEY);
  }

  public static ProviderHttp http() {
    return HTTP;
  }

  public static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next request the server received; fails rather than hangs when there is none. */
  public static RecordedRequest next(MockWebServer server) {
    try {
      RecordedRequest request = server.takeRequest(2, TimeUnit.SECONDS);
      if (request == null) {
        throw new AssertionError("the client sent no (further) request");
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static JsonNode jsonBody(RecordedRequest request) {
    return parse(request.getBody().readUtf8());
  }

  /** One part of a {@code multipart/form-data} body. */
  public record Part(String name, String fileName, String contentType, byte[] content) {
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  /**
   * The parts of a {@code multipart/form-data} request, by field name (a small parser for what
   * OkHttp's MultipartBody writes).
   */
  public static Map<String, Part> multipart(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith("multipart/form-data")) {
      throw new AssertionError("not a multipart/form-data request: " + contentType);
    }
    String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
    byte[] body = request.getBody().readByteArray();
    String latin = new String(body, StandardCharsets.ISO_8859_1); // byte-for-byte, so offsets match
    String delimiter = "--" + boundary;
    Map<String, Part> parts = new LinkedHashMap<>();
    int at = latin.indexOf(delimiter);
    while (at >= 0) {
      int start = at + delimiter.length();
      if (latin.startsWith("--", start)) {
        break;
      }
      start += 2; // CRLF
      int headersEnd = latin.indexOf("\r\n\r\n", start);
      int next = latin.indexOf("\r\n" + delimiter, headersEnd);
      String headers = latin.substring(start, headersEnd);
      byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
      String name = null;
      String fileName = null;
      String type = null;
      for (String line : headers.split("\r\n")) {
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-disposition:")) {
          name = attribute(line, "name");
          fileName = attribute(line, "filename");
        } else if (lower.startsWith("content-type:")) {
          type = line.substring(line.indexOf(':') + 1).trim();
        }
      }
      parts.put(name, new Part(name, fileName, type, content));
      at = next + 2;
    }
    return parts;
  }

  private static String attribute(String header, String attribute) {
    String marker = " " + attribute + "=\"";
    int at = header.indexOf(marker);
    if (at < 0) {
      marker = ";" + attribute + "=\"";
      at = header.indexOf(marker);
    }
    if (at < 0) {
      return null;
    }
    int start = at + marker.length();
    return header.substring(start, header.indexOf('"', start));
  }
}
