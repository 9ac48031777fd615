package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.spec.MediaHosts;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Verification;
import java.util.List;
import java.util.Map;

/**
 * Where each provider is reached: the preset's base URL and signing-key set (JWKS) unless the
 * runtime configuration names others (a proxy, a region, a sandbox).
 *
 * @param baseUrls per provider id
 * @param jwksUrls per provider id, for providers whose callbacks are checked with keys from a JWKS
 * @param mediaHosts per provider id, hosts its outputs may be copied from besides the preset's
 */
public record ProviderSettings(Map<String, String> baseUrls, Map<String, String> jwksUrls, Map<String, List<String>> mediaHosts) {

  public ProviderSettings {
    baseUrls = baseUrls == null ? Map.of() : Map.copyOf(baseUrls);
    jwksUrls = jwksUrls == null ? Map.of() : Map.copyOf(jwksUrls);
    Map<String, List<String>> checked = new java.util.LinkedHashMap<>();
    if (mediaHosts != null) {
      mediaHosts.forEach((id, hosts) -> checked.put(id, hosts.stream().map(host -> MediaHosts.checked(host, "aigen.providers." + id + ".media-hosts")).toList()));
    }
    mediaHosts = Map.copyOf(checked);
  }

  public ProviderSettings(Map<String, String> baseUrls, Map<String, String> jwksUrls) {
    this(baseUrls, jwksUrls, Map.of());
  }

  public ProviderSettings(Map<String, String> baseUrls) {
    this(baseUrls, Map.of(), Map.of());
  }

  public static ProviderSettings defaults() {
    return new ProviderSettings(Map.of(), Map.of(), Map.of());
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
    List<String> extraHosts = mediaHosts.get(preset.id());
    if (extraHosts != null && !extraHosts.isEmpty()) {
      spec = spec.withMediaHosts(extraHosts);
    }
    return spec;
  }
}
