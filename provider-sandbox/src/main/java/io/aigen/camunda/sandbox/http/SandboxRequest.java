package io.aigen.camunda.sandbox.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as a simulation sees it.
 *
 * @param method upper-case HTTP method
 * @param path decoded path relative to the simulation's mount path, e.g. {@code /fal-ai/flux/dev}
 * @param rawQuery raw query string, empty when absent
 * @param headers request headers; look them up with {@link #header(String)}
 * @param body request body, empty when absent
 */
public record SandboxRequest(
    String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {

  /** First value of a header, case-insensitively; {@code null} when absent. */
  public String header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream())
        .findFirst()
        .orElse(null);
  }

  /** First value of a query parameter, URL-decoded. */
  public Optional<String> queryParam(String name) {
    return Arrays.stream(rawQuery.split("&"))
        .map(pair -> pair.split("=", 2))
        .filter(kv -> decode(kv[0]).equals(name))
        .map(kv -> kv.length == 2 ? decode(kv[1]) : "")
        .findFirst();
  }

  /** Non-empty path segments. */
  public List<String> segments() {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
