package io.aigen.camunda.connector.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.template.ElementTemplates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One catalog: the presets, the template's provider dropdown and {@code GET /providers} agree. */
class ProviderCatalogTest {

  @Test
  void everyProviderButCustomHasAPresetWithItsOwnId() {
    List<String> presets = ProviderCatalog.entries().stream().map(entry -> entry.spec().id()).toList();
    List<String> providers = Arrays.stream(ProviderId.values()).filter(p -> !p.isCustom()).map(ProviderId::id).toList();
    assertThat(presets).containsExactlyElementsOf(providers);
  }

  @Test
  void everyPresetHasALabelADescriptionAndAnHttpsBaseUrl() {
    for (ProviderCatalog.Entry entry : ProviderCatalog.entries()) {
      assertThat(entry.spec().label()).as(entry.spec().id()).isNotBlank();
      assertThat(entry.json().path("description").asText()).as(entry.spec().id()).isNotBlank();
      assertThat(entry.spec().baseUrl()).as(entry.spec().id()).startsWith("https://");
    }
  }

  @Test
  void templateProviderDropdownsListExactlyTheCatalog() throws Exception {
    JsonNode template = ElementTemplates.all().get(ElementTemplates.GENERIC_FILE);
    List<String> expected = Arrays.stream(ProviderId.values()).map(ProviderId::name).toList();
    List<JsonNode> dropdowns = new ArrayList<>();
    template.path("properties").forEach(p -> {
      if (p.path("binding").path("name").asText().equals("provider")) {
        dropdowns.add(p);
      }
    });
    assertThat(dropdowns).isNotEmpty().allSatisfy(dropdown -> {
      List<String> values = new ArrayList<>();
      dropdown.path("choices").forEach(choice -> values.add(choice.path("value").asText()));
      assertThat(values).containsExactlyElementsOf(expected);
      assertThat(dropdown.path("value").asText()).isEqualTo(ProviderId.FAL.name());
    });
  }
}
