package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aigen.camunda.connector.error.ErrorCode;
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
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Result;
import io.aigen.camunda.connector.spec.Status;
import io.aigen.camunda.connector.spec.Submit;
import io.aigen.camunda.connector.spec.Template;
import io.aigen.camunda.connector.spec.UnknownStatusPolicy;
import io.aigen.camunda.connector.store.ResultStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Speaks one provider's protocol, as its {@link PollSpec} describes it: submit, poll, fetch the
 * result, cancel. Each method is a few HTTP exchanges (one per generation of the job) and keeps no
 * state between calls.
 */
public final class GenerationClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~:@/-]*");
  private static final Map<String, String> JSON_ACCEPT = Map.of("Accept", "application/json");

  /** What a submit needs besides the model and input. */
  public record SubmitExtras(JsonNode options, String callbackUrl, JsonNode customSpec) {
    public static final SubmitExtras NONE = new SubmitExtras(null, null, null);
  }

  private final PollSpec spec;
  private final ProviderEndpoint endpoint;
  private final MultipartForm forms;
  private final ResultStore results;
  private final Clock clock;

  public GenerationClient(PollSpec spec, ProviderEndpoint endpoint, MultipartForm forms, ResultStore results, Clock clock) {
    this.spec = spec;
    this.endpoint = endpoint;
    this.forms = forms;
    this.results = results;
    this.clock = clock;
  }

  public PollSpec spec() {
    return spec;
  }

  /** Submits a job without options. This is the only call that costs money. */
  public JobHandle submit(String model, JsonNode input) {
    return submit(model, input, SubmitExtras.NONE);
  }

  /** Submits a job. This is the only call that costs money. */
  public JobHandle submit(String model, JsonNode input, SubmitExtras extras) {
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
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("baseUrl", TextNode.valueOf(stripSlash(endpoint.baseUrl())));
    roots.put("model", model == null ? null : TextNode.valueOf(model));
    roots.put("input", input);
    roots.put("options", extras.options());
    roots.put("callbackUrl", extras.callbackUrl() == null ? null : TextNode.valueOf(extras.callbackUrl()));
    Submit.Route route = submit.routeFor(model == null ? "" : model);
    String url = resolve(route.urlTemplate(), roots, "submit URL");
    JsonNode body = route.bodyTemplate() == null ? input : fillBody(route.bodyTemplate(), roots);
    if (extras.callbackUrl() != null) {
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
        url += (url.contains("?") ? "&" : "?") + callback.queryParameter() + "=" + URLEncoder.encode(extras.callbackUrl(), StandardCharsets.UTF_8);
      }
    }
    Map<String, String> headers = new LinkedHashMap<>(JSON_ACCEPT);
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
      throw submitRefused(reply, model);
    }
    JsonNode answer = reply.json();
    List<String> jobIds = jobIds(answer);
    ObjectNode startResult = JSON.createObjectNode();
    startResult.set("body", answer);
    roots.put("startResult", startResult);
    List<JobHandle.Part> parts = new ArrayList<>();
    for (String jobId : jobIds) {
      roots.put("id", TextNode.valueOf(jobId));
      parts.add(
          new JobHandle.Part(
              jobId,
              spec.status().withQuery(resolve(spec.status().urlTemplate(), roots, "status URL")),
              resolve(spec.result().urlTemplate(), roots, "result URL"),
              spec.cancel() == null ? null : resolve(spec.cancel().urlTemplate(), roots, "cancel URL")));
    }
    return new JobHandle(spec.id(), jobIds.get(0), model, parts, clock.instant(), extras.customSpec(), expectedDuration(answer));
  }

  /**
   * A handle for a job known only by its id, for specs whose URLs need nothing from the submit
   * answer (re-reading a job a callback announced).
   */
  public JobHandle handleFor(String jobId) {
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("baseUrl", TextNode.valueOf(stripSlash(endpoint.baseUrl())));
    roots.put("id", TextNode.valueOf(jobId));
    JobHandle.Part part =
        new JobHandle.Part(
            jobId,
            spec.status().withQuery(resolve(spec.status().urlTemplate(), roots, "status URL")),
            Template.roots(spec.result().urlTemplate()).stream().allMatch(r -> roots.containsKey(r)) ? resolve(spec.result().urlTemplate(), roots, "result URL") : null,
            null);
    return new JobHandle(spec.id(), jobId, null, List.of(part), clock.instant(), null, null);
  }

  /** Reads the job's status once: every generation's. */
  public JobStatus poll(JobHandle handle) {
    List<JobStatus> readings = new ArrayList<>();
    for (JobHandle.Part part : handle.parts()) {
      readings.add(pollPart(handle, part));
    }
    return readings.size() == 1 ? readings.get(0) : combine(readings, handle);
  }

  /**
   * Fetches the finished job's result and normalises it.
   *
   * @param polls status requests made for it, for the result's metrics
   */
  public GenerationResult result(JobHandle handle, JobStatus finalStatus, int polls) {
    Result result = spec.result();
    List<String> outputs = new ArrayList<>();
    ArrayNode providerResults = JSON.createArrayNode();
    for (int i = 0; i < handle.parts().size(); i++) {
      JobHandle.Part part = handle.parts().get(i);
      JsonNode statusBody = i < finalStatus.bodies().size() ? finalStatus.bodies().get(i) : null;
      JsonNode partResult = partResult(handle, part, i, statusBody, outputs);
      providerResults.add(partResult == null ? JSON.nullNode() : partResult);
    }
    Map<String, Object> metrics = waitMetrics(handle, polls);
    if (result.metricsPath() != null && finalStatus.body() != null) {
      JsonNode providerMetrics = JsonPaths.read(finalStatus.body(), result.metricsPath());
      if (providerMetrics.isObject()) {
        metrics.put("provider", JSON.convertValue(providerMetrics, Map.class));
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
  public GenerationResult fromCallback(String jobId, JsonNode callbackBody, String resultPath) {
    JobHandle handle = new JobHandle(spec.id(), jobId, null, List.of(new JobHandle.Part(jobId, null, null, null)), clock.instant(), null, null);
    List<String> outputs = new ArrayList<>();
    JsonNode providerResult = collect(handle, 0, callbackBody, null, outputs, resultPath);
    List<String> warnings = spec.result().notice() == null ? List.of() : List.of(spec.result().notice());
    return new GenerationResult("SUCCEEDED", spec.id(), jobId, outputs, providerResult, Map.of("polls", 0), warnings);
  }

  /** The job is over and the provider cannot say how: a result with no outputs that says so. */
  public GenerationResult unknownOutcome(JobHandle handle, JobStatus finalStatus, int polls) {
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

  /** Asks the provider to cancel every generation. One that is already over is reported, not raised. */
  public CancelReport cancel(JobHandle handle) {
    if (spec.cancel() == null) {
      return new CancelReport(handle.provider(), handle.jobId(), false, 0, "NOT_SUPPORTED");
    }
    boolean accepted = false;
    int lastCode = 0;
    List<String> answers = new ArrayList<>();
    for (JobHandle.Part part : handle.parts()) {
      HttpReply reply =
          endpoint.call(new OutgoingRequest(spec.cancel().method(), part.cancelUrl(), JSON_ACCEPT, null, null, fieldName(spec.cancel().urlTemplate(), "cancel URL")), spec.forwardAuth());
      String word = spec.cancel().statusPath() == null ? null : JsonPaths.text(reply.json(), spec.cancel().statusPath());
      answers.add(word != null ? word : "HTTP " + reply.code());
      lastCode = reply.code();
      if (reply.ok()) {
        accepted = true;
      } else if (reply.code() < 400 || reply.code() >= 500) {
        throw new ProviderUnavailable("The " + spec.id() + " cancel request answered HTTP " + reply.code() + ": " + endpoint.redact(reply.excerpt()), null);
      }
    }
    return new CancelReport(handle.provider(), handle.jobId(), accepted, lastCode, String.join(",", answers));
  }

  private JobStatus pollPart(JobHandle handle, JobHandle.Part part) {
    Status status = spec.status();
    HttpReply reply =
        endpoint.call(new OutgoingRequest(status.method(), part.statusUrl(), JSON_ACCEPT, null, null, fieldName(status.urlTemplate(), "status URL")), spec.forwardAuth());
    JsonNode body = reply.json();
    Phase byCode = status.httpCodes().get(reply.code());
    if (byCode == null && !reply.ok()) {
      throw unexpected(reply, part.jobId(), "status");
    }
    String word = status.statusPath() == null ? null : JsonPaths.text(body, status.statusPath());
    Phase phase = byCode != null ? byCode : status.phaseOf(word);
    String providerStatus = word != null ? word : "HTTP " + reply.code();
    String error = status.errorPath() == null ? null : errorText(JsonPaths.read(body, status.errorPath()));
    if (error != null && status.notErrorValues().contains(error)) {
      error = null;
    }
    String errorCode = status.errorCodePath() == null ? null : JsonPaths.text(body, status.errorCodePath());
    if (phase == null) {
      if (status.unknownStatus() == UnknownStatusPolicy.FAIL) {
        return new JobStatus(Phase.FAILED, providerStatus, null, "unknown status '" + providerStatus + "'", null, false, List.of(body));
      }
      phase = Phase.RUNNING;
    }
    if (phase == Phase.SUCCEEDED && error != null) {
      phase = Phase.FAILED;
    }
    if (phase == Phase.FAILED && error == null) {
      error = errorCode != null ? errorCode : "the provider reports status '" + providerStatus + "'";
    }
    boolean filtered =
        phase == Phase.FAILED
            && status.contentFilteredCodes() != null
            && Pattern.compile(status.contentFilteredCodes()).matcher(errorCode != null ? errorCode : error).matches();
    Progress progress = phase == Phase.RUNNING ? progress(status.progress(), body, providerStatus) : null;
    return new JobStatus(phase, providerStatus, progress, error == null ? null : endpoint.redact(error), errorCode, filtered, List.of(body));
  }

  /** What a running job's answer says of how far along it is. */
  private Progress progress(Status.ProgressPaths paths, JsonNode body, String providerStatus) {
    Double percent = null;
    if (paths.progressPath() != null) {
      JsonNode value = JsonPaths.read(body, paths.progressPath());
      if (value.isNumber()) {
        percent = Math.round(value.asDouble() * (paths.percentScale() ? 10 : 1000)) / 10.0;
      }
    }
    Integer queuePosition = null;
    if (paths.queuePositionPath() != null) {
      JsonNode value = JsonPaths.read(body, paths.queuePositionPath());
      queuePosition = value.isIntegralNumber() ? value.asInt() : null;
    }
    String log = paths.logPath() == null ? null : lastLogLine(JsonPaths.read(body, paths.logPath()));
    return new Progress(providerStatus, queuePosition, percent, log == null ? null : endpoint.redact(log));
  }

  /** The last entry of a log list (its {@code message}), or the last line of a log text. */
  private static String lastLogLine(JsonNode log) {
    JsonNode last = log;
    if (log.isArray()) {
      last = log.isEmpty() ? null : log.get(log.size() - 1);
    }
    if (last != null && last.isObject()) {
      last = last.get("message");
    }
    if (last == null || !last.isTextual()) {
      return null;
    }
    String[] lines = last.asText().strip().split("\\R");
    String line = lines[lines.length - 1].strip();
    if (line.isEmpty()) {
      return null;
    }
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** Several generations: failed if one failed, running while one runs, else as they ended. */
  private static JobStatus combine(List<JobStatus> readings, JobHandle handle) {
    List<String> words = readings.stream().map(JobStatus::providerStatus).toList();
    List<JsonNode> bodies = readings.stream().map(JobStatus::body).toList();
    String providerStatus = String.join(",", words);
    for (int i = 0; i < readings.size(); i++) {
      JobStatus reading = readings.get(i);
      if (reading.phase() == Phase.FAILED || reading.phase() == Phase.CANCELLED) {
        String which = "generation " + (i + 1) + " of " + readings.size() + " (" + handle.parts().get(i).jobId() + ")";
        String error = reading.error() == null ? null : which + ": " + reading.error();
        return new JobStatus(reading.phase(), providerStatus, null, error, reading.errorCode(), reading.contentFiltered(), bodies);
      }
    }
    Phase phase;
    if (readings.stream().anyMatch(r -> r.phase() == Phase.RUNNING)) {
      phase = Phase.RUNNING;
    } else if (readings.stream().allMatch(r -> r.phase() == Phase.SUCCEEDED)) {
      phase = Phase.SUCCEEDED;
    } else {
      phase = Phase.OUTCOME_UNKNOWN;
    }
    return new JobStatus(phase, providerStatus, null, null, null, false, bodies);
  }

  private JsonNode partResult(JobHandle handle, JobHandle.Part part, int index, JsonNode statusBody, List<String> outputs) {
    Result result = spec.result();
    if (part.resultUrl() == null) {
      return collect(handle, index, statusBody, null, outputs, spec.result().resultPath());
    }
    Map<String, String> accept = result.file() != null && result.file().base64Path() == null ? Map.of("Accept", "*/*") : JSON_ACCEPT;
    HttpReply reply =
        endpoint.call(new OutgoingRequest("GET", part.resultUrl(), accept, null, null, fieldName(result.urlTemplate(), "result URL")), spec.forwardAuth());
    if (result.notReadyCodes().contains(reply.code())) {
      throw new ProviderUnavailable("The " + spec.id() + " result of job " + part.jobId() + " is not ready yet (HTTP " + reply.code() + ")", null);
    }
    if (!reply.ok()) {
      throw new GenerationFailure(
          ErrorCode.AI_GENERATION_FAILED,
          "The " + spec.id() + " job " + part.jobId() + " failed: its result answered HTTP " + reply.code() + ": " + endpoint.redact(reply.excerpt()));
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
      return JSON.valueToTree(stored);
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
      JsonPaths.replace(withoutBytes, file.base64Path(), JSON.valueToTree(stored));
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
      throw new ProviderRejected("The " + spec.id() + " submit answer has no job id at " + where + ": " + endpoint.redact(String.valueOf(answer)));
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

  /** An error given as text, or as an object with a message (some APIs send {code, message}). */
  public static String errorText(JsonNode error) {
    if (error == null || error.isMissingNode() || error.isNull()) {
      return null;
    }
    if (error.isObject()) {
      for (String field : List.of("message", "detail", "title", "msg")) {
        if (error.path(field).isTextual()) {
          String code = error.path("code").isValueNode() ? error.get("code").asText() : null;
          return code == null ? error.get(field).asText() : error.get(field).asText() + " (" + code + ")";
        }
      }
      return error.toString();
    }
    return error.isValueNode() ? error.asText() : error.toString();
  }

  private RuntimeException submitRefused(HttpReply reply, String model) {
    String said = endpoint.redact(reply.excerpt());
    if (reply.code() == 400 || reply.code() == 422) {
      return GenerationFailure.invalidInput("input", "the provider rejected it (HTTP " + reply.code() + "): " + said);
    }
    if (reply.code() == 404) {
      return GenerationFailure.invalidInput("model", "the provider does not know '" + model + "' (HTTP 404). Check the model id. Provider said: " + said);
    }
    if (reply.code() >= 500) {
      return new ProviderUnavailable("The " + spec.id() + " submit answered HTTP " + reply.code() + ": " + said, null);
    }
    return new ProviderRejected("The " + spec.id() + " submit answered HTTP " + reply.code() + ": " + said);
  }

  private RuntimeException unexpected(HttpReply reply, String jobId, String what) {
    String said = endpoint.redact(reply.excerpt());
    if (reply.code() == 404 || reply.code() == 410) {
      return new GenerationFailure(
          ErrorCode.AI_GENERATION_FAILED,
          "The " + spec.id() + " job " + jobId + " is unknown to the provider (HTTP " + reply.code() + " on " + what + "): it expired or was deleted. " + said);
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

  /** Names a URL by where it came from, e.g. "status_url" for {startResult.body.status_url}. */
  private static String fieldName(String template, String fallback) {
    if (template != null && template.startsWith("{startResult.body.") && template.endsWith("}") && template.indexOf('}') == template.length() - 1) {
      return template.substring("{startResult.body.".length(), template.length() - 1);
    }
    return fallback;
  }

  private static String baseType(String contentType) {
    return contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() || value.equals("application/octet-stream") ? fallback : value;
  }

  private static String extension(String contentType) {
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

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
