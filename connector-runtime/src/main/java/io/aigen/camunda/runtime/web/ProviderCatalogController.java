package io.aigen.camunda.runtime.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;

/**
 * {@code GET /providers}: every built-in provider with its full spec, as the element template's
 * provider choice lists them (like AsyncQueue's {@code GET /v1/providers}). A spec copied from here
 * works as a custom spec.
 */
@RestController
public class ProviderCatalogController {

  /** One catalog entry: the template's value, the spec's id and label, and the spec itself. */
  public record Provider(String templateValue, String id, String label, String description, String baseUrl, JsonNode spec) {}

  private final ProviderSettings settings;

  public ProviderCatalogController(ProviderSettings settings) {
    this.settings = settings;
  }

  @GetMapping(path = "/providers", produces = "application/json")
  public Map<String, List<Provider>> providers() {
    List<Provider> providers = new ArrayList<>();
    for (ProviderCatalog.Entry entry : ProviderCatalog.entries()) {
      providers.add(provider(entry));
    }
    return Map.of("providers", providers);
  }

  @GetMapping(path = "/providers/{id}", produces = "application/json")
  public Provider provider(@PathVariable String id) {
    ProviderId provider;
    try {
      provider = ProviderId.of(id);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    }
    return ProviderCatalog.entries().stream()
        .filter(entry -> entry.provider() == provider)
        .findFirst()
        .map(this::provider)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "'" + id + "' has no preset: write its spec in the task"));
  }

  private Provider provider(ProviderCatalog.Entry entry) {
    return new Provider(
        entry.provider().name(),
        entry.spec().id(),
        entry.spec().label(),
        entry.json().path("description").asText(null),
        settings.resolve(entry.spec()).baseUrl(),
        entry.json());
  }
}
