package io.aigen.camunda.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * One HTTP request the sandbox answered. Header values are never recorded, so credentials never
 * end up here; only the names of credential headers the request carried.
 *
 * @param at when the request was answered
 * @param method HTTP method, upper case
 * @param path raw request path, including the provider prefix (e.g. {@code /fal/fal-ai/flux/dev})
 * @param query raw query string without {@code ?}; empty when there was none
 * @param responseStatus HTTP status the sandbox answered with
 * @param requestBody request body as UTF-8, cut to its first 4096 bytes; empty when there was none
 * @param credentialHeaders the names (lower case) of the credential headers the request carried
 *     ({@link #CREDENTIAL_HEADERS}), without their values; empty when it carried none
 * @param fault the {@link io.aigen.camunda.sandbox.faults.FaultKind} injected into this answer
 *     ({@code null} = none); {@code responseStatus} is then what the client was sent (for a
 *     connection reset: 0)
 * @param providerStatus what the simulation answered, whether or not a fault replaced it; 0 when a
 *     fault answered instead of it (the provider never saw the request)
 */
public record JournalEntry(
    Instant at,
    String method,
    String path,
    String query,
    int responseStatus,
    String requestBody,
    List<String> credentialHeaders,
    String fault,
    int providerStatus) {

  /** Headers that carry credentials in the providers the sandbox simulates, or in general. */
  public static final List<String> CREDENTIAL_HEADERS =
      List.of("authorization", "proxy-authorization", "cookie", "x-api-key", "xi-api-key", "api-key", "x-key");

  public JournalEntry {
    credentialHeaders = credentialHeaders == null ? List.of() : List.copyOf(credentialHeaders);
  }

  public JournalEntry(Instant at, String method, String path, String query, int responseStatus, String requestBody) {
    this(at, method, path, query, responseStatus, requestBody, List.of(), null, responseStatus);
  }

  /** A provider's submit (a POST other than a cancel) that created a job, whatever the client got back. */
  public boolean createdJob() {
    return io.aigen.camunda.sandbox.faults.FaultInjector.isSubmit(method, path) && providerStatus >= 200 && providerStatus <= 299;
  }
}
