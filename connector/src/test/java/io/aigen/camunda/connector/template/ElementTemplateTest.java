package io.aigen.camunda.connector.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed template in element-templates/ must be what the build generates from the
 * annotations; otherwise modelers would get a template that does not match the connector.
 */
class ElementTemplateTest {

  private static final String FILE = "ai-generation-outbound-connector.json";
  private static final Path GENERATED = Path.of("target", "element-templates", FILE);
  private static final Path COMMITTED = Path.of("..", "element-templates", FILE);

  @Test
  void committedTemplateIsTheGeneratedOne() throws Exception {
    assertThat(GENERATED).as("the build generates the template in process-classes").exists();
    ObjectMapper json = new ObjectMapper();
    JsonNode generated = json.readTree(Files.readString(GENERATED));
    JsonNode committed = json.readTree(Files.readString(COMMITTED));
    assertThat(committed)
        .as("element-templates/%s is stale. Refresh it with: cp connector/%s element-templates/", FILE, GENERATED)
        .isEqualTo(generated);
  }

  @Test
  void modelersFindTheConnectorBySearchingForAiFalImageOrVideo() throws Exception {
    JsonNode template = new ObjectMapper().readTree(Files.readString(COMMITTED));
    String searchable = (template.path("name").asText() + " " + template.path("description").asText() + " " + template.path("metadata").path("keywords")).toLowerCase();
    assertThat(searchable).contains("fal", "ai", "image", "video");
    assertThat(template.path("properties").findValuesAsText("value")).contains("io.aigen:ai-generation:1", "generate");
  }
}
