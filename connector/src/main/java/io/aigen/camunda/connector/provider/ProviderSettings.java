package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Verification;
import java.util.Map;

/**
 * Where each provider is reached: the preset's base URL and signing-key set (JWKS) unless the
 * runtime configuration names others (a proxy, a region, a sandbox).
 *
 * @param baseUrls per provider id
 * @param jwksUrls per provider id, for providers whose callbacks are checked with keys from a JWKS
 */
public record ProviderSettings(Map<String, String> baseUrls, Map<String, String> jwksUrls) {

  public ProviderSettings {
    baseUrls = baseUrls == null ? Map.of() : Map.copyOf(baseUrls);
    jwksUrls = jwksUrls == null ? Map.of() : Map.copyOf(jwksUrls);
  }

  public ProviderSettings(Map<String, String> baseUrls) {
    this(baseUrls, Map.of());
  }

  public static ProviderSettings defaults() {
    return new ProviderSettings(Map.of(), Map.of());
  }

  public PollSpec resolve(PollSpec preset) {
    PollSpec spec = preset;
    String baseUrl = baseUrls.get(preset.id());
    if (baseUrl != null && !baseUrl.isBlank()) {
      spec = spec.withBaseUrl(baseUrl);
    }
    String jwksUrl = jwksUrls.get(preset.id());
    if (jwksUrl != null && !jwksUrl.isBlank() && spec.callback() != null && spec.callback().verify() instanceof Verification.Ed25519Jwks keys) {
      spec = spec.withCallback(spec.callback().withVerify(new Verification.Ed25519Jwks(jwksUrl, keys.headerPrefix())));
    }
    return spec;
  }
}
