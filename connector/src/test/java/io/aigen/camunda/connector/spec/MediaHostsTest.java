package io.aigen.camunda.connector.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaHostsTest {

  @Test
  void aWildcardMatchesSubdomainsOnlyAndExactNamesMatchThemselves() {
    List<String> hosts = List.of("replicate.delivery", "*.replicate.delivery");
    assertThat(MediaHosts.matches(hosts, "replicate.delivery")).isTrue();
    assertThat(MediaHosts.matches(hosts, "pbxt.Replicate.Delivery")).isTrue();
    assertThat(MediaHosts.matches(hosts, "evilreplicate.delivery")).isFalse();
    assertThat(MediaHosts.matches(hosts, "replicate.delivery.example.com")).isFalse();
    assertThat(MediaHosts.matches(List.of("*.fal.media"), "fal.media")).isFalse();
  }

  @Test
  void aSpecWithAUrlInsteadOfAHostIsRefusedNamingTheEntry() {
    String spec = """
        {"targetUrl":"https://api.example.com/jobs","mediaHosts":["cdn.example.com","https://files.example.com/x"],
         "pollConfig":{"urlTemplate":"https://api.example.com/jobs/{id}","statusPath":"status","doneValues":["done"],"failValues":["failed"]}}""";
    assertThatThrownBy(() -> SpecReader.read(Json.mapper().readTree(spec), "custom"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("mediaHosts[1]")
        .hasMessageContaining("without scheme");
  }

  @Test
  void theRuntimeAddsHostsToAPresetsAndRefusesAnInvalidOne() {
    ProviderSettings settings = new ProviderSettings(Map.of(), Map.of(), Map.of("replicate", List.of("Files.Example.com")));
    assertThat(settings.resolve(ProviderCatalog.spec(ProviderId.REPLICATE)).mediaHosts())
        .containsExactly("replicate.delivery", "*.replicate.delivery", "files.example.com");
    assertThatThrownBy(() -> new ProviderSettings(Map.of(), Map.of(), Map.of("fal", List.of("cdn.example.com:8443"))))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("aigen.providers.fal.media-hosts");
  }
}
