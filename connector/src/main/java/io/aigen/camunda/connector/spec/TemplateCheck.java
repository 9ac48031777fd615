package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every template of a spec uses only roots that will have a value: a typo fails when the spec is read, not mid-job. */
final class TemplateCheck {

  /** The roots a template may use. */
  static final Set<String> ROOTS = Set.of("baseUrl", "model", "modelPath", "input", "options", "id", "startResult", "callbackUrl");

  /** The roots a submit template may use: there is no job id and no submit answer yet. */
  private static final Set<String> SUBMIT_ROOTS = Set.of("baseUrl", "model", "modelPath", "input", "options", "callbackUrl");

  /** AsyncQueue's {@code {startResult.body.<path>}}: the submit answer has nothing but its body. */
  private static final Pattern START_RESULT_WITHOUT_BODY = Pattern.compile("\\{startResult(?!\\.body[.\\[|}])[^{}]*}");

  /** {@code {options.<name>…}} in a template. */
  private static final Pattern OPTION = Pattern.compile("\\{options\\.([A-Za-z0-9_]+)");

  private TemplateCheck() {}

  static void check(PollSpec spec) {
    Map<String, String> templates = new LinkedHashMap<>();
    templates.put("submit.url", spec.submit().urlTemplate());
    for (int i = 0; i < spec.submit().routes().size(); i++) {
      templates.put("submit.routes[" + i + "].url", spec.submit().routes().get(i).urlTemplate());
    }
    spec.submit().headers().forEach((name, value) -> templates.put("submit.headers." + name, value));
    bodyTemplates("submit.body", spec.submit().bodyTemplate(), templates);
    for (int i = 0; i < spec.submit().routes().size(); i++) {
      bodyTemplates("submit.routes[" + i + "].body", spec.submit().routes().get(i).bodyTemplate(), templates);
    }
    templates.put("pollConfig.urlTemplate", spec.status().urlTemplate());
    templates.put("pollConfig.resultUrlTemplate", spec.result().urlTemplate());
    if (spec.cancel() != null) {
      templates.put("cancel.urlTemplate", spec.cancel().urlTemplate());
    }
    if (spec.callback() != null) {
      spec.callback().urlQuery().forEach((name, value) -> templates.put("callback.urlQuery." + name, value));
    }
    templates.forEach(
        (field, template) -> {
          if (template == null) {
            return;
          }
          for (String root : Template.roots(template)) {
            if (!ROOTS.contains(root)) {
              throw new SpecException(field, "unknown placeholder {" + root + "…} in '" + template + "'. Known roots: " + ROOTS + ", e.g. {startResult.body.id}");
            }
            if ((field.startsWith("submit.") || field.startsWith("callback.urlQuery.")) && !SUBMIT_ROOTS.contains(root)) {
              throw new SpecException(field, "{" + root + "…} in '" + template + "' has no value yet when the job is submitted. Submit templates may use " + SUBMIT_ROOTS);
            }
          }
          if (spec.options() != null) {
            Matcher option = OPTION.matcher(template);
            while (option.find()) {
              if (spec.option(option.group(1)).isEmpty()) {
                throw new SpecException(field, "{options." + option.group(1) + "} in '" + template + "' is not a declared option. Declared: " + names(spec));
              }
            }
          }
          Matcher withoutBody = START_RESULT_WITHOUT_BODY.matcher(template);
          if (withoutBody.find()) {
            throw new SpecException(field, "unknown placeholder " + withoutBody.group() + " in '" + template + "': the submit answer is {startResult.body.<path>}, e.g. {startResult.body.id}");
          }
        });
    if (spec.options() != null) {
      checkOptionsUsed(spec, templates);
    }
  }

  /** Every declared option is read by some template: a declaration nothing uses is a mistake. */
  static void checkOptionsUsed(PollSpec spec, Map<String, String> templates) {
    for (ProviderOption option : spec.options()) {
      boolean used = templates.values().stream().anyMatch(t -> t != null && t.matches("(?s).*\\{options\\." + option.name() + "[.|}\\[].*"));
      if (!used) {
        throw new SpecException("options." + option.name(), "declared, but no template of the spec reads {options." + option.name() + "}");
      }
    }
  }

  private static String names(PollSpec spec) {
    return spec.options().isEmpty() ? "none" : spec.options().stream().map(ProviderOption::name).toList().toString();
  }

  /** The strings of a body template, each named by its place, e.g. {@code submit.body.input}. */
  private static void bodyTemplates(String field, JsonNode body, Map<String, String> into) {
    if (body == null) {
      return;
    }
    if (body.isTextual()) {
      into.put(field, body.asText());
    } else if (body.isObject()) {
      body.fields().forEachRemaining(e -> bodyTemplates(field + "." + e.getKey(), e.getValue(), into));
    } else if (body.isArray()) {
      for (int i = 0; i < body.size(); i++) {
        bodyTemplates(field + "[" + i + "]", body.get(i), into);
      }
    }
  }
}
