package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Template;
import java.util.Map;

/** The URLs of a job's requests, built from the spec's templates. */
final class JobUrls {

  static final Map<String, String> JSON_ACCEPT = Map.of("Accept", "application/json");

  private JobUrls() {}

  /** The template filled in; a template that cannot be filled is the spec's fault. */
  static String resolve(PollSpec spec, String template, Map<String, JsonNode> roots, String field) {
    if (template == null) {
      return null;
    }
    try {
      return Template.resolve(template, new Template.Values(roots));
    } catch (IllegalArgumentException e) {
      throw new ProviderRejected("Cannot build the " + spec.id() + " " + field + " from '" + template + "': " + e.getMessage());
    }
  }

  /** Names a URL by where it came from, e.g. "status_url" for {startResult.body.status_url}. */
  static String fieldName(String template, String fallback) {
    if (template != null && template.startsWith("{startResult.body.") && template.endsWith("}") && template.indexOf('}') == template.length() - 1) {
      return template.substring("{startResult.body.".length(), template.length() - 1);
    }
    return fallback;
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
