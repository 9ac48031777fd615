package io.aigen.camunda.connector.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.connector.inbound.AiGenerationCallbackConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed templates in element-templates/ must be what the build generates from the
 * annotations; otherwise modelers would get a template that does not match the connector.
 *
 * <p>The inbound templates additionally carry {@link
 * #CORRELATION_DEFAULTS}: the generator offers no defaults
 * for the correlation fields it adds. The expected files are written to {@code
 * target/element-templates/committed/}, ready to copy.
 */
class ElementTemplateTest {

  /**
   * Values the committed callback templates give the generated correlation fields, which the
   * template generator cannot default: template property id to value.
   */
  static final Map<String, String> CORRELATION_DEFAULTS =
      Map.of(
          "correlationKeyProcess", "=aiJob.jobId",
          "correlationKeyPayload", "=request.body.jobId",
          "messageIdExpression", "=request.body.messageId");

  private static final String OUTBOUND = "ai-generation-outbound-connector.json";
  private static final List<String> INBOUND = List.of("ai-generation-callback-intermediate.json", "ai-generation-callback-boundary.json");
  private static final Path GENERATED_DIR = Path.of("target", "element-templates");
  private static final Path EXPECTED_DIR = GENERATED_DIR.resolve("committed");
  private static final Path COMMITTED_DIR = Path.of("..", "element-templates");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void committedTemplateIsTheGeneratedOne() throws Exception {
    Path generated = GENERATED_DIR.resolve(OUTBOUND);
    assertThat(generated).as("the build generates the template in process-classes").exists();
    JsonNode expected = read(generated);
    writeExpected(OUTBOUND, expected);
    assertThat(read(COMMITTED_DIR.resolve(OUTBOUND)))
        .as("element-templates/%s is stale. Refresh it with: cp connector/%s/*.json element-templates/", OUTBOUND, EXPECTED_DIR)
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ai-generation-callback-intermediate.json", "ai-generation-callback-boundary.json"})
  void committedInboundTemplateIsTheGeneratedOneWithCorrelationDefaults(String file) throws Exception {
    Path generated = GENERATED_DIR.resolve(file);
    assertThat(generated).as("the build generates the template in process-classes").exists();
    JsonNode expected = withCorrelationDefaults(read(generated));
    writeExpected(file, expected);
    assertThat(COMMITTED_DIR.resolve(file)).as("copy it with: cp connector/%s/*.json element-templates/", EXPECTED_DIR).exists();
    assertThat(read(COMMITTED_DIR.resolve(file)))
        .as("element-templates/%s is stale. Refresh it with: cp connector/%s/*.json element-templates/", file, EXPECTED_DIR)
        .isEqualTo(expected);
  }

  @Test
  void modelersFindTheConnectorBySearchingForAiFalImageOrVideo() throws Exception {
    JsonNode template = read(COMMITTED_DIR.resolve(OUTBOUND));
    String searchable = (template.path("name").asText() + " " + template.path("description").asText() + " " + template.path("metadata").path("keywords")).toLowerCase();
    assertThat(searchable).contains("fal", "ai", "image", "video");
    assertThat(template.path("properties").findValuesAsText("value")).contains("io.aigen:ai-generation:1", "generate");
  }

  @Test
  void inboundTemplatesCorrelateByJobIdAndMapTheGeneration() throws Exception {
    for (String file : INBOUND) {
      JsonNode template = read(COMMITTED_DIR.resolve(file));
      assertThat(valueOf(template, "inbound.type", true)).as(file).isEqualTo(AiGenerationCallbackConnector.TYPE);
      assertThat(valueOf(template, "correlationKeyProcess", false)).as(file).isEqualTo("=aiJob.jobId");
      assertThat(valueOf(template, "correlationKeyPayload", false)).as(file).isEqualTo("=request.body.jobId");
      assertThat(valueOf(template, "messageIdExpression", false)).as(file).isEqualTo("=request.body.messageId");
      assertThat(valueOf(template, "resultExpression", false)).as(file).isEqualTo("={generation: request.body.generation}");
      assertThat(template.path("elementType").path("eventDefinition").asText()).as(file).isEqualTo("bpmn:MessageEventDefinition");
    }
    assertThat(read(COMMITTED_DIR.resolve(INBOUND.get(0))).path("elementType").path("value").asText()).isEqualTo("bpmn:IntermediateCatchEvent");
    assertThat(read(COMMITTED_DIR.resolve(INBOUND.get(1))).path("elementType").path("value").asText()).isEqualTo("bpmn:BoundaryEvent");
  }

  @Test
  void noConnectorIsRegisteredThroughSpi() {
    // the outbound runs on the job worker, the inbound is a Spring bean; an SPI entry would register
    // the outbound a second time, or the inbound type twice (SPI plus bean)
    for (String spi : List.of(
        "io.camunda.connector.api.inbound.InboundConnectorExecutable",
        "io.camunda.connector.api.outbound.OutboundConnectorFunction",
        "io.camunda.connector.api.outbound.OutboundConnectorProvider")) {
      assertThat(getClass().getClassLoader().getResource("META-INF/services/" + spi)).as(spi).isNull();
    }
  }

  /** What element-templates/ should hold, ready to copy. */
  private static void writeExpected(String file, JsonNode expected) throws Exception {
    Files.createDirectories(EXPECTED_DIR);
    new ObjectMapper()
        .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter().withLinefeed("\n")))
        .writeValue(EXPECTED_DIR.resolve(file).toFile(), expected);
  }

  /** The generated template with the correlation defaults as values. */
  private static JsonNode withCorrelationDefaults(JsonNode generated) {
    JsonNode template = generated.deepCopy();
    List<String> missing = new ArrayList<>(CORRELATION_DEFAULTS.keySet());
    for (JsonNode property : template.path("properties")) {
      String id = property.path("id").asText();
      String value = CORRELATION_DEFAULTS.get(id);
      if (value != null) {
        ((ObjectNode) property).put("value", value);
        missing.remove(id);
      }
    }
    assertThat(missing).as("generated correlation properties").isEmpty();
    return template;
  }

  private static String valueOf(JsonNode template, String idOrBinding, boolean byBinding) {
    for (JsonNode property : template.path("properties")) {
      String key = byBinding ? property.path("binding").path("name").asText() : property.path("id").asText();
      if (key.equals(idOrBinding)) {
        return property.path("value").asText(null);
      }
    }
    return null;
  }

  private static JsonNode read(Path path) throws Exception {
    return JSON.readTree(Files.readString(path));
  }
}
