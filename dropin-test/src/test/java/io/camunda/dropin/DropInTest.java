package io.camunda.dropin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import io.camunda.connector.runtime.inbound.search.SearchQueryClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The README's drop-in claim: Camunda's own connectors runtime with our connector jar runs a
 * {@code generate} task, and a submit whose callback comes back through the inbound connector
 * {@code io.aigen:ai-generation-callback:1} on Camunda's {@code /inbound} webhook endpoint.
 */
class DropInTest {

  private static final String CALLBACK_CONTEXT = "aigen-fal-dropin";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, Map<String, Object>> captured = new ConcurrentHashMap<>();

  private static ZeebeTestEngine engine;
  private static ProviderSandbox sandbox;
  private static ConfigurableApplicationContext app;
  private static CamundaClient client;
  private static JobWorker capture;
  private static int httpPort;

  /** The REST search a cluster offers and the in-memory engine lacks. */
  @Configuration
  static class ClusterStandIn {
    @Bean
    @Primary
    SearchQueryClient engineProcessSearch() {
      return new EngineProcessSearch(engine);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    int enginePort = freePort();
    engine = EngineFactory.create(enginePort);
    engine.start();
    sandbox = ProviderSandbox.start(SandboxOptions.defaults());
    httpPort = freePort();
    List<String> args = new ArrayList<>(List.of(
        "--server.port=" + httpPort,
        "--server.address=127.0.0.1",
        "--camunda.client.mode=self-managed",
        "--camunda.client.grpc-address=http://127.0.0.1:" + enginePort,
        "--camunda.client.rest-address=http://127.0.0.1:" + freePort(),
        "--camunda.client.prefer-rest-over-grpc=false",
        "--camunda.client.auth.method=none",
        "--camunda.client.keep-alive=PT10M",
        "--camunda.connector.polling.interval=500",
        "--FAL_KEY=sandbox-key",
        "--aigen.public-base-url=http://127.0.0.1:" + httpPort,
        "--aigen.providers.fal.jwks-url=" + sandbox.falJwksUrl()));
    for (String provider : ProviderSandbox.providerIds()) {
      args.add("--aigen.providers." + provider + ".base-url=" + sandbox.providerBaseUrl(provider));
    }
    app = new SpringApplicationBuilder(ConnectorsRuntimeApp.class, ClusterStandIn.class).run(args.toArray(String[]::new));
    client = app.getBean(CamundaClient.class);
    capture =
        client.newWorker()
            .jobType("dropin:capture")
            .handler((jobs, job) -> {
              captured.put(job.getBpmnProcessId(), job.getVariablesAsMap());
              jobs.newCompleteCommand(job).send().join();
            })
            .open();
  }

  @AfterAll
  static void stop() {
    if (capture != null) {
      capture.close();
    }
    if (app != null) {
      app.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (engine != null) {
      engine.stop();
    }
  }

  @Test
  void aGenerateTaskRunsInCamundasRuntime() {
    BpmnModelInstance process =
        Bpmn.createExecutableProcess("dropin-generate")
            .startEvent()
            .serviceTask("generate", task -> falTask(task.zeebeTaskHeader("operation", "generate").zeebeTaskHeader("resultVariable", "generation")))
            .serviceTask("capture", task -> task.zeebeJobType("dropin:capture"))
            .endEvent()
            .done();
    client.newDeployResourceCommand().addProcessModel(process, "dropin-generate.bpmn").send().join(30, TimeUnit.SECONDS);

    client.newCreateInstanceCommand().bpmnProcessId("dropin-generate").latestVersion().send().join(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(60)).until(() -> captured.containsKey("dropin-generate"));
    Map<?, ?> generation = (Map<?, ?>) captured.get("dropin-generate").get("generation");
    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    assertThat((List<?>) generation.get("outputs")).isNotEmpty();
  }

  @Test
  void aSubmitCompletesThroughTheInboundCallbackConnector() {
    BpmnModelInstance process =
        Bpmn.createExecutableProcess("dropin-callback")
            .startEvent()
            .serviceTask("submit", task -> falTask(task.zeebeTaskHeader("operation", "submit").zeebeTaskHeader("resultVariable", "aiJob"))
                .zeebeInput("=true", "waitForCallback")
                .zeebeInput("http://127.0.0.1:" + httpPort + "/inbound/" + CALLBACK_CONTEXT, "callbackUrl"))
            .intermediateCatchEvent("callback")
            .message(m -> m.name("aigen-callback-dropin").zeebeCorrelationKey("=aiJob.jobId"))
            .zeebeProperty("inbound.type", "io.aigen:ai-generation-callback:1")
            .zeebeProperty("inbound.provider", "FAL")
            .zeebeProperty("inbound.context", CALLBACK_CONTEXT)
            .zeebeProperty("consumeUnmatchedEvents", "true")
            .zeebeProperty("correlationKeyExpression", "=request.body.jobId")
            .zeebeProperty("messageIdExpression", "=request.body.messageId")
            .zeebeProperty("deduplicationModeManualFlag", "false")
            .zeebeProperty("deduplicationMode", "AUTO")
            .zeebeProperty("resultExpression", "={generation: request.body.generation}")
            .serviceTask("capture", task -> task.zeebeJobType("dropin:capture"))
            .endEvent()
            .done();
    client.newDeployResourceCommand().addProcessModel(process, "dropin-callback.bpmn").send().join(30, TimeUnit.SECONDS);
    // Camunda's importer activates the inbound connector a polling interval after the deployment
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> webhookStatus(CALLBACK_CONTEXT) != 404);

    client.newCreateInstanceCommand().bpmnProcessId("dropin-callback").latestVersion().send().join(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(60)).until(() -> captured.containsKey("dropin-callback"));
    Map<String, Object> variables = captured.get("dropin-callback");
    Map<?, ?> generation = (Map<?, ?>) variables.get("generation");
    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    assertThat(generation.get("jobId")).isEqualTo(((Map<?, ?>) variables.get("aiJob")).get("jobId"));
    assertThat((List<?>) generation.get("outputs")).isNotEmpty();
  }

  private static <T extends io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder> T falTask(T task) {
    task.zeebeJobType("io.aigen:ai-generation:1")
        .zeebeInput("FAL", "provider")
        .zeebeInput("{{secrets.FAL_KEY}}", "apiKey")
        .zeebeInput("fal-ai/flux/dev", "model")
        .zeebeInput("={prompt: \"a lighthouse\"}", "input");
    return task;
  }

  /** An unsigned probe: 404 while no connector listens on the context, a refusal once one does. */
  private static int webhookStatus(String context) throws IOException, InterruptedException {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/inbound/" + context))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return HTTP.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
