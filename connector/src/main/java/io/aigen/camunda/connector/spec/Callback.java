package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a provider calls back instead of being polled: how the submit asks for it, how the runtime
 * trusts it, and how to read it.
 *
 * @param queryParameter the submit URL's query parameter that carries the callback URL (fal's
 *     {@code fal_webhook})
 * @param body fields merged into the submit body (Replicate's {@code webhook} and {@code
 *     webhook_events_filter}); {@code {callbackUrl}} is the callback URL
 * @param verify how the runtime trusts a callback
 * @param jobIdPath where the callback names the job
 * @param statusPath where the callback says how the job stands; with {@link Verification.Refetch}
 *     the fetched status is read with the poll spec instead
 * @param values the callback's words for the job's end
 * @param resultPath the result inside the callback
 */
public record Callback(
    String queryParameter,
    JsonNode body,
    Verification verify,
    String jobIdPath,
    String statusPath,
    StatusValues values,
    String resultPath,
    String errorPath) {

  public Callback {
    resultPath = resultPath == null ? "" : resultPath;
  }

  public Callback withVerify(Verification newVerify) {
    return new Callback(queryParameter, body, newVerify, jobIdPath, statusPath, values, resultPath, errorPath);
  }

  /** The phase a callback's status value names; {@code null} for anything else (not final yet). */
  public Phase phaseOf(String value) {
    Phase phase = values.phaseOf(value);
    return phase == Phase.RUNNING ? null : phase;
  }
}
