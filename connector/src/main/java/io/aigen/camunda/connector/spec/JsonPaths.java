package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads values out of JSON bodies. Paths are either JSONPath ({@code $.images[0].url}, {@code
 * $..url}) or the dot paths AsyncQueue uses ({@code assets.video}, {@code output.0}); an empty path
 * means the whole body.
 */
public final class JsonPaths {

  private static final Configuration CONFIG =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider())
          .mappingProvider(new JacksonMappingProvider())
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();
  private static final Pattern NUMERIC_SEGMENT = Pattern.compile("\\.(\\d+)(?=\\.|$)");
  private static final Map<String, JsonPath> COMPILED = new ConcurrentHashMap<>();

  private JsonPaths() {}

  /** The value at {@code path}, or a missing node. */
  public static JsonNode read(JsonNode body, String path) {
    if (body == null) {
      return MissingNode.getInstance();
    }
    if (path == null || path.isEmpty() || path.equals("$")) {
      return body;
    }
    JsonNode value = JsonPath.using(CONFIG).parse(body).read(compile(path));
    return value == null ? MissingNode.getInstance() : value;
  }

  /** The text at {@code path}, or {@code null} when absent or JSON null. */
  public static String text(JsonNode body, String path) {
    JsonNode value = read(body, path);
    if (value == null || value.isMissingNode() || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  /** Every string value found at {@code path}; arrays and objects are searched through. */
  public static List<String> strings(JsonNode body, String path) {
    List<String> found = new ArrayList<>();
    collect(read(body, path), found);
    return found;
  }

  /**
   * Replaces the value at {@code path} inside {@code body}, in place: a nested path such as {@code
   * data.image_b64} replaces that field, not a top-level field of that name.
   */
  public static void replace(JsonNode body, String path, JsonNode value) {
    JsonPath.using(CONFIG).parse(body).set(compile(path), value);
  }

  /** Throws {@link IllegalArgumentException} naming the path when it cannot be compiled. */
  public static void validate(String path) {
    if (path != null && !path.isEmpty()) {
      compile(path);
    }
  }

  private static void collect(JsonNode node, List<String> into) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (node.isTextual()) {
      into.add(node.asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, into));
    }
  }

  private static JsonPath compile(String path) {
    return COMPILED.computeIfAbsent(
        path,
        p -> {
          String jsonPath = p.startsWith("$") ? p : "$." + NUMERIC_SEGMENT.matcher(p).replaceAll("[$1]");
          try {
            return JsonPath.compile(jsonPath);
          } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + p + "' is not a valid JSON path: " + e.getMessage());
          }
        });
  }
}
