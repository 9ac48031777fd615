package io.aigen.camunda.connector.spec;

/**
 * How the API key is sent: {@code header: prefix + key}, e.g. {@code Authorization: Key <key>} for
 * fal or {@code xi-api-key: <key>} for ElevenLabs.
 */
public record Auth(String header, String prefix) {

  public static Auth bearer() {
    return new Auth("Authorization", "Bearer ");
  }

  public Auth {
    prefix = prefix == null ? "" : prefix;
  }

  public String value(String apiKey) {
    return prefix + apiKey;
  }
}
