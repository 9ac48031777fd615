package io.aigen.camunda.connector.error;

import java.time.Duration;

/**
 * The provider could not answer now (network error, 429, 5xx). Trying again later can help;
 * {@code retryAfter} is the provider's own wish, when it said one.
 */
public class ProviderUnavailable extends RuntimeException {

  private final Duration retryAfter;

  public ProviderUnavailable(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
