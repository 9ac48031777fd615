package io.aigen.camunda.connector.error;

/**
 * A problem that no retry fixes and that the process cannot handle either: a wrong API key, a URL
 * on a foreign host, an answer that breaks the provider's protocol. It becomes an incident, so an
 * operator can fix the configuration and retry.
 */
public class ProviderRejected extends RuntimeException {

  public ProviderRejected(String message) {
    super(message);
  }
}
