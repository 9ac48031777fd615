package io.aigen.camunda.connector.http;

import io.aigen.camunda.connector.metrics.GenerationMetrics;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.spec.Auth;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One provider as seen from here: its base URL and credentials. Every call goes through {@link
 * #call}, which sends credentials only to the base URL's own scheme, host and port; a URL taken
 * from a provider's answer that points anywhere else is refused before anything is sent.
 */
public final class ProviderEndpoint {

  private final ProviderHttp http;
  private final URI base;
  private final Auth auth;
  private final String apiKey;
  private final Map<String, String> staticHeaders;
  private final String provider;
  private final GenerationMetrics metrics;

  public ProviderEndpoint(ProviderHttp http, String baseUrl, Auth auth, String apiKey, Map<String, String> staticHeaders) {
    this(http, baseUrl, auth, apiKey, staticHeaders, "unknown", GenerationMetrics.NONE);
  }

  /** @param provider names the provider in {@code metrics} */
  public ProviderEndpoint(
      ProviderHttp http, String baseUrl, Auth auth, String apiKey, Map<String, String> staticHeaders, String provider, GenerationMetrics metrics) {
    this.provider = provider;
    this.metrics = metrics;
    this.http = http;
    this.base = URI.create(baseUrl);
    this.auth = auth;
    this.apiKey = apiKey;
    this.staticHeaders = staticHeaders == null ? Map.of() : Map.copyOf(staticHeaders);
  }

  public String baseUrl() {
    return base.toString();
  }

  /**
   * Sends the request, with credentials if asked, after checking its URL is on the provider's host
   * (also without credentials: a provider's answer must not steer calls elsewhere).
   */
  public HttpReply call(OutgoingRequest request, boolean withCredentials) {
    requireSameOrigin(request.url(), request.field());
    Map<String, String> headers = new HashMap<>(staticHeaders);
    headers.putAll(request.headers());
    if (withCredentials && auth != null && apiKey != null && !apiKey.isBlank()) {
      headers.put(auth.header(), auth.value(apiKey));
    }
    OutgoingRequest complete =
        new OutgoingRequest(request.method(), request.url(), headers, request.body(), request.contentType(), request.field());
    HttpReply reply;
    try {
      reply = http.send(complete);
    } catch (IOException e) {
      metrics.providerAnswered(provider, 0, null);
      throw new ProviderUnavailable(
          request.method() + " " + redact(request.url()) + " (" + request.field() + ") failed: " + redact(String.valueOf(e.getMessage())), null);
    }
    metrics.providerAnswered(provider, reply.code(), retryAfter(reply.header("Retry-After")));
    if (reply.code() == 401 || reply.code() == 403) {
      throw new ProviderRejected(
          "The provider answered " + reply.code() + " to the " + request.field() + " request: check the API key (field 'apiKey', usually {{secrets.<NAME>}}) and its permissions. Provider said: " + redact(reply.excerpt()));
    }
    if (reply.code() == 429 || reply.code() == 502 || reply.code() == 503 || reply.code() == 504) {
      throw new ProviderUnavailable(
          "The provider answered " + reply.code() + " to the " + request.field() + " request: " + redact(reply.excerpt()),
          retryAfter(reply.header("Retry-After")));
    }
    return reply;
  }

  /** Removes the API key from a text that may echo it. */
  public String redact(String text) {
    if (text == null || apiKey == null || apiKey.length() < 4) {
      return text;
    }
    return text.replace(apiKey, "****");
  }

  private void requireSameOrigin(String url, String field) {
    URI target;
    try {
      target = new URI(url);
    } catch (URISyntaxException e) {
      throw new ProviderRejected("The " + field + " '" + redact(url) + "' is not a valid URL: " + e.getReason());
    }
    if (!sameOrigin(base, target)) {
      throw new ProviderRejected(
          "Refusing to send credentials to " + origin(target) + ": the " + field + " is not on the provider's host "
              + origin(base) + ". If the provider really moved, set its base URL in the runtime configuration.");
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme()))
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /** Retry-After as seconds or an HTTP date; {@code null} when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
        Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }
}
