package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

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
 * @param statusPath where the callback says how the job stands; with {@link Verify.Scheme#REFETCH}
 *     the fetched status is read with the poll spec instead
 * @param resultPath the result inside the callback
 */
public record Callback(
    String queryParameter,
    JsonNode body,
    Verify verify,
    String jobIdPath,
    String statusPath,
    List<String> doneValues,
    List<String> failValues,
    List<String> cancelledValues,
    String resultPath,
    String errorPath) {

  public Callback {
    doneValues = doneValues == null ? List.of() : List.copyOf(doneValues);
    failValues = failValues == null ? List.of() : List.copyOf(failValues);
    cancelledValues = cancelledValues == null ? List.of() : List.copyOf(cancelledValues);
    resultPath = resultPath == null ? "" : resultPath;
  }

  /** The phase a callback's status value names; {@code null} for anything else (not final yet). */
  public Phase phaseOf(String value) {
    if (value == null) {
      return null;
    }
    if (doneValues.contains(value)) {
      return Phase.SUCCEEDED;
    }
    if (failValues.contains(value)) {
      return Phase.FAILED;
    }
    return cancelledValues.contains(value) ? Phase.CANCELLED : null;
  }

  /**
   * How a callback is trusted.
   *
   * @param secret the name of the runtime secret holding the signing key (HMAC schemes)
   * @param header the signature header (HMAC {@code t=,v1=} scheme)
   * @param apiKeySecret for {@link Scheme#REFETCH}: the runtime secret with the API key used to
   *     re-read the job's status
   */
  public record Verify(Scheme scheme, String secret, String header, String apiKeySecret) {

    public enum Scheme {
      /** fal: Ed25519 over request id, user id, timestamp and body hash, keys from a JWKS. */
      FAL_ED25519,
      /** Replicate: Standard Webhooks, HMAC-SHA256 with a {@code whsec_} secret. */
      STANDARD_WEBHOOKS,
      /** ElevenLabs: {@code ElevenLabs-Signature: t=…,v0=…}. */
      ELEVENLABS,
      /** Generic {@code t=…,v1=…} HMAC-SHA256 over {@code t + "." + body}. */
      HMAC,
      /** Unsigned: the callback is only a hint, the job's status is re-read from the provider. */
      REFETCH
    }
  }
}
