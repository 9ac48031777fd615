package io.aigen.camunda.sandbox.fal;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;

/**
 * fal's own test knobs in the job's {@code sandbox} object (docs/providers.md §1.8).
 *
 * @param payloadError a succeeded job's webhook says {@code status: OK} with {@code payload: null}
 *     and this as {@code payload_error} (fal could not carry the output); {@code null} = the output
 *     is in the webhook
 * @param resultGone the result URL answers 404 "Request not found", as after fal's retention
 */
record FalWebhookKnobs(String payloadError, boolean resultGone) {

  static final String PAYLOAD_ERROR = "webhookPayloadError";
  static final String RESULT_GONE = "resultGone";

  static FalWebhookKnobs from(JsonNode input) throws SandboxDirectives.InvalidDirective {
    JsonNode knobs = input.path(SandboxDirectives.FIELD);
    JsonNode error = knobs.path(PAYLOAD_ERROR);
    if (!error.isMissingNode() && !error.isNull() && (!error.isTextual() || error.asText().isBlank())) {
      throw new SandboxDirectives.InvalidDirective(PAYLOAD_ERROR, "must be a non-blank string");
    }
    JsonNode gone = knobs.path(RESULT_GONE);
    if (!gone.isMissingNode() && !gone.isNull() && !gone.isBoolean()) {
      throw new SandboxDirectives.InvalidDirective(RESULT_GONE, "must be true or false");
    }
    return new FalWebhookKnobs(error.isTextual() ? error.asText() : null, gone.asBoolean(false));
  }
}
