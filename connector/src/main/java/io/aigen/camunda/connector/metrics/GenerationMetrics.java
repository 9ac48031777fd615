package io.aigen.camunda.connector.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * What the connector reports for monitoring. The connector calls it; a runtime with Micrometer
 * counts it ({@link MicrometerGenerationMetrics}), any other gets {@link #NONE}.
 */
public interface GenerationMetrics {

  /**
   * A provider answered a request.
   *
   * @param httpStatus the answer's HTTP status, or 0 when no answer came (network error)
   * @param retryAfter the wait its {@code Retry-After} asked for, or {@code null}
   */
  void providerAnswered(String provider, int httpStatus, Duration retryAfter);

  /** A job was submitted to the provider by a task of this operation ({@code submit}, {@code generate}). */
  void submitted(String provider, String operation);

  /** A job's status was read once for a task of this operation ({@code await}, {@code generate}). */
  void polled(String provider, String operation);

  /**
   * A task ended.
   *
   * @param status {@code SUCCEEDED}, {@code OUTCOME_UNKNOWN}, {@code ERROR} (a BPMN error) or {@code INCIDENT}
   * @param errorCode the BPMN error code, or {@code null}
   * @param sinceSubmit time from submission to the end, when a job was submitted
   */
  void ended(String provider, String operation, String status, String errorCode, Duration sinceSubmit);

  /** A job of this runtime waits for its next poll, due then. */
  void waiting(long jobKey, String provider, Instant due);

  /** That job no longer waits here. */
  void notWaiting(long jobKey);

  /**
   * A provider callback was answered.
   *
   * @param outcome {@code published}, {@code duplicate}, {@code ignored}, {@code dropped}, {@code retry} or {@code refused}
   * @param reason why it was refused (the HTTP status), or {@code null}
   * @param publishTime how long handing it to the engine took, or {@code null} when nothing was handed over
   */
  void callback(String provider, String outcome, String reason, Duration publishTime);

  GenerationMetrics NONE =
      new GenerationMetrics() {
        @Override
        public void providerAnswered(String provider, int httpStatus, Duration retryAfter) {}

        @Override
        public void submitted(String provider, String operation) {}

        @Override
        public void polled(String provider, String operation) {}

        @Override
        public void ended(String provider, String operation, String status, String errorCode, Duration sinceSubmit) {}

        @Override
        public void waiting(long jobKey, String provider, Instant due) {}

        @Override
        public void notWaiting(long jobKey) {}

        @Override
        public void callback(String provider, String outcome, String reason, Duration publishTime) {}
      };
}
