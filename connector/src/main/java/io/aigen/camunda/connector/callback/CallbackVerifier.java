package io.aigen.camunda.connector.callback;

import java.time.Instant;

/** Decides whether a callback really comes from the provider. */
interface CallbackVerifier {

  /**
   * @throws CallbackRejected with 401 when the signature, its headers or its time are wrong
   */
  void verify(CallbackRequest request, Instant now) throws CallbackRejected;
}
