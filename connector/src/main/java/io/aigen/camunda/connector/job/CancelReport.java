package io.aigen.camunda.connector.job;

/**
 * What a cancel request achieved.
 *
 * @param accepted the provider took the request
 * @param providerAnswer the provider's word for it (e.g. fal's {@code ALREADY_COMPLETED}) or the
 *     HTTP code when it gives none
 * @param outcome {@code CANCELLED}; {@code CANCELLATION_REQUESTED} when the provider only took the
 *     request and the job may still run a while; or {@code NOT_CANCELLED}
 */
public record CancelReport(String provider, String jobId, boolean accepted, int httpStatus, String providerAnswer, String outcome) {

  public static final String CANCELLED = "CANCELLED";
  public static final String CANCELLATION_REQUESTED = "CANCELLATION_REQUESTED";
  public static final String NOT_CANCELLED = "NOT_CANCELLED";

  /** A report whose acceptance means cancelled. */
  public CancelReport(String provider, String jobId, boolean accepted, int httpStatus, String providerAnswer) {
    this(provider, jobId, accepted, httpStatus, providerAnswer, accepted ? CANCELLED : NOT_CANCELLED);
  }

  /** How the process reads it: "cancelled at the provider", "cancellation requested at the provider" or "not cancelled". */
  public String describe() {
    return switch (outcome) {
      case CANCELLED -> "it was cancelled at the provider (" + providerAnswer + ")";
      case CANCELLATION_REQUESTED -> "cancellation was requested at the provider, which may still finish it (" + providerAnswer + ")";
      default -> "it was not cancelled: cancel answered " + providerAnswer;
    };
  }
}
