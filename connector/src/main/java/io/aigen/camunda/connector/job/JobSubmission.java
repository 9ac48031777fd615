package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.MultipartForm;
import io.aigen.camunda.connector.http.OutgoingRequest;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.spec.BodyTemplate;
import io.aigen.camunda.connector.spec.Callback;
import io.aigen.camunda.connector.spec.JsonPaths;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Submit;
import io.aigen.camunda.connector.spec.Template;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a submit request from the spec, the task's model and input, sends it, and makes the job
 * handle from the answer: the job ids and every URL the job will need, resolved once.
 */
final class JobSubmission {

  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~:@/-]*");

  private final PollSpec spec;
  private final ProviderEndpoint endpoint;
  private final MultipartForm forms;
  private final ProviderAnswers answers;
  private final Clock clock;

  JobSubmission(PollSpec spec, ProviderEndpoint endpoint, MultipartForm forms, ProviderAnswers answers, Clock clock) {
    this.spec = spec;
    this.endpoint = endpoint;
    this.forms = forms;
    this.answers = answers;
    this.clock = clock;
  }

  /** Submits a job. This is the only call that costs money. */
  JobHandle submit(String model, JsonNode input, GenerationClient.SubmitExtras extras) {
    Submit submit = spec.submit();
    if (submit.usesModel()) {
      requireModel(model);
    }
    for (String field : submit.requiredInput()) {
      JsonNode value = input.path(field);
      if (value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
        throw GenerationFailure.invalidInput("input." + field, "it is missing. " + spec.label() + " needs it; see the provider's description in the catalog.");
      }
    }
    Map<String, JsonNode> roots = roots(model, input, extras);
    String callbackUrl = roots.get("callbackUrl") == null ? null : roots.get("callbackUrl").asText();
    Submit.Route route = submit.routeFor(model == null ? "" : model);
    String url = JobUrls.resolve(spec, route.urlTemplate(), roots, "submit URL");
    JsonNode body = route.bodyTemplate() == null ? input : fillBody(route.bodyTemplate(), roots);
    if (callbackUrl != null) {
      Callback callback = spec.callback();
      if (callback == null) {
        throw GenerationFailure.invalidInput("waitForCallback", spec.label() + " does not call back. Wait by polling: an await task, or the generate operation.");
      }
      if (callback.body() != null) {
        ObjectNode merged = body.deepCopy();
        merged.setAll((ObjectNode) fillBody(callback.body(), roots));
        body = merged;
      }
      if (callback.queryParameter() != null) {
        url += (url.contains("?") ? "&" : "?") + callback.queryParameter() + "=" + URLEncoder.encode(callbackUrl, StandardCharsets.UTF_8);
      }
    }
    if (spec.recover() != null && extras.marker() != null && submit.encoding() == Submit.Encoding.JSON) {
      body = spec.recover().mark(body, extras.marker());
    }
    Map<String, String> headers = new LinkedHashMap<>(JobUrls.JSON_ACCEPT);
    submit.headers().forEach((name, template) -> {
      String value = Template.resolveOrNull(template, new Template.Values(roots));
      if (value != null) {
        headers.put(name, value);
      }
    });
    byte[] bytes;
    String contentType;
    if (submit.encoding() == Submit.Encoding.MULTIPART) {
      MultipartForm.Encoded form = encodeForm(body, submit.fileFields());
      bytes = form.body();
      contentType = form.contentType();
    } else {
      bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      contentType = "application/json";
    }
    HttpReply reply = endpoint.call(new OutgoingRequest(submit.method(), url, headers, bytes, contentType, "submit"), true);
    if (!reply.ok()) {
      throw answers.submitRefused(reply, model);
    }
    JsonNode answer = reply.json();
    if (answer.isMissingNode()) {
      // the provider took the submit (2xx) and its answer got lost: the job may well exist
      throw new ProviderUnavailable(
          "The " + spec.id() + " submit answered HTTP " + reply.code() + " without a readable JSON body (" + (reply.body().length == 0 ? "empty" : "not JSON")
              + "); the job may have been created",
          null);
    }
    return handle(answer, roots, model, extras);
  }

  /**
   * The handle of a job an earlier submit created, from what the provider's lists answered in place
   * of the submit's answer.
   */
  JobHandle recovered(String model, JsonNode input, GenerationClient.SubmitExtras extras, JsonNode answer) {
    return handle(answer, roots(model, input, extras), model, extras);
  }

  private Map<String, JsonNode> roots(String model, JsonNode input, GenerationClient.SubmitExtras extras) {
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("baseUrl", TextNode.valueOf(JobUrls.stripSlash(endpoint.baseUrl())));
    roots.put("model", model == null ? null : TextNode.valueOf(model));
    roots.put("modelPath", model == null ? null : modelPath(model));
    roots.put("input", input);
    roots.put("options", extras.options());
    String callbackUrl = extras.callbackUrl() == null ? null : withUrlQuery(extras.callbackUrl(), roots);
    roots.put("callbackUrl", callbackUrl == null ? null : TextNode.valueOf(callbackUrl));
    return roots;
  }

  private JobHandle handle(JsonNode answer, Map<String, JsonNode> roots, String model, GenerationClient.SubmitExtras extras) {
    List<String> jobIds = jobIds(answer);
    ObjectNode startResult = JsonNodeFactory.instance.objectNode();
    startResult.set("body", answer);
    roots.put("startResult", startResult);
    List<JobHandle.Part> parts = new ArrayList<>();
    for (String jobId : jobIds) {
      roots.put("id", TextNode.valueOf(jobId));
      parts.add(
          new JobHandle.Part(
              jobId,
              spec.status().withQuery(JobUrls.resolve(spec, spec.status().urlTemplate(), roots, "status URL")),
              JobUrls.resolve(spec, spec.result().urlTemplate(), roots, "result URL"),
              spec.cancel() == null ? null : JobUrls.resolve(spec, spec.cancel().urlTemplate(), roots, "cancel URL")));
    }
    return new JobHandle(spec.id(), jobIds.get(0), model, parts, clock.instant(), extras.customSpec(), expectedDuration(answer));
  }

  /** The model id's segments: {@code fal-ai/flux/dev} is {@code ["fal-ai", "flux", "dev"]}. */
  private static JsonNode modelPath(String model) {
    ArrayNode segments = JsonNodeFactory.instance.arrayNode();
    for (String segment : model.split("/")) {
      segments.add(segment);
    }
    return segments;
  }

  /** The callback URL with the spec's {@code callback.urlQuery} parameters, if it has any. */
  private String withUrlQuery(String callbackUrl, Map<String, JsonNode> roots) {
    Callback callback = spec.callback();
    if (callback == null || callback.urlQuery().isEmpty()) {
      return callbackUrl;
    }
    StringBuilder url = new StringBuilder(callbackUrl);
    for (Map.Entry<String, String> parameter : new java.util.TreeMap<>(callback.urlQuery()).entrySet()) {
      String value = JobUrls.resolve(spec, parameter.getValue(), roots, "callback.urlQuery." + parameter.getKey());
      url.append(url.indexOf("?") >= 0 ? '&' : '?')
          .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    return url.toString();
  }

  /**
   * A handle for a job known only by its id, for specs whose URLs need nothing from the submit
   * answer (re-reading a job a callback announced).
   */
  JobHandle handleFor(String jobId) {
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("baseUrl", TextNode.valueOf(JobUrls.stripSlash(endpoint.baseUrl())));
    roots.put("id", TextNode.valueOf(jobId));
    JobHandle.Part part =
        new JobHandle.Part(
            jobId,
            spec.status().withQuery(JobUrls.resolve(spec, spec.status().urlTemplate(), roots, "status URL")),
            Template.roots(spec.result().urlTemplate()).stream().allMatch(r -> roots.containsKey(r)) ? JobUrls.resolve(spec, spec.result().urlTemplate(), roots, "result URL") : null,
            null);
    return new JobHandle(spec.id(), jobId, null, List.of(part), clock.instant(), null, null);
  }

  private List<String> jobIds(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    if (spec.submit().idPath() != null) {
      JsonNode found = JsonPaths.read(answer, spec.submit().idPath());
      if (found.isArray()) {
        found.forEach(id -> ids.add(id.asText()));
      } else if (found.isValueNode() && !found.isNull()) {
        ids.add(found.asText());
      }
    } else {
      Submit.USUAL_ID_FIELDS.stream().filter(f -> answer.path(f).isValueNode()).findFirst().ifPresent(f -> ids.add(answer.get(f).asText()));
    }
    if (ids.isEmpty()) {
      String where = spec.submit().idPath() != null ? "'" + spec.submit().idPath() + "'" : "any of " + Submit.USUAL_ID_FIELDS;
      throw new ProviderRejected("The " + spec.id() + " submit answer has no job id at " + where + ": " + answers.redact(String.valueOf(answer)));
    }
    return ids;
  }

  private Duration expectedDuration(JsonNode answer) {
    if (spec.submit().expectedSecondsPath() == null) {
      return null;
    }
    JsonNode seconds = JsonPaths.read(answer, spec.submit().expectedSecondsPath());
    return seconds.isNumber() && seconds.asDouble() > 0 ? Duration.ofMillis(Math.round(seconds.asDouble() * 1000)) : null;
  }

  private MultipartForm.Encoded encodeForm(JsonNode body, List<String> fileFields) {
    if (!body.isObject()) {
      throw GenerationFailure.invalidInput("input", "the " + spec.id() + " submit is a form: give the input as an object of form fields.");
    }
    try {
      return forms.encode(body, fileFields);
    } catch (MultipartForm.BadFile e) {
      throw GenerationFailure.invalidInput("input." + e.field(), e.getMessage());
    }
  }

  private JsonNode fillBody(JsonNode template, Map<String, JsonNode> roots) {
    try {
      return BodyTemplate.fill(template, new Template.Values(roots));
    } catch (IllegalArgumentException e) {
      throw GenerationFailure.invalidInput("input", "cannot build the " + spec.id() + " submit body: " + e.getMessage());
    }
  }

  private static void requireModel(String model) {
    if (model == null || model.isBlank()) {
      throw GenerationFailure.invalidInput("model", "it is empty. Enter the provider's model id, e.g. 'fal-ai/flux/dev'.");
    }
    if (!MODEL.matcher(model).matches() || model.contains("..") || model.contains("//")) {
      throw GenerationFailure.invalidInput(
          "model", "'" + model + "' is not a model id. Use letters, digits and '-._/:', e.g. 'fal-ai/flux/dev'.");
    }
  }
}
