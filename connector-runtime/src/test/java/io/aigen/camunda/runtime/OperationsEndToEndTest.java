package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aigen.camunda.runtime.embedded.EmbeddedServices;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded mode as an operator meets it: the demo runs, its log stays free of warnings, its
 * metrics show at /actuator/prometheus, the engine is reachable on loopback only, a provider base
 * URL the user sets wins over the sandbox's, and configuration mistakes read as what to fix.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsEndToEndTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ConfigurableApplicationContext runtime;
  private static CamundaClient client;
  private static EmbeddedServices services;
  private static MockWebServer realRunway;
  private static int httpPort;

  @BeforeAll
  static void start() throws IOException {
    realRunway = new MockWebServer();
    realRunway.setDispatcher(new RunwayLike());
    realRunway.start(InetAddress.getLoopbackAddress(), 0);
    httpPort = freePort();
    // no camunda.client.* settings: embedded mode, with its demo; Runway alone goes elsewhere
    runtime =
        new SpringApplicationBuilder(AiGenerationRuntime.class)
            .run("--server.port=" + httpPort, "--aigen.providers.runway.base-url=" + realRunway.url("/").toString().replaceAll("/$", ""));
    client = runtime.getBean(CamundaClient.class);
    services = runtime.getBean(EmbeddedServices.class);
  }

  @AfterAll
  static void stop() throws IOException {
    if (runtime != null) {
      runtime.close();
    }
    if (realRunway != null) {
      realRunway.shutdown();
    }
  }

  @Test
  @Order(1)
  void theDemoRunsWithoutAWarningAndItsMetricsShowAtTheActuator(CapturedOutput output) throws Exception {
    await()
        // the demo's slowest jobs (ElevenLabs, Stability) take about 11 s in the sandbox; the class ran in 15 s
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> metric(prometheus(), "aigen_outcomes_total", "operation=\"generate\"", "status=\"SUCCEEDED\"") >= 12);
    String metrics = prometheus();

    assertThat(metric(metrics, "aigen_submits_total", "provider=\"fal\"")).isGreaterThanOrEqualTo(5);
    assertThat(metric(metrics, "aigen_outcomes_total", "provider=\"fal\"", "status=\"ERROR\"", "code=\"AI_GENERATION_FAILED\"")).isEqualTo(1);
    assertThat(metric(metrics, "aigen_provider_answers_total", "provider=\"fal\"", "status_class=\"2xx\"")).isGreaterThan(5);
    assertThat(metric(metrics, "aigen_callbacks_total", "outcome=\"published\"")).isGreaterThanOrEqualTo(3);
    assertThat(metric(metrics, "aigen_generation_duration_seconds_count", "provider=\"replicate\"")).isGreaterThanOrEqualTo(1);
    assertThat(metrics).contains("aigen_generations_waiting{provider=\"fal\"}").contains("aigen_callback_publish_seconds_count");

    List<String> noisy = output.getAll().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    assertThat(noisy).as("WARN/ERROR lines at start and during the demo").isEmpty();
    assertThat(output.getAll().lines().filter(line -> line.contains("Deployed ")).count()).as("one line for all example deployments").isEqualTo(1);
  }

  @Test
  @Order(2)
  void aProviderBaseUrlTheUserSetWinsOverTheSandboxForThatProviderAlone() throws Exception {
    RecordedRequest submit = realRunway.takeRequest(30, TimeUnit.SECONDS);
    assertThat(submit).as("the demo's Runway task went to the configured base URL").isNotNull();
    assertThat(submit.getMethod()).isEqualTo("POST");
    assertThat(submit.getPath()).isEqualTo("/v1/image_to_video");
    assertThat(metric(prometheus(), "aigen_outcomes_total", "provider=\"runway\"", "status=\"SUCCEEDED\"")).isEqualTo(1);
    assertThat(metric(prometheus(), "aigen_outcomes_total", "provider=\"luma\"", "status=\"SUCCEEDED\"")).as("others on the sandbox").isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(3)
  void theEngineIsNotReachableOnAnyNonLoopbackAddress() throws Exception {
    List<InetAddress> others = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && !address.isLinkLocalAddress() && address instanceof Inet4Address) {
          others.add(address);
        }
      }
    }
    assertThat(others).as("this test needs a machine with a non-loopback IPv4 address").isNotEmpty();
    try (Socket onLoopback = new Socket()) {
      onLoopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), services.enginePort()), 2000);
    }
    for (InetAddress address : others) {
      assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
              socket.connect(new InetSocketAddress(address, services.enginePort()), 2000);
            }
          })
          .as("engine port on " + address.getHostAddress())
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  @Order(4)
  void aMissingSecretIsAnIncidentNamingTheVariableThisRuntimeReads() {
    deploy(generateTask("missing-secret-test", "{{secrets.FAL_KEY_UNSET}}", "={prompt: \"a cat\"}"));
    long instance = client.newCreateInstanceCommand().bpmnProcessId("missing-secret-test").latestVersion().send().join().getProcessInstanceKey();

    await().atMost(Duration.ofSeconds(30)).until(() -> incidentOf(instance) != null);
    assertThat(incidentOf(instance).getErrorMessage())
        .contains("AIGEN_SECRET_FAL_KEY_UNSET")
        .contains("FAL_KEY_UNSET")
        .doesNotContain("sandbox-key");
  }

  @Test
  @Order(5)
  void aMalformedInputSaysWhatIsWrongWithoutTheParsersInternals() {
    deploy(generateTask("malformed-input-test", "{{secrets.FAL_KEY}}", "=\"{\\\"prompt\\\": \\\"a cat\\\"\""));
    long instance = client.newCreateInstanceCommand().bpmnProcessId("malformed-input-test").latestVersion().send().join().getProcessInstanceKey();

    await().atMost(Duration.ofSeconds(30)).until(() -> errorVariableOf(instance) != null);
    String error = errorVariableOf(instance);
    assertThat(error).contains("AI_INVALID_INPUT").contains("input").contains("not valid JSON").contains("line 1");
    assertThat(error).doesNotContain("Source:").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
  }

  @Test
  @Order(6)
  void theRootAnswersWithAPageNotAnError() throws Exception {
    HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).as(root.body()).isLessThan(400);
  }

  // ---- helpers ----

  private static BpmnModelInstance generateTask(String id, String apiKey, String input) {
    return Bpmn.createExecutableProcess(id)
        .startEvent()
        .serviceTask("generate", task -> task.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeTaskHeader("operation", "generate")
            .zeebeInput("fal", "provider")
            .zeebeInput(apiKey, "apiKey")
            .zeebeInput("fal-ai/flux/dev", "model")
            .zeebeInput(input, "input")
            .zeebeJobRetries("1"))
        .endEvent()
        .done();
  }

  private static void deploy(BpmnModelInstance model) {
    client.newDeployResourceCommand().addProcessModel(model, "test.bpmn").send().join(30, TimeUnit.SECONDS);
  }

  private static IncidentRecordValue incidentOf(long instance) {
    return records(ValueType.INCIDENT).stream()
        .filter(r -> r.getIntent() == IncidentIntent.CREATED)
        .map(r -> (IncidentRecordValue) r.getValue())
        .filter(v -> v.getProcessInstanceKey() == instance)
        .findFirst()
        .orElse(null);
  }

  private static String errorVariableOf(long instance) {
    return records(ValueType.VARIABLE).stream()
        .map(r -> (VariableRecordValue) r.getValue())
        .filter(v -> v.getProcessInstanceKey() == instance && v.getName().equals("aiGenerationError"))
        .map(VariableRecordValue::getValue)
        .findFirst()
        .orElse(null);
  }

  private static List<Record<?>> records(ValueType type) {
    return StreamSupport.stream(services.engine().getRecordStreamSource().getRecords().spliterator(), false)
        .filter(r -> r.getValueType() == type)
        .toList();
  }

  private static String prometheus() throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The sum of a metric's samples whose labels contain every one of {@code labels}. */
  private static double metric(String exposition, String name, String... labels) {
    return exposition.lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Plays Runway's API (docs/providers.md §3): a submit answers a task id; the task has succeeded at once. */
  private static final class RunwayLike extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if ("POST".equals(request.getMethod())) {
        return json("{\"id\": \"rw-task-1\"}");
      }
      if (request.getPath() != null && request.getPath().startsWith("/v1/tasks/rw-task-1")) {
        return json("{\"id\": \"rw-task-1\", \"status\": \"SUCCEEDED\", \"output\": [\"" + realRunway.url("/out/rw-task-1.mp4") + "\"]}");
      }
      return new MockResponse().setResponseCode(404);
    }

    private static MockResponse json(String body) {
      return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }
  }
}
