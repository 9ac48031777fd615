package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.spec.Phase;
import java.util.List;

/**
 * One status reading of a whole job (all its parts).
 *
 * @param providerStatus the provider's own word (or HTTP code) for the state; for several parts,
 *     their words joined with commas
 * @param progress how far along a running job is, as far as the provider says
 * @param error the failure message, when the job failed
 * @param errorCode the provider's failure code, when it gives one
 * @param contentFiltered whether the provider's content filter caused the failure
 * @param bodies each part's status answer, kept for the result and metrics
 * @param unknownStatus a status word the spec does not list, taken as running; {@code null} when
 *     the word was a known one
 */
public record JobStatus(
    Phase phase,
    String providerStatus,
    Progress progress,
    String error,
    String errorCode,
    boolean contentFiltered,
    List<JsonNode> bodies,
    String unknownStatus) {

  public JobStatus(Phase phase, String providerStatus, Progress progress, String error, String errorCode, boolean contentFiltered, List<JsonNode> bodies) {
    this(phase, providerStatus, progress, error, errorCode, contentFiltered, bodies, null);
  }

  public JobStatus {
    progress = progress == null ? Progress.of(providerStatus) : progress;
    bodies = bodies == null ? List.of() : List.copyOf(bodies);
  }

  /** The first part's status answer. */
  public JsonNode body() {
    return bodies.isEmpty() ? null : bodies.get(0);
  }
}
