package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string with {@code {placeholders}}. A placeholder names a root value and, optionally, a path
 * into it and a default after a bar: {@code {baseUrl}}, {@code {id}}, {@code {model}}, {@code
 * {input.target_lang}}, {@code {options.endpoint|v1/image_to_video}}, or AsyncQueue's {@code
 * {startResult.body.status_url}} (the parsed body of the submit answer).
 */
public final class Template {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)([.\\[][^{}|]*)?(?:\\|([^{}]*))?}");

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
    String resolved = resolveOrNull(template, values);
    if (template != null && resolved == null) {
      throw new IllegalArgumentException("placeholder " + firstMissing(template, values) + " has no value");
    }
    return resolved;
  }

  /**
   * Fills in every placeholder, or returns {@code null} when one has no value: for optional parts
   * such as a header or a body field that is left out then.
   *
   * @throws IllegalArgumentException naming the placeholder when its root is unknown
   */
  public static String resolveOrNull(String template, Values values) {
    if (template == null) {
      return null;
    }
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String text = valueOf(matcher, values);
      if (text == null) {
        return null;
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * The JSON value when {@code template} is exactly one placeholder without default, else {@code
   * null}. Such a placeholder keeps the value's type: {@code "{input}"} is an object.
   */
  public static JsonNode wholeValue(String template, Values values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    if (!matcher.matches() || matcher.group(3) != null) {
      return null;
    }
    JsonNode root = rootOf(matcher, values);
    JsonNode value = JsonPaths.read(root, relative(matcher));
    return value.isMissingNode() || value.isNull() ? null : value;
  }

  /** Whether {@code template} is exactly one placeholder without default. */
  public static boolean isWholePlaceholder(String template) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    return matcher.matches() && matcher.group(3) == null;
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

  /** The fields of {@code root} a template names, in order: {@code query} in {@code {query.fal_app}} gives {@code fal_app}. */
  public static List<String> fieldsOf(String template, String root) {
    List<String> fields = new ArrayList<>();
    if (template != null) {
      Matcher matcher = PLACEHOLDER.matcher(template);
      while (matcher.find()) {
        String path = relative(matcher);
        if (matcher.group(1).equals(root) && !path.isEmpty()) {
          fields.add(path.split("[.\\[]", 2)[0]);
        }
      }
    }
    return fields;
  }

  private static String valueOf(Matcher matcher, Values values) {
    String text = JsonPaths.text(rootOf(matcher, values), relative(matcher));
    return text != null ? text : matcher.group(3);
  }

  private static JsonNode rootOf(Matcher matcher, Values values) {
    String root = matcher.group(1);
    JsonNode rootValue = values.root(root);
    if (rootValue == null && !values.roots().containsKey(root)) {
      throw new IllegalArgumentException(
          "unknown placeholder " + matcher.group() + ": known roots are " + values.roots().keySet());
    }
    return rootValue;
  }

  private static String relative(Matcher matcher) {
    String path = matcher.group(2) == null ? "" : matcher.group(2);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static String firstMissing(String template, Values values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    while (matcher.find()) {
      if (valueOf(matcher, values) == null) {
        return matcher.group();
      }
    }
    return template;
  }
}
