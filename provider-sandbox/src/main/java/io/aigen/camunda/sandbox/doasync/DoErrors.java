package io.aigen.camunda.sandbox.doasync;

import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxResponse;

/** DigitalOcean's error answers: {@code {"id":"<code>","message":"…"}} (digitalocean/openapi {@code models/error.yml}). */
final class DoErrors {

  private DoErrors() {}

  static SandboxResponse error(int httpStatus, String message) {
    return SandboxResponse.json(httpStatus, Json.object().put("id", id(httpStatus)).put("message", message));
  }

  static SandboxResponse rateLimited(int retryAfterSeconds) {
    return error(429, "API Rate limit exceeded.").withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  /** The answer to a submit whose input asked for {@code sandbox.submitStatus}. */
  static SandboxResponse forcedSubmitError(int httpStatus, int retryAfterSeconds) {
    return httpStatus == 429
        ? rateLimited(retryAfterSeconds)
        : error(httpStatus, "Simulated HTTP " + httpStatus + " (sandbox.submitStatus)");
  }

  /** The error id DigitalOcean's API uses for a status; others get {@code bad_request} / {@code server_error}. */
  static String id(int httpStatus) {
    return switch (httpStatus) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 422 -> "unprocessable_entity";
      case 429 -> "too_many_requests";
      default -> httpStatus >= 500 ? "server_error" : "bad_request";
    };
  }
}
