package io.aigen.camunda.runtime.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.AiGenerationConnector;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.template.AppliedTemplate;
import io.aigen.camunda.connector.template.ElementTemplates;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the example processes' AI tasks from the element templates, as Modeler applies them: each
 * task gets its provider's template (the generic one for a custom spec) with the values the
 * example entered, and the process declares Camunda 8.8. Everything else in the file (flow,
 * diagram, other tasks) stays as written.
 */
final class ExampleProcesses {

  static final String PLATFORM_VERSION = "8.8.0";

  private static final Pattern AI_TASK =
      Pattern.compile(
          "(<bpmn:serviceTask id=\"([^\"]+)\"[^>]*?)(?: zeebe:modelerTemplate=\"[^\"]*\" zeebe:modelerTemplateVersion=\"[^\"]*\")?>(\\s*)<bpmn:extensionElements>(.*?)</bpmn:extensionElements>",
          Pattern.DOTALL);
  private static final Pattern INPUT = Pattern.compile("<zeebe:input source=\"([^\"]*)\" target=\"([^\"]*)\"\\s*/>");
  private static final Pattern HEADER = Pattern.compile("<zeebe:header key=\"([^\"]*)\" value=\"([^\"]*)\"\\s*/>");
  private static final Pattern TASK_DEFINITION = Pattern.compile("<zeebe:taskDefinition type=\"([^\"]*)\"(?: retries=\"([^\"]*)\")?\\s*/>");
  private static final Pattern PLATFORM = Pattern.compile("modeler:executionPlatformVersion=\"[^\"]*\"");

  private ExampleProcesses() {}

  /** The example as the templates make it. */
  static String regenerate(String bpmn) {
    String provider = null;
    Matcher anyProvider = Pattern.compile("<zeebe:input source=\"([A-Z_]+)\" target=\"provider\"").matcher(bpmn);
    if (anyProvider.find()) {
      provider = anyProvider.group(1);
    }
    StringBuilder out = new StringBuilder();
    Matcher task = AI_TASK.matcher(bpmn);
    while (task.find()) {
      String extensions = task.group(4);
      Matcher definition = TASK_DEFINITION.matcher(extensions);
      if (!definition.find() || !definition.group(1).equals(AiGenerationConnector.TYPE)) {
        task.appendReplacement(out, Matcher.quoteReplacement(task.group()));
        continue;
      }
      Map<String, String> entered = new LinkedHashMap<>();
      String taskProvider = provider;
      Matcher input = INPUT.matcher(extensions);
      while (input.find()) {
        entered.put(input.group(2), unescape(input.group(1)));
      }
      if (entered.containsKey("provider")) {
        taskProvider = entered.get("provider");
      }
      Matcher header = HEADER.matcher(extensions);
      while (header.find()) {
        if (!header.group(1).startsWith("elementTemplate")) {
          entered.put(header.group(1), unescape(header.group(2)));
        }
      }
      if (definition.group(2) != null) {
        entered.put("retries", definition.group(2));
      }
      if (taskProvider == null) {
        throw new IllegalArgumentException("task " + task.group(2) + ": no provider in its process");
      }
      ProviderId id = ProviderId.of(taskProvider);
      JsonNode template;
      if (id.isCustom()) {
        template = ElementTemplates.all().get(ElementTemplates.GENERIC_FILE);
      } else {
        template = ElementTemplates.all().get(ElementTemplates.fileName(id));
        entered.remove("provider");
      }
      AppliedTemplate applied;
      try {
        applied = AppliedTemplate.apply(template, entered);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("task " + task.group(2) + ": " + e.getMessage(), e);
      }
      String indent = task.group(3);
      String inner = indent.replace("\n", "\n  ");
      StringBuilder block = new StringBuilder();
      block.append(task.group(1))
          .append(" zeebe:modelerTemplate=\"").append(applied.templateId())
          .append("\" zeebe:modelerTemplateVersion=\"").append(applied.templateVersion()).append("\">")
          .append(indent).append("<bpmn:extensionElements>")
          .append(inner).append("<zeebe:taskDefinition type=\"").append(escape(applied.taskType())).append('"')
          .append(applied.retries() == null ? "" : " retries=\"" + escape(applied.retries()) + "\"").append(" />");
      if (!applied.inputs().isEmpty()) {
        block.append(inner).append("<zeebe:ioMapping>");
        applied.inputs().forEach((target, source) ->
            block.append(inner).append("  <zeebe:input source=\"").append(escape(source)).append("\" target=\"").append(escape(target)).append("\" />"));
        block.append(inner).append("</zeebe:ioMapping>");
      }
      block.append(inner).append("<zeebe:taskHeaders>");
      applied.headers().forEach((key, value) ->
          block.append(inner).append("  <zeebe:header key=\"").append(escape(key)).append("\" value=\"").append(escape(value)).append("\" />"));
      block.append(inner).append("</zeebe:taskHeaders>");
      block.append(indent).append("</bpmn:extensionElements>");
      task.appendReplacement(out, Matcher.quoteReplacement(block.toString()));
    }
    task.appendTail(out);
    return PLATFORM.matcher(out).replaceFirst("modeler:executionPlatformVersion=\"" + PLATFORM_VERSION + "\"");
  }

  private static String unescape(String xml) {
    return xml.replace("&quot;", "\"").replace("&#34;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
