package io.aigen.camunda.connector.callback;

import io.aigen.camunda.connector.job.GenerationResult;
import java.time.Duration;
import java.util.Map;

/** What to do with a verified callback. */
public sealed interface CallbackOutcome {

  /** The message every waiting process catches; its correlation key is the provider's job id. */
  String MESSAGE_NAME = "aigen-generation-done";

  /**
   * Publish the job's end to the engine.
   *
   * @param messageId provider, job id and state: a repeated callback publishes the same id, and the
   *     engine drops the duplicate
   * @param variables {@code {"generation": …}}: the normalised result, or the failure
   * @param result the normalised result that {@code variables} holds, or {@code null} for a failure
   */
  record Publish(String provider, String jobId, String state, String messageId, Map<String, Object> variables, GenerationResult result)
      implements CallbackOutcome {
    public String correlationKey() {
      return jobId;
    }
  }

  /** A callback about a state that is not the end (Replicate's {@code start}, Luma's {@code dreaming}). */
  record Ignored(String provider, String jobId, String state) implements CallbackOutcome {}

  /** How long a message waits for its catch event. */
  Duration DEFAULT_TTL = Duration.ofHours(1);
}
