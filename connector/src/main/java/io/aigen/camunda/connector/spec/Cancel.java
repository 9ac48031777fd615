package io.aigen.camunda.connector.spec;

import java.util.List;

/**
 * How to cancel a job. Any answer that the provider gives for a job it already finished or no
 * longer knows (4xx other than 401/403/429) is reported, not raised: the job is over either way.
 *
 * @param statusPath where the answer says what happened, e.g. {@code status}
 * @param requestedValues answers that mean the provider only took the request and the job may
 *     still run a while (fal's {@code CANCELLATION_REQUESTED})
 */
public record Cancel(String method, String urlTemplate, String statusPath, List<String> requestedValues) {

  public Cancel {
    requestedValues = requestedValues == null ? List.of() : List.copyOf(requestedValues);
  }
}
