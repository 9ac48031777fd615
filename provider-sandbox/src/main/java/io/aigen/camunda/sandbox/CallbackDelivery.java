package io.aigen.camunda.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * One attempt to deliver a provider callback (webhook) the sandbox made.
 *
 * @param provider the connector's provider id: {@code fal}, {@code replicate}, {@code luma} or
 *     {@code unified-task}
 * @param url where it was posted
 * @param event what it announces: fal {@code OK}/{@code ERROR}; Replicate's event ({@code start},
 *     {@code output}, {@code logs}, {@code completed}); Luma's state; the unified task's status
 * @param copy 0 for the callback itself, 1..n for the extra copies of {@code sandbox.callbackDuplicates}
 * @param attempt 1 for the first try of this copy, 2.. for the retries
 * @param status the HTTP status the receiver answered; -1 when it could not be reached or did not
 *     answer in time
 * @param at when the attempt was made
 * @param answeredAt when the receiver's answer came, or the attempt failed
 * @param headers the provider's headers sent with it (signatures, ids), without {@code Content-Type}
 * @param body the body as sent (after {@code sandbox.callbackTamper}, if asked)
 */
public record CallbackDelivery(
    String provider,
    String url,
    String event,
    int copy,
    int attempt,
    int status,
    Instant at,
    Instant answeredAt,
    Map<String, String> headers,
    String body) {

  public CallbackDelivery {
    headers = Map.copyOf(headers);
  }
}
