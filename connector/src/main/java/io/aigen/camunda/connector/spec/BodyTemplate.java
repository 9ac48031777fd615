package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Fills a JSON body template:
 *
 * <ul>
 *   <li>a string that is exactly one placeholder, {@code "{input}"}, becomes that value with its
 *       JSON type (an object, a number);
 *   <li>other strings are filled in as text, {@code "wait={options.wait}"};
 *   <li>a field whose placeholder has no value is left out, so optional options stay optional;
 *   <li>the key {@code "..."} spreads an object into its parent: {@code {"model": "{model}",
 *       "...": "{input}"}} sends the input's fields next to {@code model} (Oxen.ai's queue).
 * </ul>
 */
public final class BodyTemplate {

  public static final String SPREAD = "...";

  private BodyTemplate() {}

  public static JsonNode fill(JsonNode template, Template.Values values) {
    JsonNode filled = fillOrNull(template, values);
    return filled == null ? JsonNodeFactory.instance.nullNode() : filled;
  }

  private static JsonNode fillOrNull(JsonNode template, Template.Values values) {
    if (template.isTextual()) {
      String text = template.asText();
      if (Template.isWholePlaceholder(text)) {
        return Template.wholeValue(text, values);
      }
      String resolved = Template.resolveOrNull(text, values);
      return resolved == null ? null : TextNode.valueOf(resolved);
    }
    if (template.isObject()) {
      ObjectNode filled = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode value = fillOrNull(field.getValue(), values);
        if (value == null) {
          continue;
        }
        if (field.getKey().equals(SPREAD)) {
          if (!value.isObject()) {
            throw new IllegalArgumentException("\"...\" must spread an object, but " + field.getValue() + " is " + value.getNodeType());
          }
          filled.setAll((ObjectNode) value);
        } else {
          filled.set(field.getKey(), value);
        }
      }
      return filled;
    }
    if (template.isArray()) {
      ArrayNode filled = JsonNodeFactory.instance.arrayNode();
      template.forEach(item -> {
        JsonNode value = fillOrNull(item, values);
        if (value != null) {
          filled.add(value);
        }
      });
      return filled;
    }
    return template;
  }
}
