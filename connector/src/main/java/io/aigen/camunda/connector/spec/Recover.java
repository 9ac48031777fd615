package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * How to find a job that an earlier submit created, for providers that list their jobs: the submit
 * sends a marker of the task's own, and a later attempt of the same task looks for it in the lists
 * before it submits again. So a runtime that dies after the provider took a submit, or a submit
 * whose answer got lost, does not pay for a second job.
 *
 * @param markerField where the submit body carries the marker, a dot path created as needed (e.g.
 *     {@code input.aigen_submission})
 * @param listUrlTemplates the lists to search, in order, e.g. {@code
 *     {baseUrl}/predictions?created_after={since}}; roots: {@code baseUrl}, {@code since} (an ISO
 *     8601 time a little before the first attempt), {@code offset} (items seen on earlier pages)
 * @param itemsPath where a list answer holds its jobs
 * @param markerPath where a listed job echoes the marker
 * @param nextPagePath where a list answer gives the next page's URL ({@code null}: none)
 * @param morePath where a list answer says more pages follow, read with {@code offset} ({@code
 *     null}: none)
 * @param answer what a submit would have answered, made of the jobs found: {@code {item}} (the
 *     first; the default) or {@code {items}} (all) in a JSON template, e.g. {@code {"generations":
 *     "{items}"}}
 */
public record Recover(
    String markerField,
    List<String> listUrlTemplates,
    String itemsPath,
    String markerPath,
    String nextPagePath,
    String morePath,
    JsonNode answer) {

  /** Pages read per list at most, so a large account's lookup stays bounded. */
  public static final int MAX_PAGES = 20;

  public Recover {
    listUrlTemplates = List.copyOf(listUrlTemplates);
    answer = answer == null ? JsonNodeFactory.instance.textNode("{item}") : answer;
  }

  /** {@code body} with {@code marker} at {@link #markerField}, nested objects created as needed. */
  public JsonNode mark(JsonNode body, String marker) {
    if (!body.isObject()) {
      return body;
    }
    ObjectNode copy = body.deepCopy();
    ObjectNode at = copy;
    String[] segments = markerField.split("\\.");
    for (int i = 0; i < segments.length - 1; i++) {
      JsonNode next = at.get(segments[i]);
      if (next == null || !next.isObject()) {
        next = at.putObject(segments[i]);
      }
      at = (ObjectNode) next;
    }
    at.put(segments[segments.length - 1], marker);
    return copy;
  }
}
