package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.OutgoingRequest;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.spec.JsonPaths;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Status;
import io.aigen.camunda.connector.spec.UnknownStatusPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads how a job stands, as the spec's status section says: the phase from the HTTP code or the
 * status word, the failure and its code, and how far along a running job is.
 */
final class StatusReader {

  private final PollSpec spec;
  private final ProviderEndpoint endpoint;
  private final ProviderAnswers answers;

  StatusReader(PollSpec spec, ProviderEndpoint endpoint, ProviderAnswers answers) {
    this.spec = spec;
    this.endpoint = endpoint;
    this.answers = answers;
  }

  /** Reads the job's status once: every generation's. */
  JobStatus poll(JobHandle handle) {
    List<JobStatus> readings = new ArrayList<>();
    for (JobHandle.Part part : handle.parts()) {
      readings.add(pollPart(handle, part));
    }
    return readings.size() == 1 ? readings.get(0) : combine(readings, handle);
  }

  private JobStatus pollPart(JobHandle handle, JobHandle.Part part) {
    Status status = spec.status();
    HttpReply reply =
        endpoint.call(new OutgoingRequest(status.method(), part.statusUrl(), JobUrls.JSON_ACCEPT, null, null, JobUrls.fieldName(status.urlTemplate(), "status URL")), spec.forwardAuth());
    JsonNode body = reply.json();
    Phase byCode = status.httpCodes().get(reply.code());
    if (byCode == null && !reply.ok()) {
      throw answers.unexpected(reply, part.jobId(), "status");
    }
    if (byCode == null && status.statusPath() != null && body.isMissingNode()) {
      throw new ProviderUnavailable(
          "The " + spec.id() + " status request for job " + part.jobId() + " answered HTTP " + reply.code() + " without a readable JSON body ("
              + (reply.body().length == 0 ? "empty" : "not JSON") + ")",
          null);
    }
    String word = status.statusPath() == null ? null : JsonPaths.text(body, status.statusPath());
    Phase phase = byCode != null ? byCode : status.phaseOf(word);
    String providerStatus = word != null ? word : "HTTP " + reply.code();
    String error = status.errorPath() == null ? null : ProviderAnswers.errorText(JsonPaths.read(body, status.errorPath()));
    if (error != null && status.notErrorValues().contains(error)) {
      error = null;
    }
    String errorCode = status.errorCodePath() == null ? null : JsonPaths.text(body, status.errorCodePath());
    String unknown = null;
    if (phase == null) {
      if (status.unknownStatus() == UnknownStatusPolicy.FAIL) {
        return new JobStatus(Phase.FAILED, providerStatus, null, "unknown status '" + providerStatus + "'", null, false, List.of(body));
      }
      phase = Phase.RUNNING;
      unknown = answers.redact(providerStatus);
    }
    if (phase == Phase.SUCCEEDED && error != null) {
      phase = Phase.FAILED;
    }
    if (phase == Phase.FAILED && error == null) {
      error = errorCode != null ? errorCode : "the provider reports status '" + providerStatus + "'";
    }
    if (phase == Phase.FAILED && byCode == null) {
      error = withResultDetail(part, error);
    }
    boolean filtered =
        phase == Phase.FAILED
            && status.contentFilteredCodes() != null
            && Pattern.compile(status.contentFilteredCodes()).matcher(errorCode != null ? errorCode : error).matches();
    Progress progress = phase == Phase.RUNNING ? progress(status.progress(), body, providerStatus) : null;
    return new JobStatus(phase, providerStatus, progress, error == null ? null : answers.redact(error), errorCode, filtered, List.of(body), unknown);
  }

  /**
   * A failure's own detail, where the spec says its result request gives it: fal's status
   * only says "Invalid status code: 422", its result URL answers with the model's error (e.g.
   * {@code {"detail": [{"loc": ["body", "prompt"], "msg": "field required"}]}}). Best effort: if
   * that request fails, the status's error stands alone.
   */
  private String withResultDetail(JobHandle.Part part, String error) {
    if (!spec.result().failureDetailFromResult() || part.resultUrl() == null) {
      return error;
    }
    try {
      HttpReply reply =
          endpoint.call(new OutgoingRequest("GET", part.resultUrl(), JobUrls.JSON_ACCEPT, null, null, JobUrls.fieldName(spec.result().urlTemplate(), "result URL")), spec.forwardAuth());
      String detail = reply.ok() ? null : ProviderAnswers.detailText(reply.json());
      return detail == null || error.contains(detail) ? error : error + " (" + detail + ")";
    } catch (RuntimeException e) {
      return error;
    }
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
    return new Progress(providerStatus, queuePosition, percent, log == null ? null : answers.redact(log));
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
    String unknown = readings.stream().map(JobStatus::unknownStatus).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    return new JobStatus(phase, providerStatus, null, null, null, false, bodies, unknown);
  }
}
