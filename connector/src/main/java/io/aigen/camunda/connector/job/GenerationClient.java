package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.OutgoingRequest;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.spec.JsonPaths;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Status;
import io.aigen.camunda.connector.spec.Template;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Speaks one provider's protocol, as its {@link PollSpec} describes it: submit, poll, fetch the
 * result, cancel. Each method is one HTTP exchange (two for a result on its own URL) and keeps no
 * state between calls.
 */
public final class GenerationClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~:@/-]*");

  private final PollSpec spec;
  private final ProviderEndpoint endpoint;
  private final Clock clock;

  public GenerationClient(PollSpec spec, ProviderEndpoint endpoint, Clock clock) {
    this.spec = spec;
    this.endpoint = endpoint;
    this.clock = clock;
  }

  public PollSpec spec() {
    return spec;
  }

  /** Submits a job. This is the only call that costs money. */
  public JobHandle submit(String model, JsonNode input) {
    if (model == null || model.isBlank()) {
      throw GenerationFailure.invalidInput("model", "it is empty. Enter the provider's model id, e.g. 'fal-ai/flux/dev'.");
    }
    if (!MODEL.matcher(model).matches() || model.contains("..") || model.contains("//")) {
      throw GenerationFailure.invalidInput(
          "model", "'" + model + "' is not a model id. Use letters, digits and '-._/:', e.g. 'fal-ai/flux/dev'.");
    }
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("baseUrl", TextNode.valueOf(stripSlash(endpoint.baseUrl())));
    roots.put("model", TextNode.valueOf(model));
    roots.put("input", input);
    String url = resolve(spec.submit().urlTemplate(), roots, "submit URL");
    JsonNode body = spec.submit().bodyTemplate() == null ? input : fill(spec.submit().bodyTemplate(), roots);
    HttpReply reply =
        endpoint.call(
            new OutgoingRequest(
                spec.submit().method(), url, Map.of("Accept", "application/json"),
                body.toString().getBytes(StandardCharsets.UTF_8), "application/json", "submit"));
    if (!reply.ok()) {
      throw submitRefused(reply, model);
    }
    JsonNode answer = reply.json();
    String jobId = JsonPaths.text(answer, spec.submit().idPath());
    if (jobId == null) {
      throw new ProviderRejected(
          "The " + spec.id() + " submit answer has no job id at '" + spec.submit().idPath() + "': " + endpoint.redact(reply.excerpt()));
    }
    roots.put("id", TextNode.valueOf(jobId));
    ObjectNode startResult = JSON.createObjectNode();
    startResult.set("body", answer);
    roots.put("startResult", startResult);
    return new JobHandle(
        spec.id(),
        jobId,
        model,
        resolve(spec.status().urlTemplate(), roots, "status URL"),
        spec.result() == null ? null : resolve(spec.result().urlTemplate(), roots, "result URL"),
        spec.cancel() == null ? null : resolve(spec.cancel().urlTemplate(), roots, "cancel URL"),
        clock.instant(),
        0,
        0);
  }

  /** Reads the job's status once. */
  public JobStatus poll(JobHandle handle) {
    Status status = spec.status();
    HttpReply reply = endpoint.call(new OutgoingRequest(status.method(), handle.statusUrl(), Map.of("Accept", "application/json"), null, null, fieldName(status.urlTemplate(), "status URL")));
    JsonNode body = reply.json();
    Phase byCode = status.httpCodes().get(reply.code());
    if (byCode == null && !reply.ok()) {
      throw unexpected(reply, handle, "status");
    }
    String word = status.statusPath() == null ? null : JsonPaths.text(body, status.statusPath());
    Phase phase = byCode != null ? byCode : status.phaseOf(word);
    String providerStatus = word != null ? word : "HTTP " + reply.code();
    String error = status.errorPath() == null ? null : JsonPaths.text(body, status.errorPath());
    if (phase == null) {
      if (status.unknownStatus() == io.aigen.camunda.connector.spec.UnknownStatusPolicy.FAIL) {
        return new JobStatus(Phase.FAILED, providerStatus, null, "unknown status '" + providerStatus + "'", body);
      }
      phase = Phase.RUNNING;
    }
    if (phase == Phase.SUCCEEDED && error != null) {
      phase = Phase.FAILED;
    }
    if (phase == Phase.FAILED && error == null) {
      error = "the provider reports status '" + providerStatus + "'";
    }
    Double progress = null;
    if (status.progressPath() != null) {
      JsonNode p = JsonPaths.read(body, status.progressPath());
      progress = p.isNumber() ? p.asDouble() : null;
    }
    return new JobStatus(phase, providerStatus, progress, error == null ? null : endpoint.redact(error), body);
  }

  /** Fetches the finished job's result and normalises it. */
  public GenerationResult result(JobHandle handle, JobStatus finalStatus) {
    JsonNode body = finalStatus.body();
    if (handle.resultUrl() != null) {
      HttpReply reply = endpoint.call(new OutgoingRequest("GET", handle.resultUrl(), Map.of("Accept", "application/json"), null, null, fieldName(spec.result().urlTemplate(), "result URL")));
      if (!reply.ok()) {
        throw new GenerationFailure(
            ErrorCode.AI_GENERATION_FAILED,
            "The " + spec.id() + " job " + handle.jobId() + " failed: its result answered HTTP " + reply.code() + ": " + endpoint.redact(reply.excerpt()));
      }
      body = reply.json();
    }
    JsonNode providerResult = JsonPaths.read(body, spec.result() == null ? "" : spec.result().resultPath());
    String outputsPath = spec.result() == null ? null : spec.result().outputsPath();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("polls", handle.polls());
    metrics.put("waitedMs", Duration.between(handle.submittedAt(), clock.instant()).toMillis());
    if (spec.result() != null && spec.result().metricsPath() != null) {
      JsonNode providerMetrics = JsonPaths.read(finalStatus.body(), spec.result().metricsPath());
      if (providerMetrics.isObject()) {
        metrics.put("provider", JSON.convertValue(providerMetrics, Map.class));
      }
    }
    return new GenerationResult(
        "SUCCEEDED",
        handle.provider(),
        handle.jobId(),
        outputsPath == null ? java.util.List.of() : JsonPaths.strings(providerResult, outputsPath),
        providerResult.isMissingNode() ? null : providerResult,
        metrics);
  }

  /** Asks the provider to cancel. A job that is already over is reported, not raised. */
  public CancelReport cancel(JobHandle handle) {
    if (spec.cancel() == null || handle.cancelUrl() == null) {
      return new CancelReport(handle.provider(), handle.jobId(), false, 0, "NOT_SUPPORTED");
    }
    HttpReply reply =
        endpoint.call(new OutgoingRequest(spec.cancel().method(), handle.cancelUrl(), Map.of("Accept", "application/json"), null, null, fieldName(spec.cancel().urlTemplate(), "cancel URL")));
    String word = spec.cancel().statusPath() == null ? null : JsonPaths.text(reply.json(), spec.cancel().statusPath());
    String answer = word != null ? word : "HTTP " + reply.code();
    if (reply.ok()) {
      return new CancelReport(handle.provider(), handle.jobId(), true, reply.code(), answer);
    }
    if (reply.code() >= 400 && reply.code() < 500) {
      return new CancelReport(handle.provider(), handle.jobId(), false, reply.code(), answer);
    }
    throw new ProviderUnavailable("The " + spec.id() + " cancel request answered HTTP " + reply.code() + ": " + endpoint.redact(reply.excerpt()), null);
  }

  private RuntimeException submitRefused(HttpReply reply, String model) {
    String said = endpoint.redact(reply.excerpt());
    if (reply.code() == 400 || reply.code() == 422) {
      return GenerationFailure.invalidInput("input", "the provider rejected it (HTTP " + reply.code() + "): " + said);
    }
    if (reply.code() == 404) {
      return GenerationFailure.invalidInput("model", "the provider does not know '" + model + "' (HTTP 404). Check the model id.");
    }
    if (reply.code() >= 500) {
      return new ProviderUnavailable("The " + spec.id() + " submit answered HTTP " + reply.code() + ": " + said, null);
    }
    return new ProviderRejected("The " + spec.id() + " submit answered HTTP " + reply.code() + ": " + said);
  }

  private RuntimeException unexpected(HttpReply reply, JobHandle handle, String what) {
    String said = endpoint.redact(reply.excerpt());
    if (reply.code() == 404 || reply.code() == 410) {
      return new GenerationFailure(
          ErrorCode.AI_GENERATION_FAILED,
          "The " + spec.id() + " job " + handle.jobId() + " is unknown to the provider (HTTP " + reply.code() + " on " + what + "): it expired or was deleted. " + said);
    }
    if (reply.code() >= 500) {
      return new ProviderUnavailable("The " + spec.id() + " " + what + " request answered HTTP " + reply.code() + ": " + said, null);
    }
    return new ProviderRejected("The " + spec.id() + " " + what + " request answered HTTP " + reply.code() + ": " + said);
  }

  private String resolve(String template, Map<String, JsonNode> roots, String field) {
    if (template == null) {
      return null;
    }
    try {
      return Template.resolve(template, new Template.Values(roots));
    } catch (IllegalArgumentException e) {
      throw new ProviderRejected("Cannot build the " + spec.id() + " " + field + " from '" + template + "': " + e.getMessage());
    }
  }

  /** Replaces string values that are exactly one placeholder by that value, recursively. */
  private static JsonNode fill(JsonNode template, Map<String, JsonNode> roots) {
    if (template.isTextual()) {
      String text = template.asText();
      if (text.startsWith("{") && text.endsWith("}") && roots.containsKey(text.substring(1, text.length() - 1))) {
        return roots.get(text.substring(1, text.length() - 1));
      }
      return template;
    }
    if (template.isObject()) {
      ObjectNode filled = JSON.createObjectNode();
      template.fields().forEachRemaining(e -> filled.set(e.getKey(), fill(e.getValue(), roots)));
      return filled;
    }
    return template;
  }

  /** Names a URL by where it came from, e.g. "status_url" for {startResult.body.status_url}. */
  private static String fieldName(String template, String fallback) {
    if (template != null && template.startsWith("{startResult.body.") && template.endsWith("}") && template.indexOf('}') == template.length() - 1) {
      return template.substring("{startResult.body.".length(), template.length() - 1);
    }
    return fallback;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
