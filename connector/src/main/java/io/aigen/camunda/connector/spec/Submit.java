package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The submit request and what to read from its answer.
 *
 * @param method HTTP method, usually POST
 * @param urlTemplate e.g. {@code {baseUrl}/{model}}
 * @param bodyTemplate JSON sent as body; see {@link BodyTemplate}. {@code null} sends the input
 *     itself.
 * @param encoding JSON, or a multipart form made of the body's top-level fields
 * @param fileFields multipart fields sent as files; their values are {@code data:} URIs or
 *     http(s) URLs
 * @param headers extra headers; one whose placeholder has no value is left out
 * @param routes model-specific alternatives to the URL and body (Replicate's three create routes);
 *     the first whose pattern matches the whole model id wins
 * @param idPath where the job id is in the answer, e.g. {@code request_id}; a path that finds
 *     several ids (e.g. {@code generations[*].generation_id}) makes one job of several generations;
 *     {@code null} takes the first of {@link #USUAL_ID_FIELDS} that the answer has
 * @param expectedSecondsPath where the answer estimates the job's length in seconds, used as the
 *     first poll's delay (ElevenLabs' {@code expected_duration_sec})
 * @param requiredInput input fields without which the provider cannot work, checked before
 *     anything is sent (Stability's {@code image})
 */
public record Submit(
    String method,
    String urlTemplate,
    JsonNode bodyTemplate,
    Encoding encoding,
    List<String> fileFields,
    Map<String, String> headers,
    List<Route> routes,
    String idPath,
    String expectedSecondsPath,
    List<String> requiredInput) {

  public static final List<String> USUAL_ID_FIELDS =
      List.of("id", "request_id", "task_id", "prediction_id", "generation_id", "dubbing_id");

  public enum Encoding {
    JSON,
    MULTIPART
  }

  /** A URL and body for models whose id matches {@code modelPattern}. */
  public record Route(String modelPattern, String urlTemplate, JsonNode bodyTemplate) {

    public boolean matches(String model) {
      return Pattern.compile(modelPattern).matcher(model).matches();
    }
  }

  public Submit {
    method = method == null ? "POST" : method;
    encoding = encoding == null ? Encoding.JSON : encoding;
    fileFields = fileFields == null ? List.of() : List.copyOf(fileFields);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    routes = routes == null ? List.of() : List.copyOf(routes);
    requiredInput = requiredInput == null ? List.of() : List.copyOf(requiredInput);
  }

  /** Whether the request uses the model id at all (ElevenLabs dubbing and Stability do not). */
  public boolean usesModel() {
    if (!routes.isEmpty() || String.valueOf(urlTemplate).contains("{model") || String.valueOf(bodyTemplate).contains("{model")) {
      return true;
    }
    return headers.values().stream().anyMatch(h -> h.contains("{model"));
  }

  /** The route for {@code model}: a matching one, else this submit's own URL and body. */
  public Route routeFor(String model) {
    return routes.stream()
        .filter(route -> route.matches(model))
        .findFirst()
        .orElse(new Route(".*", urlTemplate, bodyTemplate));
  }
}
