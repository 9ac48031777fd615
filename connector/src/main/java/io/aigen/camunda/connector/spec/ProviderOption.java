package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * One option a spec understands, as its {@code "options"} list declares it: what the task's
 * <i>Provider options</i> may carry besides the model and the input (Runway's {@code endpoint},
 * Replicate's {@code wait}). The per-provider element templates show each as its own field.
 *
 * @param name the key in the task's {@code options} context, e.g. {@code endpoint}
 * @param type what values it takes
 * @param choices the allowed values of a {@link Type#CHOICE}; empty for other types
 * @param defaultValue the value the provider uses when the option is left out, or {@code null}
 * @param description one line for the modeler
 */
public record ProviderOption(String name, Type type, List<String> choices, JsonNode defaultValue, String description) {

  /** What values an option takes. */
  public enum Type {
    /** any string */
    TEXT,
    /** a number */
    NUMBER,
    /** true or false */
    BOOLEAN,
    /** one of the declared choices */
    CHOICE,
    /** a list, e.g. DigitalOcean's tags */
    LIST;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ProviderOption {
    choices = choices == null ? List.of() : List.copyOf(choices);
  }

  /**
   * Why {@code value} does not fit this option, or {@code null} when it does.
   */
  public String problemWith(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return switch (type) {
      case TEXT -> value.isTextual() ? null : "must be text, e.g. \"" + example() + "\"";
      case NUMBER -> value.isNumber() || (value.isTextual() && isNumber(value.asText())) ? null : "must be a number";
      case BOOLEAN -> value.isBoolean() ? null : "must be true or false";
      case CHOICE -> value.isTextual() && choices.contains(value.asText()) ? null : "must be one of " + choices;
      case LIST -> value.isArray() ? null : "must be a list, e.g. [" + example() + "]";
    };
  }

  private String example() {
    return defaultValue != null && !defaultValue.isNull() ? defaultValue.asText() : "…";
  }

  private static boolean isNumber(String text) {
    try {
      Double.parseDouble(text.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
