package io.aigen.camunda.connector.spec;

/**
 * How to cancel a job. Any answer that the provider gives for a job it already finished or no
 * longer knows (4xx other than 401/403/429) is reported, not raised: the job is over either way.
 *
 * @param statusPath where the answer says what happened, e.g. {@code status}
 */
public record Cancel(String method, String urlTemplate, String statusPath) {}
