package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.spec.PollSpec;
import java.util.Map;

/**
 * Where each provider is reached: the preset's base URL unless the runtime configuration names
 * another (a proxy, a region, a sandbox).
 */
public record ProviderSettings(Map<String, String> baseUrls) {

  public ProviderSettings {
    baseUrls = baseUrls == null ? Map.of() : Map.copyOf(baseUrls);
  }

  public static ProviderSettings defaults() {
    return new ProviderSettings(Map.of());
  }

  public PollSpec resolve(PollSpec preset) {
    String override = baseUrls.get(preset.id());
    return override == null || override.isBlank() ? preset : preset.withBaseUrl(override);
  }
}
