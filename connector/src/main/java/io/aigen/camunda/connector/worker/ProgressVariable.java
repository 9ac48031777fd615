package io.aigen.camunda.connector.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.job.Progress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The task-local variable {@value #NAME}: what the provider last said of a job that is still
 * running, for the process and Operate to see, e.g. {@code {status: "IN_QUEUE", queuePosition: 3,
 * updatedAt: "2026-12-06T10:00:03Z"}} or {@code {status: "RUNNING", percent: 27.5, ...}}.
 *
 * <p>It is written only when it changed, and at most once per {@code interval}, counted from the
 * last write or, before the first, from submission: a job that ends within the interval writes
 * none, and waiting stays at about one engine command per poll. What was written last comes with
 * the job's variables, so nothing is kept here.
 *
 * @param enabled {@code false} writes nothing ({@code aigen.worker.progress-enabled})
 */
record ProgressVariable(boolean enabled, Duration interval) {

  public static final String NAME = "aiGenerationProgress";
  private static final String UPDATED_AT = "updatedAt";

  /**
   * The new value to write, if it is time to.
   *
   * @param written the variable as the job's variables hold it, or {@code null}
   * @param progress what the provider said now, or {@code null} when it was not asked
   */
  Optional<Map<String, Object>> update(JsonNode written, Instant submittedAt, String status, Progress progress, Instant now) {
    if (!enabled) {
      return Optional.empty();
    }
    Progress current = progress != null ? progress : Progress.of(status);
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("status", current.status());
    putIfKnown(value, "queuePosition", current.queuePosition());
    putIfKnown(value, "percent", current.percent());
    putIfKnown(value, "log", current.log());
    Instant last = submittedAt;
    if (written != null && written.isObject()) {
      if (sameAs(written, value)) {
        return Optional.empty();
      }
      Instant updated = updatedAt(written);
      last = updated != null && updated.isAfter(last) ? updated : last;
    }
    if (Duration.between(last, now).compareTo(interval) < 0) {
      return Optional.empty();
    }
    value.put(UPDATED_AT, now.toString());
    return Optional.of(value);
  }

  private static boolean sameAs(JsonNode written, Map<String, Object> value) {
    if (written.size() - (written.has(UPDATED_AT) ? 1 : 0) != value.size()) {
      return false;
    }
    for (Map.Entry<String, Object> field : value.entrySet()) {
      JsonNode old = written.get(field.getKey());
      Object now = field.getValue();
      boolean same =
          old != null
              && (now instanceof Number number ? old.isNumber() && old.asDouble() == number.doubleValue() : Objects.equals(old.asText(), String.valueOf(now)));
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static Instant updatedAt(JsonNode written) {
    try {
      return written.hasNonNull(UPDATED_AT) ? Instant.parse(written.get(UPDATED_AT).asText()) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void putIfKnown(Map<String, Object> value, String name, Object field) {
    if (field != null) {
      value.put(name, field);
    }
  }
}
