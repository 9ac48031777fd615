package io.aigen.camunda.connector.template;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.connector.AiGenerationConnector;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.spec.ModelerEntry;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.ProviderOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The task's element templates: the generic one (every provider in a dropdown, a custom spec,
 * free-form options) and one per preset, made from the preset's {@code "modeler"} and {@code
 * "options"} sections. All bind the same input variables, so the worker reads them alike; a
 * per-provider template fixes {@code provider} and gathers its typed option fields into the {@code
 * options} context ({@code options.<name>} bindings). Adding a preset adds its template: nothing
 * here names a provider.
 *
 * <p>The build's {@code ElementTemplateTest} makes them and checks that {@code element-templates/}
 * holds them; {@link #main} writes them into a folder.
 */
public final class ElementTemplates {

  public static final String GENERIC_ID = "io.aigen.camunda.ai-generation";
  /** The generic template's version: raise it when its bindings change, and keep the old file in {@code versioned/}. */
  public static final int GENERIC_VERSION = 2;
  public static final String GENERIC_FILE = "ai-generation-outbound-connector.json";
  /** The name the submit task gives its handle, and the await, cancel and callback defaults read. */
  public static final String JOB_VARIABLE = "aiJob";
  /** The result variable's default for generate and await. */
  public static final String RESULT_VARIABLE = "generation";

  private static final String SCHEMA = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json";
  private static final String GENERATE = "generate";
  private static final String SUBMIT = "submit";
  private static final String AWAIT = "await";
  private static final String CANCEL = "cancel";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ElementTemplates() {}

  /** Writes every template into the folder {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (Map.Entry<String, ObjectNode> template : all().entrySet()) {
      write(template.getValue(), dir.resolve(template.getKey()));
    }
  }

  /** File name to template: the generic one first, then one per preset in the catalog's order. */
  public static Map<String, ObjectNode> all() {
    Map<String, ObjectNode> templates = new LinkedHashMap<>();
    templates.put(GENERIC_FILE, generic());
    for (ProviderCatalog.Entry entry : ProviderCatalog.entries()) {
      templates.put(fileName(entry.provider()), forProvider(entry));
    }
    return templates;
  }

  public static String fileName(ProviderId provider) {
    return "ai-generation-" + provider.id() + ".json";
  }

  public static String templateId(ProviderId provider) {
    return GENERIC_ID + "." + provider.id();
  }

  /** The same pretty printing as the committed files. */
  public static void write(JsonNode template, Path file) throws IOException {
    new ObjectMapper()
        .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter().withLinefeed("\n")))
        .writeValue(file.toFile(), template);
  }

  // ---------------------------------------------------------------- the generic template

  static ObjectNode generic() {
    List<ProviderCatalog.Entry> presets = ProviderCatalog.entries();
    Set<String> keywords = new LinkedHashSet<>(List.of("AI", "generation", "image", "video", "audio", "async", "poll", "callback", "webhook", "custom"));
    for (ProviderCatalog.Entry entry : presets) {
      keywords.addAll(entry.spec().modeler().keywords());
    }
    ObjectNode template =
        header(
            GENERIC_ID,
            "AI Generation (any provider)",
            GENERIC_VERSION,
            "Generate images, video and audio with any provider ("
                + String.join(", ", presets.stream().map(e -> e.spec().label()).toList())
                + ") or your own poll spec: submit a job, wait for it without holding a thread, cancel it",
            List.copyOf(keywords),
            icon("AI", "#6E3CF5"));
    Properties p = new Properties();
    p.add(hidden(binding("zeebe:taskDefinition", "property", "type"), AiGenerationConnector.TYPE));
    p.add(operation());

    ObjectNode provider = property("provider", "Provider", "The provider's async API. 'Custom poll spec' describes any other API.", "provider", "Dropdown");
    provider.put("value", ProviderId.FAL.name());
    provider.set("binding", input("provider"));
    ArrayNode choices = provider.putArray("choices");
    for (ProviderCatalog.Entry entry : presets) {
      choices.add(choice(entry.spec().label(), entry.provider().name()));
    }
    choices.add(choice("Custom poll spec", ProviderId.CUSTOM.name()));
    provider.set("condition", operationIs(GENERATE, SUBMIT));
    p.add(provider);

    for (ProviderCatalog.Entry entry : presets) {
      ModelerEntry modeler = entry.spec().modeler();
      ObjectNode apiKey = apiKey("apiKey." + entry.provider().id(), entry.spec(), "{{secrets." + modeler.apiKeySecret() + "}}");
      apiKey.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", entry.provider().name())));
      p.add(apiKey);
    }
    ObjectNode customKey = property("apiKey.custom", "API key", "The key your API expects, as a secret reference, e.g. <code>{{secrets.MY_API_KEY}}</code>. It is never written to variables or logs.", "provider", "String");
    customKey.put("feel", "optional");
    customKey.set("binding", input("apiKey"));
    customKey.set("constraints", notEmpty());
    customKey.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", ProviderId.CUSTOM.name())));
    p.add(customKey);
    ObjectNode jobKey =
        property(
            "apiKey.job",
            "API key",
            "The key of the provider that ran the job, as a secret reference, e.g. <code>{{secrets.FAL_KEY}}</code> for fal. The job handle names the provider.",
            "provider",
            "String");
    jobKey.put("feel", "optional");
    jobKey.set("binding", input("apiKey"));
    jobKey.set("constraints", notEmpty());
    jobKey.set("condition", operationIs(AWAIT, CANCEL));
    p.add(jobKey);

    ObjectNode submitUrl =
        property(
            "submitUrl",
            "Submit URL",
            "Where jobs are submitted (AsyncQueue's <code>targetUrl</code>), e.g. <code>https://api.example.com/v1/jobs</code>. Placeholders such as <code>{model}</code> are allowed. May be empty when the spec has <code>submit.url</code>.",
            "provider",
            "String");
    submitUrl.put("optional", true);
    submitUrl.put("feel", "optional");
    submitUrl.set("binding", input("submitUrl"));
    submitUrl.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", ProviderId.CUSTOM.name())));
    p.add(submitUrl);
    ObjectNode customSpec =
        property(
            "customSpec",
            "Custom poll spec",
            "The API described as JSON: AsyncQueue's <code>pollConfig</code> as-is, or a full spec with <code>submit</code>, <code>cancel</code> and <code>options</code>. See docs/poll-spec.md.",
            "provider",
            "Text");
    customSpec.put("feel", "optional");
    customSpec.set("binding", input("customSpec"));
    customSpec.set("constraints", notEmpty());
    customSpec.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", ProviderId.CUSTOM.name())));
    p.add(customSpec);

    for (ProviderCatalog.Entry entry : presets) {
      if (entry.spec().submit().usesModel()) {
        ObjectNode model = model("model." + entry.provider().id(), entry.spec());
        model.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", entry.provider().name())));
        p.add(model);
      }
    }
    ObjectNode customModel = property("model.custom", "Model", "The model id, when your spec uses <code>{model}</code>.", "generation", "String");
    customModel.put("optional", true);
    customModel.put("feel", "optional");
    customModel.set("binding", input("model"));
    customModel.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", ProviderId.CUSTOM.name())));
    p.add(customModel);
    p.add(inputField("The model's input as a FEEL context or JSON, e.g. <code>={prompt: \"a cat on a skateboard\"}</code>"));

    for (ProviderCatalog.Entry entry : presets) {
      List<ProviderOption> options = entry.spec().options();
      if (options.isEmpty()) {
        continue;
      }
      StringBuilder text = new StringBuilder("Options of " + entry.spec().label() + " as a FEEL context: ");
      for (int i = 0; i < options.size(); i++) {
        ProviderOption option = options.get(i);
        text.append(i == 0 ? "" : "; ").append("<code>").append(option.name()).append("</code> (").append(option.description()).append(')');
      }
      text.append(", e.g. <code>=").append(optionsExample(options)).append("</code>. Other options are refused.");
      ObjectNode field = property("options." + entry.provider().id(), "Provider options", text.toString(), "generation", "String");
      field.put("optional", true);
      field.put("feel", "required");
      field.set("binding", input("options"));
      field.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", entry.provider().name())));
      p.add(field);
    }
    ObjectNode customOptions =
        property("options.custom", "Provider options", "Options as a FEEL context, read by your spec's <code>{options.…}</code> placeholders.", "generation", "String");
    customOptions.put("optional", true);
    customOptions.put("feel", "required");
    customOptions.set("binding", input("options"));
    customOptions.set("condition", allOf(operationIs(GENERATE, SUBMIT), simple("provider", ProviderId.CUSTOM.name())));
    p.add(customOptions);

    List<String> callingBack = new ArrayList<>();
    presets.stream().filter(e -> e.spec().canCallBack()).forEach(e -> callingBack.add(e.provider().name()));
    callingBack.add(ProviderId.CUSTOM.name());
    addCallback(p, "waitForCallback", condition -> allOf(operationIs(SUBMIT), oneOf("provider", callingBack)));
    addJob(p);
    addTiming(p, null);
    addCommon(p, GENERIC_ID, GENERIC_VERSION);
    template.set("properties", p.nodes);
    return template;
  }

  // ---------------------------------------------------------------- a provider's template

  static ObjectNode forProvider(ProviderCatalog.Entry entry) {
    PollSpec spec = entry.spec();
    ModelerEntry modeler = spec.modeler();
    Set<String> keywords = new LinkedHashSet<>(List.of("AI", "generation"));
    keywords.addAll(modeler.keywords());
    String id = templateId(entry.provider());
    ObjectNode template =
        header(
            id,
            modeler.name(),
            modeler.version(),
            (spec.label() + " jobs: submit, wait for the result without holding a thread" + (spec.canCancel() ? ", cancel" : "")
                + (spec.canCallBack() ? ", or be called back" : "") + ". " + firstSentence(entry.json().path("description").asText())).strip(),
            List.copyOf(keywords),
            icon(modeler.iconLetters(), modeler.iconColor()));
    Properties p = new Properties();
    p.add(hidden(binding("zeebe:taskDefinition", "property", "type"), AiGenerationConnector.TYPE));
    p.add(operation());
    ObjectNode provider = hidden(input("provider"), entry.provider().name());
    provider.put("id", "provider");
    provider.set("condition", operationIs(GENERATE, SUBMIT));
    p.add(provider);
    p.add(apiKey("apiKey", spec, "{{secrets." + modeler.apiKeySecret() + "}}"));
    if (spec.submit().usesModel()) {
      ObjectNode model = model("model", spec);
      model.set("condition", operationIs(GENERATE, SUBMIT));
      p.add(model);
    }
    p.add(inputField("The model's input as a FEEL context, e.g. <code>" + escape(modeler.exampleInput()) + "</code>"));
    for (ProviderOption option : spec.options()) {
      p.add(optionField(option));
    }
    if (spec.canCallBack()) {
      addCallback(p, "waitForCallback", condition -> operationIs(SUBMIT));
    }
    addJob(p);
    addTiming(p, spec);
    addCommon(p, id, modeler.version());
    template.set("properties", p.nodes);
    return template;
  }

  private static ObjectNode optionField(ProviderOption option) {
    String type =
        switch (option.type()) {
          case CHOICE -> "Dropdown";
          case BOOLEAN -> "Boolean";
          case NUMBER -> "Number";
          case TEXT, LIST -> "String";
        };
    String description = option.description();
    if (option.defaultValue() != null && option.type() != ProviderOption.Type.CHOICE && option.type() != ProviderOption.Type.BOOLEAN) {
      description += " Empty: " + option.defaultValue().asText() + ".";
    } else if (option.defaultValue() == null && option.type() != ProviderOption.Type.BOOLEAN) {
      description += " Empty: not sent.";
    }
    ObjectNode field = property("option." + option.name(), label(option.name()), description, "options", type);
    field.set("binding", input("options." + option.name()));
    switch (option.type()) {
      case CHOICE -> {
        field.put("value", option.defaultValue().asText());
        ArrayNode choices = field.putArray("choices");
        option.choices().forEach(c -> choices.add(choice(c, c)));
      }
      case BOOLEAN -> {
        field.put("feel", "static");
        field.put("value", option.defaultValue() != null && option.defaultValue().asBoolean());
      }
      case NUMBER -> {
        field.put("optional", true);
        field.put("feel", "static");
      }
      case TEXT -> {
        field.put("optional", true);
        field.put("feel", "optional");
      }
      case LIST -> {
        field.put("optional", true);
        field.put("feel", "required");
      }
    }
    field.set("condition", operationIs(GENERATE, SUBMIT));
    return field;
  }

  // ---------------------------------------------------------------- shared pieces

  private static ObjectNode header(String id, String name, int version, String description, List<String> keywords, String icon) {
    ObjectNode template = NODES.objectNode();
    template.put("$schema", SCHEMA);
    template.put("name", name);
    template.put("id", id);
    template.put("description", description);
    ArrayNode words = template.putArray("keywords");
    keywords.forEach(words::add);
    template.put("version", version);
    ObjectNode category = template.putObject("category");
    category.put("id", "connectors");
    category.put("name", "Connectors");
    template.putArray("appliesTo").add("bpmn:Task");
    template.putObject("elementType").put("value", "bpmn:ServiceTask");
    template.putObject("engines").put("camunda", "^8.6");
    template.putObject("icon").put("contents", icon);
    ArrayNode groups = template.putArray("groups");
    group(groups, "action", "Action");
    group(groups, "provider", "Provider");
    group(groups, "generation", "Generation");
    group(groups, "options", "Provider options");
    group(groups, "job", "Job");
    group(groups, "callback", "Callback");
    group(groups, "timing", "Waiting");
    group(groups, "output", "Output mapping");
    group(groups, "error", "Error handling");
    group(groups, "retries", "Retries");
    return template;
  }

  private static ObjectNode operation() {
    ObjectNode operation = property("operation", "Operation", "Generate does it all in one task. Submit, await and cancel split it, e.g. to wait for a callback or with a deadline.", "action", "Dropdown");
    operation.put("value", GENERATE);
    operation.set("binding", binding("zeebe:taskHeader", "key", "operation"));
    ArrayNode choices = operation.putArray("choices");
    choices.add(choice("Generate: submit and wait for the result", GENERATE));
    choices.add(choice("Submit: start a job, return its handle", SUBMIT));
    choices.add(choice("Await: wait for a submitted job's result", AWAIT));
    choices.add(choice("Cancel a submitted job", CANCEL));
    return operation;
  }

  private static ObjectNode apiKey(String id, PollSpec spec, String secret) {
    ObjectNode apiKey =
        property(
            id,
            "API key",
            "The API key for " + spec.label() + " as a secret reference, e.g. <code>" + secret + "</code>. It is never written to variables or logs.",
            "provider",
            "String");
    apiKey.put("value", secret);
    apiKey.put("feel", "optional");
    apiKey.set("binding", input("apiKey"));
    apiKey.set("constraints", notEmpty());
    return apiKey;
  }

  private static ObjectNode model(String id, PollSpec spec) {
    List<String> examples = spec.modeler().exampleModels();
    ObjectNode model =
        property(
            id,
            "Model",
            "The model id at " + spec.label() + ", e.g. " + String.join(", ", examples.stream().map(m -> "<code>" + escape(m) + "</code>").toList()) + ".",
            "generation",
            "String");
    model.put("feel", "optional");
    if (!examples.isEmpty()) {
      model.put("placeholder", examples.get(0));
    }
    model.set("binding", input("model"));
    model.set("constraints", notEmpty());
    return model;
  }

  private static ObjectNode inputField(String description) {
    ObjectNode input = property("input", "Input", description, "generation", "Text");
    input.put("feel", "required");
    input.set("binding", input("input"));
    input.set("constraints", notEmpty());
    input.set("condition", operationIs(GENERATE, SUBMIT));
    return input;
  }

  private interface ConditionFor {
    ObjectNode of(String operation);
  }

  private static void addCallback(Properties p, String id, ConditionFor condition) {
    ObjectNode wait =
        property(
            id,
            "Wait for callback",
            "Ask the provider to call back when the job ends, instead of being polled. Leave <i>Callback URL</i> empty to use this runtime's"
                + " <code>/callbacks/&lt;provider&gt;</code>: it publishes the message <code>aigen-generation-done</code> with correlation key"
                + " <code>=" + JOB_VARIABLE + ".jobId</code>, for a receive task or message catch event. Or put an <i>AI Generation callback</i>"
                + " event's webhook URL there.",
            "callback",
            "Boolean");
    wait.put("value", false);
    wait.put("feel", "static");
    wait.set("binding", input("waitForCallback"));
    wait.set("condition", condition.of(SUBMIT));
    p.add(wait);
    ObjectNode url =
        property(
            "callbackUrl",
            "Callback URL",
            "Empty: this runtime's <code>/callbacks/&lt;provider&gt;</code> under aigen.public-base-url. With an <i>AI Generation callback</i> event:"
                + " its webhook URL, e.g. <code>https://connectors.example.com/inbound/aigen-fal</code>.",
            "callback",
            "String");
    url.put("optional", true);
    url.put("feel", "optional");
    url.set("binding", input("callbackUrl"));
    url.set("condition", allOf(operationIs(SUBMIT), simple(id, true)));
    p.add(url);
  }

  private static void addJob(Properties p) {
    ObjectNode job =
        property(
            "job",
            "Job handle",
            "The handle a submit task returned, e.g. <code>=" + JOB_VARIABLE + "</code> (the submit task's default result variable).",
            "job",
            "String");
    job.put("value", "=" + JOB_VARIABLE);
    job.put("feel", "required");
    job.set("binding", input("job"));
    job.set("constraints", notEmpty());
    job.set("condition", operationIs(AWAIT, CANCEL));
    p.add(job);
  }

  private static void addTiming(Properties p, PollSpec spec) {
    String interval = spec == null ? "the provider's default" : "the provider's default, " + seconds(spec.timing().interval());
    String max = spec == null ? "the provider's default" : "the provider's default, " + seconds(spec.timing().maxDuration());
    ObjectNode poll =
        property("pollInterval", "Poll interval", "ISO-8601 duration of the first wait between polls, e.g. <code>PT3S</code>. Empty: " + interval + ".", "timing", "String");
    poll.put("optional", true);
    poll.put("feel", "optional");
    poll.set("binding", input("pollInterval"));
    poll.set("condition", operationIs(GENERATE, AWAIT));
    p.add(poll);
    ObjectNode maxDuration =
        property(
            "maxDuration",
            "Max duration",
            "ISO-8601 duration from submission after which the job is cancelled and the task ends with AI_GENERATION_TIMEOUT, e.g. <code>PT10M</code>. Empty: " + max + ".",
            "timing",
            "String");
    maxDuration.put("optional", true);
    maxDuration.put("feel", "optional");
    maxDuration.set("binding", input("maxDuration"));
    maxDuration.set("condition", operationIs(GENERATE, AWAIT));
    p.add(maxDuration);
    ObjectNode keepOutputs =
        property(
            "keepOutputs",
            "Keep outputs",
            "Copy every output into the runtime's result store before the task completes, without credentials, from the provider's host or CDN. "
                + "<code>outputs</code> then holds the copies' URLs and <code>originalOutputs</code> the provider's. An output that cannot be copied "
                + "keeps the provider's URL and a warning says why.",
            "timing",
            "Boolean");
    keepOutputs.put("optional", true);
    keepOutputs.put("feel", "static");
    keepOutputs.set("binding", input("keepOutputs"));
    keepOutputs.set("condition", operationIs(GENERATE, AWAIT));
    p.add(keepOutputs);
  }

  private static void addCommon(Properties p, String id, int version) {
    ObjectNode versionHeader = hidden(binding("zeebe:taskHeader", "key", "elementTemplateVersion"), String.valueOf(version));
    versionHeader.put("id", "version");
    p.add(versionHeader);
    ObjectNode idHeader = hidden(binding("zeebe:taskHeader", "key", "elementTemplateId"), id);
    idHeader.put("id", "id");
    p.add(idHeader);

    ObjectNode generated =
        property("resultVariable", "Result variable", "Where the result goes: <code>{status, outputs, providerResult, metrics, warnings}</code>.", "output", "String");
    generated.put("value", RESULT_VARIABLE);
    generated.set("binding", binding("zeebe:taskHeader", "key", "resultVariable"));
    generated.set("condition", operationIs(GENERATE, AWAIT));
    p.add(generated);
    ObjectNode handle =
        property(
            "resultVariable.submit",
            "Result variable",
            "Where the job handle goes: <code>{provider, jobId, model, parts, submittedAt}</code>. The await and cancel tasks read it as <code>="
                + JOB_VARIABLE + "</code>, a callback event correlates on <code>=" + JOB_VARIABLE + ".jobId</code>.",
            "output",
            "String");
    handle.put("value", JOB_VARIABLE);
    handle.set("binding", binding("zeebe:taskHeader", "key", "resultVariable"));
    handle.set("constraints", notEmpty());
    handle.set("condition", operationIs(SUBMIT));
    p.add(handle);
    ObjectNode report =
        property("resultVariable.cancel", "Result variable", "Where the cancel report goes: <code>{provider, jobId, accepted, httpStatus, providerAnswer}</code>.", "output", "String");
    report.put("optional", true);
    report.set("binding", binding("zeebe:taskHeader", "key", "resultVariable"));
    report.set("condition", operationIs(CANCEL));
    p.add(report);
    ObjectNode expression = property("resultExpression", "Result expression", "Expression to map the response into process variables", "output", "Text");
    expression.put("optional", true);
    expression.put("feel", "required");
    expression.set("binding", binding("zeebe:taskHeader", "key", "resultExpression"));
    p.add(expression);
    ObjectNode error =
        property(
            "errorExpression",
            "Error expression",
            "Expression to turn failures into BPMN errors; it sees <code>error.code</code> and <code>error.message</code>. Details in the <a href=\"https://docs.camunda.io/docs/components/connectors/use-connectors/\" target=\"_blank\">documentation</a>.",
            "error",
            "Text");
    error.put("optional", true);
    error.put("feel", "required");
    error.set("binding", binding("zeebe:taskHeader", "key", "errorExpression"));
    p.add(error);
    ObjectNode retries = property("retryCount", "Retries", "Number of retries", "retries", "String");
    retries.put("value", "3");
    retries.put("feel", "optional");
    retries.set("binding", binding("zeebe:taskDefinition", "property", "retries"));
    p.add(retries);
    ObjectNode backoff = property("retryBackoff", "Retry backoff", "ISO-8601 duration to wait between retries", "retries", "String");
    backoff.put("value", "PT0S");
    backoff.set("binding", binding("zeebe:taskHeader", "key", "retryBackoff"));
    p.add(backoff);
  }

  /** A provider's icon: its letters on a rounded square of its colour. */
  static String icon(String letters, String color) {
    int size = letters.length() >= 3 ? 8 : letters.length() == 2 ? 10 : 13;
    String svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\">"
            + "<rect x=\"1\" y=\"1\" width=\"22\" height=\"22\" rx=\"5\" fill=\"" + color + "\"/>"
            + "<text x=\"12\" y=\"12\" dy=\"0.35em\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" font-weight=\"bold\" font-size=\""
            + size + "\" fill=\"#fff\">" + escape(letters) + "</text></svg>";
    return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
  }

  private static final class Properties {
    final ArrayNode nodes = NODES.arrayNode();

    void add(ObjectNode property) {
      nodes.add(property);
    }
  }

  private static ObjectNode property(String id, String label, String description, String group, String type) {
    ObjectNode property = NODES.objectNode();
    property.put("id", id);
    property.put("label", label);
    property.put("description", description);
    property.put("group", group);
    property.put("type", type);
    return property;
  }

  private static ObjectNode hidden(ObjectNode binding, String value) {
    ObjectNode property = NODES.objectNode();
    property.put("type", "Hidden");
    property.put("value", value);
    property.set("binding", binding);
    return property;
  }

  private static ObjectNode binding(String type, String key, String name) {
    ObjectNode binding = NODES.objectNode();
    binding.put("type", type);
    binding.put(key, name);
    return binding;
  }

  private static ObjectNode input(String name) {
    return binding("zeebe:input", "name", name);
  }

  private static ObjectNode choice(String name, String value) {
    ObjectNode choice = NODES.objectNode();
    choice.put("name", name);
    choice.put("value", value);
    return choice;
  }

  private static ObjectNode notEmpty() {
    ObjectNode constraints = NODES.objectNode();
    constraints.put("notEmpty", true);
    return constraints;
  }

  private static void group(ArrayNode groups, String id, String label) {
    ObjectNode group = groups.addObject();
    group.put("id", id);
    group.put("label", label);
  }

  private static ObjectNode operationIs(String... operations) {
    return operations.length == 1 ? simple("operation", operations[0]) : oneOf("operation", List.of(operations));
  }

  private static ObjectNode simple(String property, Object equals) {
    ObjectNode condition = NODES.objectNode();
    condition.put("property", property);
    if (equals instanceof Boolean b) {
      condition.put("equals", b);
    } else {
      condition.put("equals", equals.toString());
    }
    return condition;
  }

  private static ObjectNode oneOf(String property, List<String> values) {
    ObjectNode condition = NODES.objectNode();
    condition.put("property", property);
    ArrayNode list = condition.putArray("oneOf");
    values.forEach(list::add);
    return condition;
  }

  private static ObjectNode allOf(ObjectNode... conditions) {
    ObjectNode all = NODES.objectNode();
    ArrayNode list = all.putArray("allMatch");
    for (ObjectNode condition : conditions) {
      list.add(condition);
    }
    return all;
  }

  private static String optionsExample(List<ProviderOption> options) {
    ProviderOption first = options.get(0);
    JsonNode value = first.defaultValue();
    String example =
        switch (first.type()) {
          case CHOICE -> "\"" + first.choices().get(first.choices().size() > 1 ? 1 : 0) + "\"";
          case NUMBER -> value == null ? "10" : value.asText();
          case BOOLEAN -> "true";
          case LIST -> "[{key: \"team\", value: \"ads\"}]";
          case TEXT -> "\"" + (value == null ? "…" : value.asText()) + "\"";
        };
    return "{" + first.name() + ": " + escape(example) + "}";
  }

  private static String label(String name) {
    String spaced = name.replaceAll("([a-z])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  private static String seconds(Duration duration) {
    if (duration == null) {
      return "none";
    }
    long s = duration.toSeconds();
    return s % 60 == 0 && s >= 60 ? (s / 60) + " min" : s + " s";
  }

  /** The description's first sentence when it is short enough for the chooser, else nothing. */
  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    String first = end < 0 ? text : text.substring(0, end + 1);
    return first.length() <= 140 ? first : "";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
