package io.aigen.camunda.connector.job;

import java.time.Instant;

/**
 * Everything needed to find a submitted job again: what {@code submit} returns and {@code await}
 * and {@code cancel} take. It holds no secret; URLs were resolved from the submit answer.
 *
 * @param polls status requests made so far
 * @param failedPolls consecutive polls that the provider could not answer
 */
public record JobHandle(
    String provider,
    String jobId,
    String model,
    String statusUrl,
    String resultUrl,
    String cancelUrl,
    Instant submittedAt,
    int polls,
    int failedPolls) {

  public JobHandle afterPoll(boolean answered) {
    return new JobHandle(
        provider, jobId, model, statusUrl, resultUrl, cancelUrl, submittedAt, polls + 1, answered ? 0 : failedPolls + 1);
  }
}
