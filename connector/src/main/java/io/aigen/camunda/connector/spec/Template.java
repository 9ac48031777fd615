package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string with {@code {placeholders}}. A placeholder names a root value and, optionally, a path
 * into it: {@code {baseUrl}}, {@code {id}}, {@code {model}}, {@code {input.target_lang}}, or
 * AsyncQueue's {@code {startResult.body.status_url}} (the parsed body of the submit answer).
 */
public final class Template {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)([.\\[][^{}]*)?}");

  private Template() {}

  /** The roots a placeholder may start with. */
  public record Values(Map<String, JsonNode> roots) {
    public JsonNode root(String name) {
      return roots.get(name);
    }
  }

  /**
   * Fills in every placeholder.
   *
   * @throws IllegalArgumentException naming the placeholder when its root is unknown or its value
   *     is absent
   */
  public static String resolve(String template, Values values) {
    if (template == null) {
      return null;
    }
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String root = matcher.group(1);
      String path = matcher.group(2) == null ? "" : matcher.group(2);
      JsonNode rootValue = values.root(root);
      if (rootValue == null) {
        throw new IllegalArgumentException(
            "unknown placeholder {" + root + path + "}: known roots are " + values.roots().keySet());
      }
      String relative = path.startsWith(".") ? path.substring(1) : path;
      String text = JsonPaths.text(rootValue, relative);
      if (text == null) {
        throw new IllegalArgumentException("placeholder {" + root + path + "} has no value");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** The root names a template uses, in order. */
  public static List<String> roots(String template) {
    List<String> roots = new ArrayList<>();
    if (template != null) {
      Matcher matcher = PLACEHOLDER.matcher(template);
      while (matcher.find()) {
        roots.add(matcher.group(1));
      }
    }
    return roots;
  }
}
