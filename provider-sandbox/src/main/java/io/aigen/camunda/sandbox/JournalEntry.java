package io.aigen.camunda.sandbox;

import java.time.Instant;

/**
 * One HTTP request the sandbox answered. Headers are never recorded, so credentials never end up
 * here.
 *
 * @param at when the request was answered
 * @param method HTTP method, upper case
 * @param path raw request path, including the provider prefix (e.g. {@code /fal/fal-ai/flux/dev})
 * @param query raw query string without {@code ?}; empty when there was none
 * @param responseStatus HTTP status the sandbox answered with
 * @param requestBody request body as UTF-8, cut to its first 4096 bytes; empty when there was none
 * @param fault the {@link io.aigen.camunda.sandbox.faults.FaultKind} injected into this answer
 *     ({@code null} = none); {@code responseStatus} is then what the client was sent (for a
 *     connection reset: 0)
 * @param providerStatus what the simulation answered, whether or not a fault replaced it; 0 when a
 *     fault answered instead of it (the provider never saw the request)
 */
public record JournalEntry(
    Instant at, String method, String path, String query, int responseStatus, String requestBody, String fault, int providerStatus) {

  public JournalEntry(Instant at, String method, String path, String query, int responseStatus, String requestBody) {
    this(at, method, path, query, responseStatus, requestBody, null, responseStatus);
  }

  /** A provider's submit (a POST other than a cancel) that created a job, whatever the client got back. */
  public boolean createdJob() {
    return io.aigen.camunda.sandbox.faults.FaultInjector.isSubmit(method, path) && providerStatus >= 200 && providerStatus <= 299;
  }
}
