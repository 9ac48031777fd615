package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.OutgoingRequest;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.spec.JsonPaths;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Result;
import io.aigen.camunda.connector.store.ResultStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects a finished job's result, the same for every provider: fetches it where the spec says,
 * keeps files the provider sends as bytes in the result store, and lists the output URLs.
 */
record ResultCollector(PollSpec spec, ProviderEndpoint endpoint, ResultStore results, Clock clock) {

  /**
   * Fetches the finished job's result and normalises it.
   *
   * @param polls status requests made for it, for the result's metrics
   */
  GenerationResult result(JobHandle handle, JobStatus finalStatus, int polls) {
    Result result = spec.result();
    List<String> outputs = new ArrayList<>();
    ArrayNode providerResults = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < handle.parts().size(); i++) {
      JobHandle.Part part = handle.parts().get(i);
      JsonNode statusBody = i < finalStatus.bodies().size() ? finalStatus.bodies().get(i) : null;
      JsonNode partResult = partResult(handle, part, i, statusBody, outputs);
      providerResults.add(partResult == null ? NullNode.getInstance() : partResult);
    }
    Map<String, Object> metrics = waitMetrics(handle, polls);
    if (result.metricsPath() != null && finalStatus.body() != null) {
      JsonNode providerMetrics = JsonPaths.read(finalStatus.body(), result.metricsPath());
      if (providerMetrics.isObject()) {
        metrics.put("provider", Json.mapper().convertValue(providerMetrics, Map.class));
      }
    }
    List<String> warnings = result.notice() == null ? List.of() : List.of(result.notice());
    return new GenerationResult(
        "SUCCEEDED",
        handle.provider(),
        handle.jobId(),
        outputs,
        providerResults.size() == 1 ? providerResults.get(0) : providerResults,
        metrics,
        warnings);
  }

  /**
   * The result a callback carries, normalised like a polled one (files stored, output URLs
   * collected).
   */
  GenerationResult fromCallback(String jobId, JsonNode callbackBody, String resultPath) {
    JobHandle handle = new JobHandle(spec.id(), jobId, null, List.of(new JobHandle.Part(jobId, null, null, null)), clock.instant(), null, null);
    List<String> outputs = new ArrayList<>();
    JsonNode providerResult = collect(handle, 0, callbackBody, null, outputs, resultPath);
    List<String> warnings = spec.result().notice() == null ? List.of() : List.of(spec.result().notice());
    return new GenerationResult("SUCCEEDED", spec.id(), jobId, outputs, providerResult, Map.of("polls", 0), warnings);
  }

  /**
   * The result of a job whose end callback could not carry it, read from {@code urlTemplate}
   * ({@code {baseUrl}}, {@code {id}}, {@code {query.<name>}}) and normalised like a polled one.
   */
  GenerationResult fromUrl(String jobId, String urlTemplate, Map<String, String> query) {
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("baseUrl", TextNode.valueOf(JobUrls.stripSlash(endpoint.baseUrl())));
    roots.put("id", TextNode.valueOf(jobId));
    roots.put("query", Json.mapper().valueToTree(query));
    String url = JobUrls.resolve(spec, urlTemplate, roots, "result URL");
    JobHandle handle = new JobHandle(spec.id(), jobId, null, List.of(new JobHandle.Part(jobId, null, url, null)), clock.instant(), null, null);
    List<String> outputs = new ArrayList<>();
    JsonNode providerResult = partResult(handle, handle.parts().get(0), 0, null, outputs);
    List<String> warnings = spec.result().notice() == null ? List.of() : List.of(spec.result().notice());
    return new GenerationResult("SUCCEEDED", spec.id(), jobId, outputs, providerResult, Map.of("polls", 0), warnings);
  }

  /** The job is over and the provider cannot say how: a result with no outputs that says so. */
  GenerationResult unknownOutcome(JobHandle handle, JobStatus finalStatus, int polls) {
    Map<String, Object> metrics = waitMetrics(handle, polls);
    return new GenerationResult(
        Phase.OUTCOME_UNKNOWN.name(),
        handle.provider(),
        handle.jobId(),
        List.of(),
        null,
        metrics,
        List.of("The " + spec.id() + " job " + handle.jobId() + " ended (" + finalStatus.providerStatus()
            + ") but the provider does not report whether it succeeded or where its output is. Look it up at the provider."));
  }

  private JsonNode partResult(JobHandle handle, JobHandle.Part part, int index, JsonNode statusBody, List<String> outputs) {
    Result result = spec.result();
    if (part.resultUrl() == null) {
      return collect(handle, index, statusBody, null, outputs, spec.result().resultPath());
    }
    Map<String, String> accept = result.file() != null && result.file().base64Path() == null ? Map.of("Accept", "*/*") : JobUrls.JSON_ACCEPT;
    HttpReply reply =
        endpoint.call(new OutgoingRequest("GET", part.resultUrl(), accept, null, null, JobUrls.fieldName(result.urlTemplate(), "result URL")), spec.forwardAuth());
    if (result.notReadyCodes().contains(reply.code())) {
      throw new ProviderUnavailable("The " + spec.id() + " result of job " + part.jobId() + " is not ready yet (HTTP " + reply.code() + ")", null);
    }
    if (!reply.ok()) {
      throw new GenerationFailure(
          ErrorCode.AI_GENERATION_FAILED,
          "The " + spec.id() + " job " + part.jobId() + " failed: its result answered HTTP " + reply.code() + ": " + endpoint.redact(reply.excerpt()));
    }
    boolean jsonExpected = result.file() == null || result.file().base64Path() != null;
    if (jsonExpected && reply.json().isMissingNode()) {
      throw new ProviderUnavailable(
          "The " + spec.id() + " result of job " + part.jobId() + " answered HTTP " + reply.code() + " without a readable JSON body ("
              + (reply.body().length == 0 ? "empty" : "not JSON") + ")",
          null);
    }
    return collect(handle, index, reply.json(), reply, outputs, spec.result().resultPath());
  }

  /** Picks the result out of a body, stores a file result, and adds the output URLs. */
  private JsonNode collect(JobHandle handle, int index, JsonNode body, HttpReply reply, List<String> outputs, String resultPath) {
    Result result = spec.result();
    Result.ResultFile file = result.file();
    if (file != null && file.base64Path() == null && reply != null) {
      ResultStore.StoredFile stored = store(handle, index, orElse(baseType(reply.contentType()), file.contentType()), reply.body());
      outputs.add(stored.url());
      return Json.mapper().valueToTree(stored);
    }
    JsonNode picked = body == null ? null : JsonPaths.read(body, resultPath);
    if (picked == null || picked.isMissingNode()) {
      return null;
    }
    if (file != null && file.base64Path() != null) {
      String base64 = JsonPaths.text(picked, file.base64Path());
      if (base64 == null) {
        throw new ProviderRejected("The " + spec.id() + " result has no file at '" + file.base64Path() + "'");
      }
      ResultStore.StoredFile stored = store(handle, index, file.contentType(), Base64.getDecoder().decode(base64));
      outputs.add(stored.url());
      ObjectNode withoutBytes = picked.deepCopy();
      JsonPaths.replace(withoutBytes, file.base64Path(), Json.mapper().valueToTree(stored));
      return withoutBytes;
    }
    if (picked.isTextual() || (picked.isArray() && picked.size() > 0 && picked.get(0).isTextual())) {
      // the result is itself a URL or a list of URLs (AsyncQueue's "resultPath": "assets.video")
      JsonPaths.strings(picked, "").stream().filter(text -> text.startsWith("http")).forEach(outputs::add);
    } else {
      outputs.addAll(JsonPaths.strings(picked, result.outputsPath()));
    }
    return picked;
  }

  /** How long and how often the job was waited for; the provider's own metrics are added to it. */
  private Map<String, Object> waitMetrics(JobHandle handle, int polls) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("polls", polls);
    metrics.put("waitedMs", Duration.between(handle.submittedAt(), clock.instant()).toMillis());
    return metrics;
  }

  private ResultStore.StoredFile store(JobHandle handle, int index, String contentType, byte[] bytes) {
    String type = contentType == null ? "application/octet-stream" : contentType;
    String name = (handle.provider() + "-" + handle.jobId() + "-" + index).replaceAll("[^A-Za-z0-9._-]", "_") + extension(type);
    return results.store(name, type, bytes);
  }

  private static String baseType(String contentType) {
    return contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() || value.equals("application/octet-stream") ? fallback : value;
  }

  static String extension(String contentType) {
    return switch (contentType) {
      case "video/mp4" -> ".mp4";
      case "audio/mpeg", "audio/mp3" -> ".mp3";
      case "audio/wav", "audio/x-wav" -> ".wav";
      case "image/png" -> ".png";
      case "image/jpeg" -> ".jpg";
      case "image/webp" -> ".webp";
      case "video/webm" -> ".webm";
      default -> ".bin";
    };
  }
}
