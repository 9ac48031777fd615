package io.aigen.camunda.connector.error;

/**
 * The BPMN error codes this connector throws. They are part of the public contract: processes
 * catch them with error boundary events, so they never change.
 */
public enum ErrorCode {
  /** The provider ran the job and reports that it failed. */
  AI_GENERATION_FAILED,
  /** The job did not finish within the max duration; it was cancelled at the provider. */
  AI_GENERATION_TIMEOUT,
  /** The job was cancelled (at the provider, or by a cancel task). */
  AI_GENERATION_CANCELLED,
  /** The task's input is wrong: the message names the field and the fix. */
  AI_INVALID_INPUT,
  /** The provider refused the input or the output for safety reasons. */
  AI_CONTENT_FILTERED
}
