package io.aigen.camunda.connector.job;

/**
 * What a cancel request achieved.
 *
 * @param providerAnswer the provider's word for it (e.g. fal's {@code ALREADY_COMPLETED}) or the
 *     HTTP code when it gives none
 */
public record CancelReport(String provider, String jobId, boolean accepted, int httpStatus, String providerAnswer) {}
