package io.aigen.camunda.connector.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What Camunda Modeler writes into a service task when a modeler applies one of the task's element
 * templates and fills in some fields: the template's bindings, each with the value entered or the
 * template's default, for the fields whose conditions hold. The example processes are made this
 * way, and the end-to-end tests run tasks made this way.
 *
 * @param inputs {@code zeebe:input} target to source, in the template's order
 * @param headers {@code zeebe:taskHeader} key to value, in the template's order
 */
public record AppliedTemplate(String templateId, int templateVersion, String taskType, String retries, Map<String, String> inputs, Map<String, String> headers) {

  /**
   * @param template a task template, e.g. one of {@link ElementTemplates#all()}
   * @param entered what the modeler entered, by binding: the input's name ({@code model}, {@code
   *     options.endpoint}) or the header's key ({@code operation}, {@code resultVariable}); a value
   *     of {@code null} clears a field
   * @throws IllegalArgumentException when something entered has no field in the form
   */
  public static AppliedTemplate apply(JsonNode template, Map<String, String> entered) {
    Map<String, JsonNode> byId = new HashMap<>();
    template.path("properties").forEach(p -> {
      if (p.has("id")) {
        byId.put(p.path("id").asText(), p);
      }
    });
    // the form's state: each field's value, settled once conditions stop changing what is shown
    Map<String, String> values = new HashMap<>();
    for (int round = 0; round < 5; round++) {
      Map<String, String> next = new HashMap<>();
      for (JsonNode property : template.path("properties")) {
        if (!property.has("id") || !active(property, byId, values)) {
          continue;
        }
        next.put(property.path("id").asText(), valueOf(property, entered));
      }
      if (next.equals(values)) {
        break;
      }
      values = next;
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    String taskType = null;
    String retries = null;
    Set<String> used = new LinkedHashSet<>();
    for (JsonNode property : template.path("properties")) {
      if (!active(property, byId, values)) {
        continue;
      }
      JsonNode binding = property.path("binding");
      String name = bindingName(binding);
      used.add(name);
      String value = written(property, valueOf(property, entered));
      if (value == null || value.isEmpty()) {
        continue;
      }
      switch (binding.path("type").asText()) {
        case "zeebe:input" -> inputs.put(name, value);
        case "zeebe:taskHeader" -> headers.put(name, value);
        case "zeebe:taskDefinition" -> {
          if (name.equals("type")) {
            taskType = value;
          } else {
            retries = value;
          }
        }
        default -> throw new IllegalArgumentException("binding " + binding + " is not one a task template uses");
      }
    }
    for (String name : entered.keySet()) {
      if (!used.contains(name)) {
        throw new IllegalArgumentException(
            template.path("id").asText() + " has no field for '" + name + "' here. Its fields: " + used);
      }
    }
    return new AppliedTemplate(template.path("id").asText(), template.path("version").asInt(), taskType, retries, inputs, headers);
  }

  private static String bindingName(JsonNode binding) {
    for (String key : new String[] {"name", "key", "property"}) {
      if (binding.has(key)) {
        return binding.path(key).asText();
      }
    }
    throw new IllegalArgumentException("binding without a name: " + binding);
  }

  /** The field's value in the form: hidden fields keep theirs, others take what was entered. */
  private static String valueOf(JsonNode property, Map<String, String> entered) {
    String name = bindingName(property.path("binding"));
    if (!property.path("type").asText().equals("Hidden") && entered.containsKey(name)) {
      return entered.get(name);
    }
    return property.has("value") ? property.path("value").asText() : null;
  }

  /** As Modeler writes a value: booleans and numbers of static FEEL fields as expressions. */
  private static String written(JsonNode property, String value) {
    if (value == null) {
      return null;
    }
    String type = property.path("type").asText();
    if (property.path("feel").asText().equals("static") && (type.equals("Boolean") || type.equals("Number")) && !value.isEmpty()) {
      return value.startsWith("=") ? value : "=" + value;
    }
    return value;
  }

  private static boolean active(JsonNode property, Map<String, JsonNode> byId, Map<String, String> values) {
    JsonNode condition = property.path("condition");
    return condition.isMissingNode() || holds(condition, byId, values);
  }

  private static boolean holds(JsonNode condition, Map<String, JsonNode> byId, Map<String, String> values) {
    if (condition.has("allMatch")) {
      for (JsonNode part : condition.path("allMatch")) {
        if (!holds(part, byId, values)) {
          return false;
        }
      }
      return true;
    }
    String other = condition.path("property").asText();
    boolean shown = values.containsKey(other);
    if (condition.has("isActive")) {
      return condition.path("isActive").asBoolean() == shown;
    }
    if (!shown) {
      return false;
    }
    String value = values.get(other);
    if (condition.has("equals")) {
      return condition.path("equals").asText().equals(value == null ? null : value.replaceFirst("^=", ""));
    }
    for (JsonNode choice : condition.path("oneOf")) {
      if (choice.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
