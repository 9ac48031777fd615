package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything needed to find a submitted job again: what {@code submit} returns and {@code await}
 * and {@code cancel} take. It holds no secret; URLs were resolved from the submit answer. It never
 * changes after submit: how often the job was polled follows from the time since {@code
 * submittedAt} ({@link PollSchedule}).
 *
 * @param jobId the provider's id of the job (of the first generation, when one submit started
 *     several)
 * @param parts one per generation the submit started, usually one; the job is done when all are
 * @param customSpec the spec of a custom provider, so a later {@code await} or {@code cancel} needs
 *     nothing else; {@code null} for built-in providers
 * @param expectedDuration the provider's estimate of the job's length, when it gives one; the first
 *     poll waits that long
 */
public record JobHandle(
    String provider,
    String jobId,
    String model,
    List<Part> parts,
    Instant submittedAt,
    JsonNode customSpec,
    Duration expectedDuration) {

  /** One generation of the job and where to ask about it. */
  public record Part(String jobId, String statusUrl, String resultUrl, String cancelUrl) {}

  public JobHandle {
    parts = parts == null ? List.of() : List.copyOf(parts);
    customSpec = customSpec == null || customSpec.isNull() || customSpec.isMissingNode() ? null : customSpec;
  }
}
