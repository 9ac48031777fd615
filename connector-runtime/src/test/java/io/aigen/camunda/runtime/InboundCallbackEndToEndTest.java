package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.inbound.AiGenerationCallbackConnector;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.connector.runtime.core.secret.SecretProviderAggregator;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.builder.AbstractCatchEventBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inbound connector on the embedded engine, as a modeler would use it: processes whose catch
 * event and boundary event carry the committed element templates' values are deployed, the
 * runtime finds them through the engine's record stream and activates the webhooks, and signed
 * Replicate callbacks POSTed to {@code /inbound/<webhook ID>} move the instances on with the
 * {@code generation} variable.
 */
class InboundCallbackEndToEndTest {

  static final String TEST_SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("replicate-signing-key-32-bytes!!".getBytes(StandardCharsets.UTF_8));
  static final String CATCH_CONTEXT = "aigen-replicate-e2e";
  static final String BOUNDARY_CONTEXT = "aigen-replicate-e2e-boundary";
  static final String FAL_CONTEXT = "aigen-fal-e2e";
  static final Path TEMPLATES = Path.of("..", "element-templates");

  /** The secret, unless the embedded mode's sandbox already defines one (then that one is used). */
  @Configuration
  static class WebhookSecret {
    @Bean
    SecretProvider replicateWebhookSecret() {
      return new SecretProvider() {
        @Override
        public String getSecret(String name, SecretContext context) {
          return "REPLICATE_WEBHOOK_SECRET".equals(name) ? TEST_SECRET : null;
        }
      };
    }
  }

  private static ConfigurableApplicationContext runtime;
  private static CamundaClient client;
  private static JobWorker capture;
  private static final Map<String, Map<String, Object>> captured = new ConcurrentHashMap<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static int httpPort;
  /** What the runtime verifies Replicate callbacks with. */
  private static String secret;

  @BeforeAll
  static void start() throws IOException {
    httpPort = freePort();
    // no camunda.client.* settings: embedded mode, with its own in-memory engine
    runtime =
        new SpringApplicationBuilder(AiGenerationRuntime.class, WebhookSecret.class)
            .run("--server.port=" + httpPort, "--aigen.demo.enabled=false", "--camunda.connector.polling.interval=500");
    client = runtime.getBean(CamundaClient.class);
    secret = runtime.getBean(SecretProviderAggregator.class).getSecret("REPLICATE_WEBHOOK_SECRET", new SecretContext(null));
    assertThat(secret).startsWith("whsec_");
    capture =
        client
            .newWorker()
            .jobType("inbound-test:capture")
            .handler((jobs, job) -> {
              Map<String, Object> variables = job.getVariablesAsMap();
              captured.put(((Map<?, ?>) variables.get("aiJob")).get("jobId").toString(), variables);
              jobs.newCompleteCommand(job).send().join();
            })
            .open();
    client.newDeployResourceCommand().addProcessModel(catchEventProcess(), "inbound-catch-test.bpmn").send().join(30, TimeUnit.SECONDS);
    client.newDeployResourceCommand().addProcessModel(boundaryEventProcess(), "inbound-boundary-test.bpmn").send().join(30, TimeUnit.SECONDS);
    client.newDeployResourceCommand().addProcessModel(falSubmitAndCatchProcess(), "inbound-fal-test.bpmn").send().join(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    if (capture != null) {
      capture.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void aSignedCallbackCompletesTheWaitingInstanceWithTheGeneration() throws Exception {
    String job = "r8" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    start("inbound-catch-test", job);
    String body = "{\"id\": \"" + job + "\", \"status\": \"succeeded\", \"output\": [\"https://replicate.delivery/xezq/" + job + "/out-0.webp\"]}";

    HttpResponse<String> answer = postOnceActive(CATCH_CONTEXT, body, signed(body));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(json(answer).path("published").asBoolean()).as(answer.body()).isTrue();
    assertThat(json(answer).path("messageId").asText()).isEqualTo("replicate:" + job + ":SUCCEEDED");
    await().atMost(Duration.ofSeconds(20)).until(() -> captured.containsKey(job));
    Map<?, ?> generation = (Map<?, ?>) captured.get(job).get("generation");
    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    assertThat(generation.get("jobId")).isEqualTo(job);
    assertThat(generation.get("outputs")).isEqualTo(List.of("https://replicate.delivery/xezq/" + job + "/out-0.webp"));
    assertThat(captured.get(job)).as("only generation is mapped").doesNotContainKey("request");

    HttpResponse<String> again = post(CATCH_CONTEXT, body, signed(body));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).path("duplicate").asBoolean()).as(again.body()).isTrue();
  }

  @Test
  void aFailedJobTriggersTheBoundaryEvent() throws Exception {
    String job = "r8" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    start("inbound-boundary-test", job);
    String body = "{\"id\": \"" + job + "\", \"status\": \"failed\", \"error\": \"CUDA out of memory\"}";

    HttpResponse<String> answer = postOnceActive(BOUNDARY_CONTEXT, body, signed(body));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> captured.containsKey(job));
    Map<?, ?> generation = (Map<?, ?>) captured.get(job).get("generation");
    assertThat(generation.get("status")).isEqualTo("FAILED");
    assertThat(generation.get("error").toString()).contains("AI_GENERATION_FAILED", "CUDA out of memory");
  }

  @Test
  void unsignedOrUnfinishedCallbacksAreNotCorrelated() throws Exception {
    String job = "r8" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    start("inbound-catch-test", job);
    String processing = "{\"id\": \"" + job + "\", \"status\": \"processing\", \"output\": null}";
    HttpResponse<String> notYet = postOnceActive(CATCH_CONTEXT, processing, signed(processing));
    assertThat(notYet.statusCode()).isEqualTo(200);
    assertThat(json(notYet).path("published").asBoolean()).as(notYet.body()).isFalse();

    String forged = "{\"id\": \"" + job + "\", \"status\": \"succeeded\", \"output\": [\"https://evil.example/x.png\"]}";
    Map<String, String> headers = new HashMap<>(signed(forged));
    headers.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(new byte[32]));
    assertThat(post(CATCH_CONTEXT, forged, headers).statusCode()).isEqualTo(401);

    assertThat(post("aigen-nobody-listens", forged, signed(forged)).statusCode()).isEqualTo(404);
    Thread.sleep(500);
    assertThat(captured).doesNotContainKey(job);
  }

  /**
   * fal's {@code OK} with {@code payload: null} and {@code payload_error} through the inbound
   * connector: the embedded sandbox's fal calls back to {@code /inbound/<id>?app=fal-ai/flux}, and the
   * result is read back from fal, or the job failed naming the payload error.
   */
  @ParameterizedTest(name = "result at fal: {0}")
  @ValueSource(booleans = {true, false})
  void falPayloadErrorIsReadBackFromFalOrFailsNamingIt(boolean falHasTheResult) throws Exception {
    postOnceActive(FAL_CONTEXT, "{}", Map.of()); // 401 once the webhook is active: the callback must not find it missing
    Map<String, Object> sandbox = new HashMap<>(Map.of("durationMs", 300, "webhookPayloadError", "Response payload is not JSON serializable"));
    if (!falHasTheResult) {
      sandbox.put("resultGone", true);
    }
    String marker = "fal-" + UUID.randomUUID();
    client.newCreateInstanceCommand().bpmnProcessId("inbound-fal-test").latestVersion()
        .variables(Map.of("input", Map.of("prompt", marker, "sandbox", sandbox))).send().join(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).until(() -> captured.values().stream().anyMatch(v -> hasPrompt(v, marker)));
    Map<String, Object> variables = captured.values().stream().filter(v -> hasPrompt(v, marker)).findFirst().orElseThrow();
    Map<?, ?> generation = (Map<?, ?>) variables.get("generation");
    if (falHasTheResult) {
      assertThat(generation.get("status")).as("variables %s", variables).isEqualTo("SUCCEEDED");
      assertThat((List<?>) generation.get("outputs")).isNotEmpty();
    } else {
      assertThat(generation.get("status")).as("variables %s", variables).isEqualTo("FAILED");
      assertThat((List<?>) generation.get("outputs")).isEmpty();
      assertThat(generation.get("error").toString()).contains("AI_GENERATION_FAILED", "Response payload is not JSON serializable");
    }
  }

  private static boolean hasPrompt(Map<String, Object> variables, String prompt) {
    return variables.get("input") instanceof Map<?, ?> input && prompt.equals(input.get("prompt"));
  }

  // ---- processes built from the committed templates ----

  /** Submit to fal with the inbound connector's URL as callback, then wait at its catch event. */
  private static BpmnModelInstance falSubmitAndCatchProcess() throws IOException {
    var builder =
        Bpmn.createExecutableProcess("inbound-fal-test")
            .startEvent()
            .serviceTask("submit", t -> t.zeebeJobType("io.aigen:ai-generation:1")
                .zeebeTaskHeader("operation", "submit")
                .zeebeTaskHeader("resultVariable", "aiJob")
                .zeebeInput("FAL", "provider")
                .zeebeInput("{{secrets.FAL_KEY}}", "apiKey")
                .zeebeInput("fal-ai/flux/dev", "model")
                .zeebeInputExpression("input", "input")
                .zeebeInputExpression("true", "waitForCallback")
                .zeebeInput("http://127.0.0.1:" + httpPort + "/inbound/" + FAL_CONTEXT, "callbackUrl"))
            .intermediateCatchEvent("waitForFal");
    applyTemplate(builder, "ai-generation-callback-intermediate.json", FAL_CONTEXT, "FAL");
    return builder.serviceTask("capture", t -> t.zeebeJobType("inbound-test:capture")).endEvent().done();
  }

  private static BpmnModelInstance catchEventProcess() throws IOException {
    var builder = Bpmn.createExecutableProcess("inbound-catch-test").startEvent().intermediateCatchEvent("waitForCallback");
    applyTemplate(builder, "ai-generation-callback-intermediate.json", CATCH_CONTEXT);
    return builder.serviceTask("capture", t -> t.zeebeJobType("inbound-test:capture")).endEvent().done();
  }

  private static BpmnModelInstance boundaryEventProcess() throws IOException {
    var builder = Bpmn.createExecutableProcess("inbound-boundary-test").startEvent().serviceTask("generating", t -> t.zeebeJobType("inbound-test:never")).boundaryEvent("callbackArrived");
    applyTemplate(builder, "ai-generation-callback-boundary.json", BOUNDARY_CONTEXT);
    return builder.serviceTask("captureFailure", t -> t.zeebeJobType("inbound-test:capture")).endEvent().moveToActivity("generating").endEvent().done();
  }

  /**
   * What the modeler writes when the template is applied and the webhook ID is filled in: every
   * zeebe:property with a value (honouring simple conditions), the message's correlation key and a
   * generated message name.
   */
  private static void applyTemplate(AbstractCatchEventBuilder<?, ?> event, String file, String context) throws IOException {
    applyTemplate(event, file, context, "REPLICATE");
  }

  private static void applyTemplate(AbstractCatchEventBuilder<?, ?> event, String file, String context, String provider) throws IOException {
    JsonNode template = new ObjectMapper().readTree(Files.readString(TEMPLATES.resolve(file)));
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode property : template.path("properties")) {
      byId.put(property.path("id").asText(), property);
    }
    String correlationKey = null;
    for (JsonNode property : template.path("properties")) {
      if (!active(property, byId)) {
        continue;
      }
      String binding = property.path("binding").path("name").asText();
      String type = property.path("binding").path("type").asText();
      // as a modeler would: the webhook ID typed in, Replicate picked instead of the default (fal)
      String value =
          binding.equals("inbound.context") ? context
              : binding.equals("inbound.provider") ? provider
              : property.has("value") ? property.path("value").asText() : null;
      if (value == null) {
        continue;
      }
      switch (type) {
        case "zeebe:property" -> values.put(binding, value);
        case "bpmn:Message#zeebe:subscription#property" -> correlationKey = value;
        default -> {}
      }
    }
    assertThat(values).containsEntry("inbound.type", AiGenerationCallbackConnector.TYPE).containsEntry("inbound.provider", provider);
    String key = correlationKey;
    event.message(m -> m.name("aigen-callback-" + UUID.randomUUID()).zeebeCorrelationKey(key));
    values.forEach(event::zeebeProperty);
  }

  private static boolean active(JsonNode property, Map<String, JsonNode> byId) {
    JsonNode condition = property.path("condition");
    if (condition.isMissingNode()) {
      return true;
    }
    JsonNode other = byId.get(condition.path("property").asText());
    if (condition.has("isActive")) {
      return condition.path("isActive").asBoolean() == (other != null && active(other, byId));
    }
    return other != null && other.path("value").asText().equals(condition.path("equals").asText());
  }

  // ---- HTTP ----

  private static void start(String process, String job) {
    client
        .newCreateInstanceCommand()
        .bpmnProcessId(process)
        .latestVersion()
        .variables(Map.of("aiJob", Map.of("provider", "replicate", "jobId", job)))
        .send()
        .join(10, TimeUnit.SECONDS);
  }

  /** The webhook answers 404 until the runtime has imported the process and activated it. */
  private static HttpResponse<String> postOnceActive(String context, String body, Map<String, String> headers) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> post(context, body, headers), response -> response.statusCode() != 404);
  }

  private static HttpResponse<String> post(String context, String body, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/inbound/" + context))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Standard Webhooks, as Replicate signs. */
  static Map<String, String> signed(String body) {
    String id = "msg_" + UUID.randomUUID();
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      String signature = Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
      return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", "v1," + signature);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return new ObjectMapper().readTree(response.body());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
