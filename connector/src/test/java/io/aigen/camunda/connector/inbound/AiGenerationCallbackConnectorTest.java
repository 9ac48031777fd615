package io.aigen.camunda.connector.inbound;

import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.callback.CallbackUrls;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.camunda.connector.api.inbound.CorrelationRequest;
import io.camunda.connector.api.inbound.CorrelationResult;
import io.camunda.connector.api.inbound.InboundConnectorContext;
import io.camunda.connector.api.inbound.ProcessElement;
import io.camunda.connector.api.inbound.webhook.MappedHttpRequest;
import io.camunda.connector.api.inbound.webhook.Part;
import io.camunda.connector.api.inbound.webhook.WebhookConnectorException;
import io.camunda.connector.api.inbound.webhook.WebhookHttpResponse;
import io.camunda.connector.api.inbound.webhook.WebhookProcessingPayload;
import io.camunda.connector.api.inbound.webhook.WebhookTriggerResultContext;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbound connector as Camunda's webhook controller drives it ({@code verify} first, which
 * answers every callback), against a fake context that records what is correlated. Callbacks are
 * Replicate's, signed here with Standard Webhooks.
 */
class AiGenerationCallbackConnectorTest {

  private static final String SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("replicate-signing-key-32-bytes!!".getBytes(StandardCharsets.UTF_8));
  private static final String JOB = "ufawqhfynnddngldkgtslldrkq";
  private static final String OUTPUT = "https://replicate.delivery/xezq/abc123/out-0.webp";

  @TempDir Path results;
  private final Map<String, String> secrets = new HashMap<>();
  private final List<CorrelationRequest> correlated = new ArrayList<>();
  private CorrelationResult nextResult;
  private AiGenerationCallbackConnector connector;

  @BeforeEach
  void activate() {
    secrets.put("REPLICATE_WEBHOOK_SECRET", SECRET);
    ProviderHttp http = ProviderHttp.withDefaults();
    CallbackReceiver receiver =
        new CallbackReceiver(
            new ProviderSpecs(new ProviderSettings(Map.of(), Map.of("fal", "http://127.0.0.1:9/jwks"))),
            new GenerationClients(http, new LocalResultStore(results, null), Clock.systemUTC()),
            http, secrets::get, new CallbackUrls(null), Clock.systemUTC(), Json.mapper());
    connector = new AiGenerationCallbackConnector(receiver);
    nextResult = new CorrelationResult.Success.MessagePublished(element(), 42L, "<default>");
    connector.activate(context(new CallbackConnectorProperties(new CallbackConnectorProperties.Inbound(ProviderId.REPLICATE, "aigen-replicate"))));
  }

  @Test
  void aSignedEndIsCorrelatedWithTheJobIdAndADeduplicatingMessageId() {
    WebhookHttpResponse response = connector.verify(signed(replicate("succeeded", "\"output\": [\"" + OUTPUT + "\"]")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(map(response.body())).containsEntry("published", true).containsEntry("messageId", "replicate:" + JOB + ":SUCCEEDED");
    assertThat(correlated).singleElement().satisfies(request -> {
      assertThat(request.getMessageId()).isEqualTo("replicate:" + JOB + ":SUCCEEDED");
      Map<?, ?> body = body(request);
      assertThat(body.get("jobId")).isEqualTo(JOB);
      assertThat(body.get("messageId")).isEqualTo("replicate:" + JOB + ":SUCCEEDED");
      Map<?, ?> generation = (Map<?, ?>) body.get("generation");
      assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
      assertThat(generation.get("outputs")).isEqualTo(List.of(OUTPUT));
      assertThat(((WebhookTriggerResultContext) request.getVariables()).request().headers()).as("signature headers stay out of the process").isEmpty();
    });
  }

  @Test
  void aFailedJobIsCorrelatedAsFailure() {
    connector.verify(signed(replicate("failed", "\"error\": \"CUDA out of memory\"")));

    Map<?, ?> generation = (Map<?, ?>) body(correlated.getFirst()).get("generation");
    assertThat(generation.get("status")).isEqualTo("FAILED");
    assertThat(generation.get("error").toString()).contains("AI_GENERATION_FAILED", "CUDA out of memory");
    assertThat(correlated.getFirst().getMessageId()).isEqualTo("replicate:" + JOB + ":FAILED");
  }

  @Test
  void aStateThatIsNotTheEndIsAnsweredWithoutCorrelating() {
    WebhookHttpResponse response = connector.verify(signed(replicate("processing", "\"output\": null")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(map(response.body())).containsEntry("published", false).containsEntry("state", "processing");
    assertThat(correlated).isEmpty();
  }

  @Test
  void aBadSignatureIsRefusedWith401() {
    Map<String, String> headers = new HashMap<>(signed(replicate("succeeded", "\"output\": []")).headers());
    headers.put("Webhook-Signature", "v1," + Base64.getEncoder().encodeToString(new byte[32]));

    WebhookHttpResponse response = connector.verify(payload("POST", headers, replicate("succeeded", "\"output\": []")));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(correlated).isEmpty();
  }

  @Test
  void aMissingSecretAsksTheProviderToRetry() {
    secrets.clear();

    WebhookHttpResponse response = connector.verify(signed(replicate("succeeded", "\"output\": []")));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers()).containsEntry("Retry-After", "5");
    assertThat(response.body().toString()).contains("REPLICATE_WEBHOOK_SECRET");
    assertThat(correlated).isEmpty();
  }

  @Test
  void onlyPostIsAccepted() {
    assertThat(connector.verify(payload("GET", Map.of(), "")).statusCode()).isEqualTo(405);
  }

  @Test
  void correlationResultsBecomeStatuses() {
    nextResult = new CorrelationResult.Success.MessageAlreadyCorrelated(element());
    WebhookHttpResponse duplicate = connector.verify(signed(replicate("succeeded", "\"output\": []")));
    assertThat(duplicate.statusCode()).isEqualTo(200);
    assertThat(map(duplicate.body())).containsEntry("duplicate", true);

    nextResult = new CorrelationResult.Failure.ZeebeClientStatus("UNAVAILABLE", "engine down");
    assertThat(connector.verify(signed(replicate("succeeded", "\"output\": []"))).statusCode()).as("retryable").isEqualTo(503);

    nextResult = new CorrelationResult.Failure.ActivationConditionNotMet(true);
    assertThat(connector.verify(signed(replicate("succeeded", "\"output\": []"))).statusCode()).as("consumed").isEqualTo(200);

    nextResult = new CorrelationResult.Failure.ActivationConditionNotMet(false);
    assertThat(connector.verify(signed(replicate("succeeded", "\"output\": []"))).statusCode()).as("not retryable").isEqualTo(422);
  }

  @Test
  void triggerWebhookAloneHandsTheEndToTheRuntime() throws Exception {
    MappedHttpRequest request = connector.triggerWebhook(signed(replicate("succeeded", "\"output\": []"))).request();
    assertThat(((Map<?, ?>) request.body()).get("jobId")).isEqualTo(JOB);
    assertThat(correlated).as("the runtime correlates after triggerWebhook").isEmpty();

    assertThatThrownBy(() -> connector.triggerWebhook(signed(replicate("processing", "\"output\": null"))))
        .isInstanceOfSatisfying(WebhookConnectorException.class, e -> assertThat(e.getStatusCode()).isEqualTo(202));
    assertThatThrownBy(() -> connector.triggerWebhook(payload("POST", Map.of(), "{}")))
        .isInstanceOfSatisfying(WebhookConnectorException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
  }

  @Test
  void theTemplateOffersExactlyTheProvidersThatCallBack() {
    List<String> choices = new ArrayList<>();
    try {
      JsonNode template = Json.mapper().readTree(java.nio.file.Path.of("../element-templates/ai-generation-callback-intermediate.json").toFile());
      for (JsonNode property : template.path("properties")) {
        if (property.path("binding").path("name").asText().equals("inbound.provider")) {
          property.path("choices").forEach(choice -> choices.add(choice.path("value").asText()));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (ProviderId provider : ProviderId.values()) {
      boolean offered = choices.contains(provider.name());
      boolean callsBack = provider == ProviderId.CUSTOM || ProviderCatalog.spec(provider).canCallBack();
      assertThat(offered).as(provider.id()).isEqualTo(callsBack);
    }
  }

  // ---- callbacks ----

  private static String replicate(String status, String extra) {
    return "{\"id\": \"" + JOB + "\", \"status\": \"" + status + "\", " + extra + "}";
  }

  private static WebhookProcessingPayload signed(String body) {
    String id = "msg_" + Math.abs(body.hashCode());
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
      String signature = Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
      return payload("POST", Map.of("Webhook-Id", id, "Webhook-Timestamp", timestamp, "Webhook-Signature", "v1," + signature, "Content-Type", "application/json"), body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static WebhookProcessingPayload payload(String method, Map<String, String> headers, String body) {
    return new WebhookProcessingPayload() {
      public String requestURL() { return "http://127.0.0.1/inbound/aigen-replicate"; }
      public String method() { return method; }
      public Map<String, String> headers() { return headers; }
      public Map<String, String> params() { return Map.of(); }
      public byte[] rawBody() { return body.getBytes(StandardCharsets.UTF_8); }
      public Collection<Part> parts() { return List.of(); }
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object body) {
    return (Map<String, Object>) body;
  }

  private static Map<?, ?> body(CorrelationRequest request) {
    return (Map<?, ?>) ((WebhookTriggerResultContext) request.getVariables()).request().body();
  }

  // ---- a context that records correlations ----

  private InboundConnectorContext context(CallbackConnectorProperties properties) {
    return (InboundConnectorContext)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {InboundConnectorContext.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "bindProperties" -> properties;
                  case "correlate" -> {
                    correlated.add((CorrelationRequest) args[0]);
                    yield nextResult;
                  }
                  case "reportHealth", "log" -> null;
                  case "toString" -> "test context";
                  default -> throw new UnsupportedOperationException(method.getName() + Arrays.toString(args));
                });
  }

  private static ProcessElement element() {
    return new ProcessElement() {
      public String bpmnProcessId() { return "p"; }
      public int version() { return 1; }
      public long processDefinitionKey() { return 1L; }
      public String elementId() { return "waitForCallback"; }
      public String elementName() { return null; }
      public String elementType() { return "intermediateCatchEvent"; }
      public String tenantId() { return "<default>"; }
    };
  }
}
