package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.spec.PollSpec;
import java.util.List;

/**
 * What an answer the protocol does not expect means for the task: bad input, a job the provider
 * forgot, a passing outage to wait through, or something to fix (an incident). Provider texts are
 * redacted of the API key.
 */
final class ProviderAnswers {

  private final PollSpec spec;
  private final ProviderEndpoint endpoint;

  ProviderAnswers(PollSpec spec, ProviderEndpoint endpoint) {
    this.spec = spec;
    this.endpoint = endpoint;
  }

  RuntimeException submitRefused(HttpReply reply, String model) {
    String said = endpoint.redact(reply.excerpt());
    if (reply.code() == 400 || reply.code() == 422) {
      return GenerationFailure.invalidInput("input", "the provider rejected it (HTTP " + reply.code() + "): " + said);
    }
    if (reply.code() == 404) {
      return GenerationFailure.invalidInput("model", "the provider does not know '" + model + "' (HTTP 404). Check the model id. Provider said: " + said);
    }
    if (reply.code() >= 500) {
      return new ProviderUnavailable("The " + spec.id() + " submit answered HTTP " + reply.code() + ": " + said, null);
    }
    return new ProviderRejected("The " + spec.id() + " submit answered HTTP " + reply.code() + ": " + said);
  }

  RuntimeException unexpected(HttpReply reply, String jobId, String what) {
    String said = endpoint.redact(reply.excerpt());
    if (reply.code() == 404 || reply.code() == 410) {
      return new GenerationFailure(
          ErrorCode.AI_GENERATION_FAILED,
          "The " + spec.id() + " job " + jobId + " is unknown to the provider (HTTP " + reply.code() + " on " + what + "): it expired or was deleted. " + said);
    }
    if (reply.code() >= 500) {
      return new ProviderUnavailable("The " + spec.id() + " " + what + " request answered HTTP " + reply.code() + ": " + said, null);
    }
    return new ProviderRejected("The " + spec.id() + " " + what + " request answered HTTP " + reply.code() + ": " + said);
  }

  String redact(String text) {
    return endpoint.redact(text);
  }

  /**
   * The detail of an error answer: FastAPI's {@code detail} (a text, or a list of {@code {loc,
   * msg}} read as "prompt: field required"), else its {@code error} or {@code message}.
   */
  static String detailText(JsonNode body) {
    if (body == null || !body.isObject()) {
      return null;
    }
    JsonNode detail = body.path("detail");
    if (detail.isArray() && !detail.isEmpty()) {
      List<String> items = new java.util.ArrayList<>();
      for (JsonNode item : detail) {
        JsonNode loc = item.path("loc");
        String where = loc.isArray() && !loc.isEmpty() ? loc.get(loc.size() - 1).asText() : null;
        String msg = item.path("msg").isTextual() ? item.get("msg").asText() : errorText(item);
        items.add(where == null ? msg : where + ": " + msg);
      }
      return String.join("; ", items);
    }
    String text = errorText(detail.isMissingNode() ? body.path("error") : detail);
    return text != null ? text : errorText(body.path("message"));
  }

  /** An error given as text, or as an object with a message (some APIs send {code, message}). */
  public static String errorText(JsonNode error) {
    if (error == null || error.isMissingNode() || error.isNull()) {
      return null;
    }
    if (error.isObject()) {
      for (String field : List.of("message", "detail", "title", "msg")) {
        if (error.path(field).isTextual()) {
          String code = error.path("code").isValueNode() ? error.get("code").asText() : null;
          return code == null ? error.get(field).asText() : error.get(field).asText() + " (" + code + ")";
        }
      }
      return error.toString();
    }
    return error.isValueNode() ? error.asText() : error.toString();
  }
}
