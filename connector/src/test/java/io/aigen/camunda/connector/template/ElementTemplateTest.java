package io.aigen.camunda.connector.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.connector.inbound.AiGenerationCallbackConnector;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed templates in element-templates/ must be what the build makes: the task's from the
 * presets ({@link ElementTemplates}), the callback event's from the inbound connector's annotations
 * with {@link #CORRELATION_DEFAULTS} and the fixes of {@link #finished}. The expected files are
 * written to {@code target/element-templates/committed/}, ready to copy.
 */
class ElementTemplateTest {

  /**
   * Values the committed callback templates give the generated correlation fields, which the
   * template generator cannot default: template property id to value.
   */
  static final Map<String, String> CORRELATION_DEFAULTS =
      Map.of(
          "correlationKeyProcess", "=" + ElementTemplates.JOB_VARIABLE + ".jobId",
          "correlationKeyPayload", "=request.body.jobId",
          "messageIdExpression", "=request.body.messageId");

  private static final List<String> INBOUND = List.of("ai-generation-callback-intermediate.json", "ai-generation-callback-boundary.json");
  private static final Path GENERATED_DIR = Path.of("target", "element-templates");
  private static final Path EXPECTED_DIR = GENERATED_DIR.resolve("committed");
  private static final Path COMMITTED_DIR = Path.of("..", "element-templates");
  private static final String REFRESH = "Refresh with: cp connector/" + EXPECTED_DIR + "/*.json element-templates/";
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> taskTemplates() {
    return ElementTemplates.all().keySet().stream();
  }

  static Stream<String> allTemplates() {
    return Stream.concat(taskTemplates(), INBOUND.stream());
  }

  @ParameterizedTest
  @MethodSource("taskTemplates")
  void committedTaskTemplateIsTheGeneratedOne(String file) throws Exception {
    JsonNode expected = ElementTemplates.all().get(file);
    writeExpected(file, expected);
    Path committed = COMMITTED_DIR.resolve(file);
    assertThat(committed).as("element-templates/%s is missing. %s", file, REFRESH).exists();
    JsonNode current = read(committed);
    if (!current.equals(expected) && current.path("version").equals(expected.path("version"))) {
      assertThat(bindings(expected))
          .as("the bindings of %s changed: raise its version (the preset's modeler.version, or ElementTemplates.GENERIC_VERSION)"
              + " and keep the old file in element-templates/versioned/ so Modeler can update processes made with it", file)
          .isEqualTo(bindings(current));
    }
    assertThat(current).as("element-templates/%s is stale. %s", file, REFRESH).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ai-generation-callback-intermediate.json", "ai-generation-callback-boundary.json"})
  void committedInboundTemplateIsTheGeneratedOneFinished(String file) throws Exception {
    Path generated = GENERATED_DIR.resolve(file);
    assertThat(generated).as("the build generates the template in process-classes").exists();
    JsonNode expected = finished(read(generated));
    writeExpected(file, expected);
    assertThat(COMMITTED_DIR.resolve(file)).as(REFRESH).exists();
    assertThat(read(COMMITTED_DIR.resolve(file))).as("element-templates/%s is stale. %s", file, REFRESH).isEqualTo(expected);
  }

  @Test
  void everyCommittedTemplateIsMadeByTheBuild() throws Exception {
    Set<String> made = new TreeSet<>(ElementTemplates.all().keySet());
    made.addAll(INBOUND);
    try (Stream<Path> files = Files.list(COMMITTED_DIR)) {
      assertThat(files.filter(f -> f.toString().endsWith(".json")).map(f -> f.getFileName().toString()).sorted().toList())
          .as("element-templates/: a file the build no longer makes belongs in versioned/ or nowhere")
          .containsExactlyElementsOf(made);
    }
  }

  @Test
  void olderVersionsStayForModelersUpdatePath() throws Exception {
    for (JsonNode template : ElementTemplates.all().values()) {
      for (int version = 1; version < template.path("version").asInt(); version++) {
        String file = template.path("id").asText().equals(ElementTemplates.GENERIC_ID)
            ? "ai-generation-outbound-connector-" + version + ".json"
            : template.path("id").asText().substring(ElementTemplates.GENERIC_ID.length() + 1) + "-" + version + ".json";
        Path old = COMMITTED_DIR.resolve("versioned").resolve(file);
        assertThat(old).as("version %d of %s", version, template.path("id").asText()).exists();
        JsonNode oldTemplate = read(old);
        assertThat(oldTemplate.path("id")).isEqualTo(template.path("id"));
        assertThat(oldTemplate.path("version").asInt()).isEqualTo(version);
        // the worker still reads what the old version binds: the same task type, the same variables
        assertThat(valueByBinding(oldTemplate, "type")).isEqualTo(valueByBinding(template, "type"));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("allTemplates")
  void everyTemplateHasTopLevelKeywordsNamingItsProviders(String file) throws Exception {
    JsonNode template = read(COMMITTED_DIR.resolve(file));
    assertThat(template.path("keywords").isArray()).as("%s: top-level keywords, where the chooser searches", file).isTrue();
    List<String> keywords = new ArrayList<>();
    template.path("keywords").forEach(k -> keywords.add(k.asText().toLowerCase()));
    List<ProviderId> providers = new ArrayList<>();
    for (ProviderCatalog.Entry entry : ProviderCatalog.entries()) {
      boolean named =
          switch (file) {
            case ElementTemplates.GENERIC_FILE -> true;
            case "ai-generation-callback-intermediate.json", "ai-generation-callback-boundary.json" -> entry.spec().canCallBack();
            default -> file.equals(ElementTemplates.fileName(entry.provider()));
          };
      if (named) {
        providers.add(entry.provider());
      }
    }
    assertThat(providers).as(file).isNotEmpty();
    for (ProviderId provider : providers) {
      String name = providerName(provider);
      assertThat(keywords).as("%s names %s", file, name).contains(name);
    }
  }

  @ParameterizedTest
  @MethodSource("taskTemplates")
  void submitStoresTheHandleWhereAwaitCancelAndTheCallbackReadIt(String file) throws Exception {
    JsonNode template = read(COMMITTED_DIR.resolve(file));
    String submitResult = null;
    List<String> jobDefaults = new ArrayList<>();
    for (JsonNode property : template.path("properties")) {
      JsonNode condition = property.path("condition");
      boolean submitOnly = "operation".equals(condition.path("property").asText()) && "submit".equals(condition.path("equals").asText());
      if ("resultVariable".equals(property.path("binding").path("key").asText()) && submitOnly) {
        submitResult = property.path("value").asText();
      }
      if ("job".equals(property.path("binding").path("name").asText())) {
        jobDefaults.add(property.path("value").asText());
      }
    }
    assertThat(submitResult).as("%s: the submit's result variable default", file).isEqualTo(ElementTemplates.JOB_VARIABLE);
    assertThat(jobDefaults).as("%s: the await and cancel job handle", file).containsOnly("=" + submitResult);
    for (String inbound : INBOUND) {
      assertThat(valueById(read(COMMITTED_DIR.resolve(inbound)), "correlationKeyProcess")).as(inbound).isEqualTo("=" + submitResult + ".jobId");
    }
  }

  @ParameterizedTest
  @MethodSource("allTemplates")
  void noPatternOnAFieldThatMayStayEmpty(String file) throws Exception {
    for (JsonNode property : read(COMMITTED_DIR.resolve(file)).path("properties")) {
      if (property.path("constraints").has("pattern")) {
        boolean required = property.path("constraints").path("notEmpty").asBoolean(false);
        assertThat(required || property.has("value"))
            .as("%s: %s checks a pattern but may be empty: Modeler flags it on a fresh apply", file, property.path("id").asText())
            .isTrue();
      }
    }
  }

  @Test
  void operationsAreListedInJobOrder() throws Exception {
    for (String file : ElementTemplates.all().keySet()) {
      JsonNode template = read(COMMITTED_DIR.resolve(file));
      List<String> operations = new ArrayList<>();
      for (JsonNode property : template.path("properties")) {
        if ("operation".equals(property.path("id").asText())) {
          property.path("choices").forEach(c -> operations.add(c.path("value").asText()));
        }
      }
      assertThat(operations).as(file).containsExactly("generate", "submit", "await", "cancel");
    }
  }

  @Test
  void inboundTemplatesCorrelateByJobIdAndMapTheGeneration() throws Exception {
    for (String file : INBOUND) {
      JsonNode template = read(COMMITTED_DIR.resolve(file));
      assertThat(valueByBinding(template, "inbound.type")).as(file).isEqualTo(AiGenerationCallbackConnector.TYPE);
      assertThat(valueByBinding(template, "inbound.provider")).as("%s: the same default as the task template", file).isEqualTo(ProviderId.FAL.name());
      assertThat(valueById(template, "correlationKeyProcess")).as(file).isEqualTo("=aiJob.jobId");
      assertThat(valueById(template, "correlationKeyPayload")).as(file).isEqualTo("=request.body.jobId");
      assertThat(valueById(template, "messageIdExpression")).as(file).isEqualTo("=request.body.messageId");
      assertThat(valueById(template, "resultExpression")).as(file).isEqualTo("={generation: request.body.generation}");
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

  /** A provider's name as a modeler would type it: the first of its preset's keywords. */
  static String providerName(ProviderId provider) {
    return ProviderCatalog.spec(provider).modeler().keywords().get(0).toLowerCase();
  }

  /** What element-templates/ should hold, ready to copy. */
  private static void writeExpected(String file, JsonNode expected) throws Exception {
    Files.createDirectories(EXPECTED_DIR);
    ElementTemplates.write(expected, EXPECTED_DIR.resolve(file));
  }

  /**
   * The generated callback template, finished: the correlation defaults as values, keywords where
   * the chooser searches them (with the providers that call back), and no pattern on the optional
   * message TTL (Modeler checks it against the unset value).
   */
  private static JsonNode finished(JsonNode generated) {
    ObjectNode template = generated.deepCopy();
    List<String> missing = new ArrayList<>(CORRELATION_DEFAULTS.keySet());
    for (JsonNode property : template.path("properties")) {
      String id = property.path("id").asText();
      String value = CORRELATION_DEFAULTS.get(id);
      if (value != null) {
        ((ObjectNode) property).put("value", value);
        missing.remove(id);
      }
      if (id.equals("messageTtl")) {
        ((ObjectNode) property).remove("constraints");
      }
    }
    assertThat(missing).as("generated correlation properties").isEmpty();
    Set<String> keywords = new LinkedHashSet<>();
    template.path("metadata").path("keywords").forEach(k -> keywords.add(k.asText()));
    for (ProviderCatalog.Entry entry : ProviderCatalog.entries()) {
      if (entry.spec().canCallBack()) {
        keywords.add(providerName(entry.provider()));
      }
    }
    ObjectNode ordered = JSON.createObjectNode();
    template.fields().forEachRemaining(field -> {
      ordered.set(field.getKey(), field.getValue());
      if (field.getKey().equals("description")) {
        ArrayNode words = ordered.putArray("keywords");
        keywords.forEach(words::add);
      }
    });
    return ordered;
  }

  /** Each property's binding with its condition: what a task made with the template carries. */
  private static Map<String, String> bindings(JsonNode template) {
    Map<String, String> bindings = new LinkedHashMap<>();
    for (JsonNode property : template.path("properties")) {
      String key = property.path("id").asText("") + " " + property.path("binding");
      String hidden = property.path("type").asText().equals("Hidden") ? property.path("value").asText() : "";
      bindings.put(key, hidden + " " + property.path("condition"));
    }
    return bindings;
  }

  private static String valueById(JsonNode template, String id) {
    for (JsonNode property : template.path("properties")) {
      if (property.path("id").asText().equals(id)) {
        return property.path("value").asText(null);
      }
    }
    return null;
  }

  private static String valueByBinding(JsonNode template, String name) {
    for (JsonNode property : template.path("properties")) {
      JsonNode binding = property.path("binding");
      if (binding.path("name").asText().equals(name) || binding.path("property").asText().equals(name)) {
        return property.path("value").asText(null);
      }
    }
    return null;
  }

  private static JsonNode read(Path path) throws Exception {
    return JSON.readTree(Files.readString(path));
  }
}
