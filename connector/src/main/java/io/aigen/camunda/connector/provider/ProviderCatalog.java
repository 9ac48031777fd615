package io.aigen.camunda.connector.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.SpecReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every built-in provider with its full spec, read once from the preset files. The runtime serves
 * it as {@code GET /providers}; the element template's provider choice is {@link ProviderId}.
 */
public final class ProviderCatalog {

  /** One preset: its JSON as written, and the spec read from it. */
  public record Entry(ProviderId provider, JsonNode json, PollSpec spec) {}

  private static final Map<ProviderId, Entry> ENTRIES = load();

  private ProviderCatalog() {}

  /** Every built-in provider, in the template's order. */
  public static List<Entry> entries() {
    return List.copyOf(ENTRIES.values());
  }

  /** The preset of a built-in provider. */
  public static PollSpec spec(ProviderId provider) {
    Entry entry = ENTRIES.get(provider);
    if (entry == null) {
      throw new IllegalArgumentException("'" + provider.id() + "' has no preset: its spec comes from the task");
    }
    return entry.spec();
  }

  private static Map<ProviderId, Entry> load() {
    ObjectMapper json = new ObjectMapper();
    Map<ProviderId, Entry> entries = new LinkedHashMap<>();
    for (ProviderId provider : Arrays.stream(ProviderId.values()).filter(p -> !p.isCustom()).toList()) {
      String resource = "presets/" + provider.id() + ".json";
      try (InputStream in = ProviderCatalog.class.getResourceAsStream("/io/aigen/camunda/connector/" + resource)) {
        if (in == null) {
          throw new IllegalStateException("The preset " + resource + " is missing from the connector jar");
        }
        JsonNode preset = json.readTree(in);
        PollSpec spec = SpecReader.read(preset, provider.id());
        if (spec.options() == null || spec.modeler() == null) {
          throw new IllegalStateException(resource + " must declare its \"options\" ([] for none) and its \"modeler\" entry: its element template is made from them");
        }
        if (spec.submit().usesModel() && spec.modeler().exampleModels().isEmpty()) {
          throw new IllegalStateException(resource + " must give a few \"modeler.exampleModels\"");
        }
        if (!spec.id().equals(provider.id())) {
          throw new IllegalStateException(resource + " says id '" + spec.id() + "'");
        }
        entries.put(provider, new Entry(provider, preset, spec));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the preset " + resource, e);
      }
    }
    return entries;
  }
}
