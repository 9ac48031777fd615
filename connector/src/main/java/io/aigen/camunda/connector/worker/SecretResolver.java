package io.aigen.camunda.connector.worker;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.aigen.camunda.connector.model.SecretReference;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import java.util.regex.Matcher;

/**
 * Replaces {@code {{secrets.NAME}}} in a job's variables (JSON text) with the runtime's secret
 * values, as Camunda's connectors do. An unknown secret is left as written, so the operation can
 * say which one is missing.
 */
final class SecretResolver {

  private final SecretProvider provider;

  SecretResolver(SecretProvider provider) {
    this.provider = provider;
  }

  String resolve(String variablesJson, String tenantId) {
    Matcher matcher = SecretReference.PATTERN.matcher(variablesJson);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = provider.getSecret(matcher.group(1), new SecretContext(tenantId));
      String replacement = value == null ? matcher.group() : new String(JsonStringEncoder.getInstance().quoteAsString(value));
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
