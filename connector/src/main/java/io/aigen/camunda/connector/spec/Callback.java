package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

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
 * @param urlQuery query parameters the submit adds to the callback URL, each a submit template
 *     (fal's {@code app}, which its result URL needs and its webhook does not carry)
 * @param missingResult how to read the result when an end callback could not carry it, or {@code
 *     null}
 */
public record Callback(
    String queryParameter,
    JsonNode body,
    Verification verify,
    String jobIdPath,
    String statusPath,
    StatusValues values,
    String resultPath,
    String errorPath,
    Map<String, String> urlQuery,
    MissingResult missingResult) {

  /**
   * An end callback without its result (fal's {@code payload: null} with {@code payload_error}):
   * the result is read from the provider instead, with the runtime's API key; if the provider
   * cannot give it, the job failed with the callback's problem as the message.
   *
   * @param errorPath where the callback says why the result is missing; a done callback with
   *     nothing at {@code resultPath} and something here is read again
   * @param urlTemplate the result URL: {@code {baseUrl}}, {@code {id}} (the job id) and {@code
   *     {query.<name>}} (the callback URL's query parameters, see {@code urlQuery})
   * @param apiKeySecret the runtime secret with the API key to read it with
   */
  public record MissingResult(String errorPath, String urlTemplate, String apiKeySecret) {}

  public Callback {
    resultPath = resultPath == null ? "" : resultPath;
    urlQuery = urlQuery == null ? Map.of() : Map.copyOf(urlQuery);
  }

  public Callback withVerify(Verification newVerify) {
    return new Callback(queryParameter, body, newVerify, jobIdPath, statusPath, values, resultPath, errorPath, urlQuery, missingResult);
  }

  /** The phase a callback's status value names; {@code null} for anything else (not final yet). */
  public Phase phaseOf(String value) {
    Phase phase = values.phaseOf(value);
    return phase == Phase.RUNNING ? null : phase;
  }
}
