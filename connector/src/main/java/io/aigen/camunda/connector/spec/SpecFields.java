package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Typed values out of a spec's JSON; a wrong one is a {@link SpecException} naming its field. */
final class SpecFields {

  private SpecFields() {}

  static Duration duration(JsonNode node, String key) {
    return duration(node, key, "pollConfig." + key);
  }

  /** Seconds (a number) or an ISO-8601 duration; {@code null} when absent. */
  static Duration duration(JsonNode node, String key, String field) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    Duration duration;
    if (value.isNumber()) {
      duration = Duration.ofMillis(Math.round(value.asDouble() * 1000));
    } else {
      try {
        duration = Duration.parse(value.asText());
      } catch (DateTimeParseException e) {
        throw new SpecException(field, "'" + value.asText() + "' is neither seconds (e.g. 5) nor an ISO-8601 duration (e.g. PT5S)");
      }
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new SpecException(field, "must be positive, e.g. 5 (seconds)");
    }
    return duration;
  }

  static void knownKeys(JsonNode node, Set<String> known, String where) {
    if (!node.isObject()) {
      throw new SpecException(where, "must be a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new SpecException(where + "." + name, "unknown key. Known keys here: " + known.stream().sorted().toList());
      }
    }
  }

  static JsonNode required(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw new SpecException(where.equals("spec") ? key : where + "." + key, "missing");
    }
    return value;
  }

  static String requiredText(JsonNode node, String key, String where) {
    String text = text(node, key, where + "." + key);
    if (text == null || text.isBlank()) {
      throw new SpecException(where + "." + key, "missing");
    }
    return text;
  }

  static String text(JsonNode node, String key, String field) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new SpecException(field, "must be a string, got " + value);
    }
    return value.asText();
  }

  static String path(JsonNode node, String key, String field) {
    String path = text(node, key, field);
    try {
      JsonPaths.validate(path);
    } catch (IllegalArgumentException e) {
      throw new SpecException(field, e.getMessage());
    }
    return path;
  }

  static boolean bool(JsonNode node, String key, String field) {
    JsonNode value = node.get(key);
    if (!value.isBoolean()) {
      throw new SpecException(field, "must be true or false");
    }
    return value.asBoolean();
  }

  static List<String> strings(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new SpecException(field, "must be a list of strings, e.g. [\"completed\"]");
    }
    List<String> values = new ArrayList<>();
    node.forEach(value -> values.add(value.asText()));
    return values;
  }

  static Map<String, String> stringMap(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new SpecException(field, "must be an object of header names to values");
    }
    Map<String, String> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new SpecException(field, "'" + value + "' is not one of " + allowed);
    }
  }

  static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
