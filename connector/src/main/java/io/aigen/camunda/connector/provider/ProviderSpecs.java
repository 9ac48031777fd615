package io.aigen.camunda.connector.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.SpecException;
import io.aigen.camunda.connector.spec.SpecReader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the spec a job speaks: a built-in provider's preset with the runtime's settings, or a
 * custom spec, read once per distinct spec (every poll of a custom job brings its spec along).
 */
public final class ProviderSpecs {

  private static final int CUSTOM_SPECS_KEPT = 256;

  private final ProviderSettings settings;
  private final Map<JsonNode, PollSpec> customSpecs =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<JsonNode, PollSpec> eldest) {
              return size() > CUSTOM_SPECS_KEPT;
            }
          });

  public ProviderSpecs(ProviderSettings settings) {
    this.settings = settings;
  }

  /** A built-in provider's spec. */
  public PollSpec preset(ProviderId provider) {
    return settings.resolve(ProviderCatalog.spec(provider));
  }

  /**
   * A custom spec.
   *
   * @throws SpecException naming the field that is wrong
   */
  public PollSpec custom(JsonNode spec) {
    PollSpec known = customSpecs.get(spec);
    if (known != null) {
      return known;
    }
    PollSpec read = SpecReader.read(spec, ProviderId.CUSTOM.id());
    customSpecs.put(spec, read);
    return read;
  }
}
