package io.aigen.camunda.connector.activity;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One generation as this runtime saw it, for people to look at (the runtime's page). The engine
 * keeps the state of record; this is a copy that may be incomplete (another replica may have
 * polled it) and is gone after a restart.
 *
 * @param key {@code <provider>:<jobId>}, or {@code element:<key>} for a task that failed before it
 *     had a job
 * @param status {@code SUBMITTED}, {@code WAITING}, {@code WAITING_FOR_CALLBACK}, {@code
 *     SUCCEEDED}, {@code OUTCOME_UNKNOWN}, {@code FAILED}, {@code CANCELLED} or {@code TIMED_OUT}
 * @param providerStatus the provider's last word for the state
 * @param polls status requests made: this runtime's count while waiting, the result's once done
 * @param callback the result came, or is awaited, by callback
 * @param error {@code CODE: message} when it failed
 */
public record Generation(
    String key,
    String provider,
    String model,
    String jobId,
    String processId,
    Long processInstanceKey,
    String elementId,
    String status,
    String providerStatus,
    Integer queuePosition,
    Double percent,
    String log,
    Instant submittedAt,
    Instant updatedAt,
    Instant finishedAt,
    int polls,
    boolean callback,
    List<Output> outputs,
    List<String> warnings,
    String error) {

  public Generation {
    // milliseconds are plenty for people, and every browser parses them
    submittedAt = submittedAt == null ? null : submittedAt.truncatedTo(ChronoUnit.MILLIS);
    updatedAt = updatedAt == null ? null : updatedAt.truncatedTo(ChronoUnit.MILLIS);
    finishedAt = finishedAt == null ? null : finishedAt.truncatedTo(ChronoUnit.MILLIS);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /**
   * @param kind {@code image}, {@code video}, {@code audio} or {@code file}, from the URL's
   *     extension
   * @param originalUrl the provider's URL when the output was kept (task option {@code
   *     keepOutputs}); else {@code null}
   */
  public record Output(String url, String kind, String originalUrl) {}

  public boolean finished() {
    return finishedAt != null;
  }
}
