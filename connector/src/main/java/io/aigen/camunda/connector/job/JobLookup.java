package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.OutgoingRequest;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.spec.BodyTemplate;
import io.aigen.camunda.connector.spec.JsonPaths;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Recover;
import io.aigen.camunda.connector.spec.Template;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks through a provider's job lists for the job a marked submit created, as the spec's {@link
 * Recover} section says, and makes the answer the submit would have given from it.
 */
final class JobLookup {

  private final PollSpec spec;
  private final Recover recover;
  private final ProviderEndpoint endpoint;

  JobLookup(PollSpec spec, ProviderEndpoint endpoint) {
    this.spec = spec;
    this.recover = spec.recover();
    this.endpoint = endpoint;
  }

  /**
   * Every list is read (a job of several generations may be listed partly as active, partly as
   * ended); within a list, pages are read until the marker was found.
   */
  Optional<JsonNode> find(String marker, Instant since) {
    Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
    for (String template : recover.listUrlTemplates()) {
      int offset = 0;
      String url = url(template, since, offset);
      for (int page = 0; page < Recover.MAX_PAGES && url != null; page++) {
        HttpReply reply = endpoint.call(new OutgoingRequest("GET", url, JobUrls.JSON_ACCEPT, null, null, "recover list"), true);
        if (!reply.ok()) {
          String said = endpoint.redact(reply.excerpt());
          if (reply.code() >= 500) {
            throw new ProviderUnavailable("The " + spec.id() + " job list answered HTTP " + reply.code() + ": " + said, null);
          }
          throw new ProviderRejected("The " + spec.id() + " job list (recover.lists) answered HTTP " + reply.code() + ": " + said);
        }
        JsonNode body = reply.json();
        if (body.isMissingNode()) {
          throw new ProviderUnavailable("The " + spec.id() + " job list answered HTTP " + reply.code() + " without a readable JSON body", null);
        }
        JsonNode items = JsonPaths.read(body, recover.itemsPath());
        boolean inThisPage = false;
        for (JsonNode item : items.isArray() ? items : JsonNodeFactory.instance.arrayNode()) {
          if (marker.equals(JsonPaths.text(item, recover.markerPath()))) {
            found.putIfAbsent(idOf(item), item);
            inThisPage = true;
          }
        }
        offset += items.size();
        url = inThisPage ? null : nextPage(body, template, since, offset);
      }
    }
    return found.isEmpty() ? Optional.empty() : Optional.of(answer(new ArrayList<>(found.values())));
  }

  /** A listed job's id, to count a job listed twice (it ended between two lists) once. */
  private static String idOf(JsonNode item) {
    return io.aigen.camunda.connector.spec.Submit.USUAL_ID_FIELDS.stream()
        .filter(f -> item.path(f).isValueNode())
        .map(f -> item.get(f).asText())
        .findFirst()
        .orElse(item.toString());
  }

  private String nextPage(JsonNode body, String template, Instant since, int offset) {
    if (recover.nextPagePath() != null) {
      return JsonPaths.text(body, recover.nextPagePath());
    }
    if (recover.morePath() != null && JsonPaths.read(body, recover.morePath()).asBoolean(false)) {
      return url(template, since, offset);
    }
    return null;
  }

  private String url(String template, Instant since, int offset) {
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("baseUrl", TextNode.valueOf(JobUrls.stripSlash(endpoint.baseUrl())));
    roots.put("since", TextNode.valueOf(since.toString()));
    roots.put("offset", IntNode.valueOf(offset));
    return JobUrls.resolve(spec, template, roots, "recover list URL");
  }

  private JsonNode answer(List<JsonNode> found) {
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    found.forEach(items::add);
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("item", found.get(0));
    roots.put("items", items);
    return BodyTemplate.fill(recover.answer(), new Template.Values(roots));
  }
}
