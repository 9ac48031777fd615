package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.CallbackDelivery;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.MessageIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessMessageSubscriptionIntent;
import io.camunda.zeebe.protocol.record.value.ProcessMessageSubscriptionRecordValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Provider callbacks end to end: the sandbox sends signed (or, for Luma, unsigned) callbacks to the
 * runtime's endpoint, which publishes {@code aigen-generation-done}; the waiting instances continue
 * without any status polling.
 */
class CallbackEndToEndTest {

  static final String UNIFIED_SECRET = "unified-e2e-signing-secret";

  private static RuntimeStack stack;
  private static ProviderSandbox sandbox;
  private static ConfigurableApplicationContext runtime;
  private static int httpPort;

  @Configuration
  static class Keys {
    @Bean
    SecretProvider e2eSecrets() {
      return new SecretProvider() {
        @Override
        public String getSecret(String name, SecretContext context) {
          return switch (name) {
            case "REPLICATE_WEBHOOK_SECRET" -> sandbox.replicateWebhookSecret();
            case "UNIFIED_WEBHOOK_SECRET" -> UNIFIED_SECRET;
            default -> name.endsWith("_KEY") || name.endsWith("_TOKEN") ? "e2e-key" : null;
          };
        }
      };
    }
  }

  @BeforeAll
  static void start() {
    stack = RuntimeStack.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(400)).withUnifiedCallbackSecret(UNIFIED_SECRET))
        .deployExamples("processes/*-callback.bpmn")
        .deploy(lateCatchProcess(), "late-catch.bpmn")
        .deploy(fanOutProcess(), "callback-fan-out.bpmn")
        .completeJobsOf("aigen-demo:report");
    sandbox = stack.sandbox();
    httpPort = stack.httpPort();
    runtime = stack.startRuntime(
        List.of(Keys.class),
        "--aigen.public-base-url=" + stack.runtimeUrl(""),
        "--aigen.callbacks.fal-jwks-url=" + sandbox.falJwksUrl());
  }

  @AfterAll
  static void stop() {
    runtime.close();
    stack.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fal", "replicate", "luma", "unified-task"})
  void callbackCompletesTheWaitWithoutStatusPolling(String provider) {
    sandbox.journal().clear();
    Map<String, Object> result = run("ai-generation-" + provider + "-callback", Map.of("input", input(provider, Map.of("durationMs", 300))));
    Map<?, ?> generation = (Map<?, ?>) result.get("generation");
    assertThat(generation).as("variables %s", result).isNotNull();
    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    assertThat((List<?>) generation.get("outputs")).isNotEmpty();
    String jobId = ((Map<?, ?>) result.get("aiJob")).get("jobId").toString();
    List<JournalEntry> reads = sandbox.journal().matching("GET", ".*" + jobId + ".*").stream().filter(e -> !e.path().startsWith("/files/")).toList();
    if (provider.equals("luma")) {
      // Luma signs nothing: only the callback about the end is confirmed, by one read
      List<String> states = sandbox.callbacks().stream().filter(c -> c.provider().equals("luma") && c.body().contains(jobId)).map(c -> c.body().contains("\"dreaming\"") ? "dreaming" : "end").toList();
      assertThat(states).as("Luma called back while dreaming and at the end").contains("dreaming", "end");
      assertThat(reads).as("reads of %s at Luma", jobId).hasSize(1);
    } else {
      assertThat(reads).as("status polls for %s", jobId).isEmpty();
    }
  }

  @Test
  void failedJobArrivesAsFailedGenerationAndTakesTheFailurePath() {
    Map<String, Object> result = run("ai-generation-fal-callback", Map.of("input", input("fal", Map.of("durationMs", 200, "fail", "CUDA out of memory"))));
    Map<?, ?> generation = (Map<?, ?>) result.get("generation");
    assertThat(generation.get("status")).isEqualTo("FAILED");
    assertThat(((Map<?, ?>) generation.get("error")).get("code")).isEqualTo("AI_GENERATION_FAILED");
  }

  /** fal's {@code OK} with {@code payload: null} and {@code payload_error} (docs/providers.md §1.8). */
  @Test
  void falPayloadErrorIsAnsweredWithTheResultReadBackFromFal() {
    Map<String, Object> result = run("ai-generation-fal-callback", Map.of("input", input("fal", Map.of("durationMs", 200, "webhookPayloadError", "Response payload is not JSON serializable"))));
    Map<?, ?> generation = (Map<?, ?>) result.get("generation");
    assertThat(generation.get("status")).as("variables %s", result).isEqualTo("SUCCEEDED");
    String jobId = ((Map<?, ?>) result.get("aiJob")).get("jobId").toString();
    assertThat((List<?>) generation.get("outputs")).singleElement().asString().contains(jobId);
    assertThat(sandbox.callbacks().stream().filter(c -> c.body().contains(jobId)).toList())
        .allSatisfy(c -> assertThat(c.body()).contains("\"payload\":null").contains("payload_error"));
    assertThat(sandbox.journal().matching("GET", ".*/fal-ai/flux/requests/" + jobId)).as("the result read at fal").hasSize(1);
  }

  @Test
  void falPayloadErrorWithoutAResultAtFalIsFailedNamingThePayloadError() {
    Map<String, Object> result = run("ai-generation-fal-callback",
        Map.of("input", input("fal", Map.of("durationMs", 200, "webhookPayloadError", "Response payload is not JSON serializable", "resultGone", true))));
    Map<?, ?> generation = (Map<?, ?>) result.get("generation");
    assertThat(generation.get("status")).as("variables %s", result).isEqualTo("FAILED");
    assertThat((List<?>) generation.get("outputs")).isEmpty();
    Map<?, ?> error = (Map<?, ?>) generation.get("error");
    assertThat(error.get("code")).isEqualTo("AI_GENERATION_FAILED");
    assertThat(error.get("message").toString()).contains("Response payload is not JSON serializable");
  }

  @Test
  void callbackBeforeTheCatchEventIsEnteredIsStillCorrelated() {
    Map<String, Object> result = run("late-catch", Map.of("input", input("fal", Map.of("durationMs", 0))));
    Map<?, ?> generation = (Map<?, ?>) result.get("generation");
    assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
    String jobId = ((Map<?, ?>) result.get("aiJob")).get("jobId").toString();
    Instant delivered = sandbox.callbacks().stream().filter(c -> c.body().contains(jobId) && c.status() == 200).findFirst().orElseThrow().at();
    Instant entered = recordsOf(ValueType.PROCESS_INSTANCE).stream()
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED)
        .filter(r -> {
          ProcessInstanceRecordValue value = (ProcessInstanceRecordValue) r.getValue();
          return value.getBpmnProcessId().equals("late-catch") && value.getElementId().equals("callback");
        })
        .map(r -> Instant.ofEpochMilli(r.getTimestamp())).findFirst().orElseThrow();
    assertThat(delivered).isBefore(entered);
  }

  @Test
  void theRuntimesClientHandlesTheEnginesAnswersToPublishesOnThreadsOfTheirOwn() {
    io.camunda.client.CamundaClient client = runtime.getBean(io.camunda.client.CamundaClient.class);
    java.util.Set<String> answeredOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<java.util.concurrent.CompletableFuture<?>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(client.newPublishMessageCommand().messageName("answer-threads-test").correlationKey("k" + i).timeToLive(Duration.ZERO).send()
          .toCompletableFuture().whenComplete((published, failure) -> answeredOn.add(Thread.currentThread().getName())));
    }
    answers.forEach(java.util.concurrent.CompletableFuture::join);

    // an answer that came before its callback was added runs it on this thread
    assertThat(answeredOn).allMatch(name -> name.startsWith("aigen-publish-answers-") || name.equals(Thread.currentThread().getName()))
        .anyMatch(name -> name.startsWith("aigen-publish-answers-"));
  }

  @Test
  void duplicateCallbacksCorrelateOnce() {
    Map<String, Object> result = run("ai-generation-replicate-callback", Map.of("input", input("replicate", Map.of("durationMs", 200, "callbackDuplicates", 3))));
    String jobId = ((Map<?, ?>) result.get("aiJob")).get("jobId").toString();
    awaitCallbacksSettled(jobId);
    assertThat(sandbox.callbacks().stream().filter(c -> c.body().contains(jobId) && c.event().equals("completed")).count()).isEqualTo(4);
    assertThat(correlations(jobId)).isEqualTo(1);
    assertThat(recordsOf(ValueType.MESSAGE).stream()
        .filter(r -> r.getIntent() == MessageIntent.PUBLISHED && r.toJson().contains(jobId)).count()).isEqualTo(1);
  }

  @Test
  void fanOutOfFourCorrelatesEachCallbackToItsOwnInstance() {
    List<String> prompts = List.of("a fox", "an owl", "a whale", "a cat");
    Map<String, Object> result = run("callback-fan-out", Map.of("prompts", prompts));
    List<?> generations = (List<?>) result.get("generations");
    assertThat(generations).hasSize(4);
    for (int i = 0; i < 4; i++) {
      Map<?, ?> generation = (Map<?, ?>) generations.get(i);
      assertThat(generation.get("prompt")).isEqualTo(prompts.get(i));
      assertThat(generation.get("status")).isEqualTo("SUCCEEDED");
      assertThat((List<?>) generation.get("outputs")).singleElement().asString().contains(generation.get("jobId").toString());
    }
  }

  @Test
  void attackSuiteIsRejectedWithoutAnyCorrelation() throws Exception {
    long publishedBefore = recordsOf(ValueType.MESSAGE).stream().filter(r -> r.getIntent() == MessageIntent.PUBLISHED).count();
    String url = "http://127.0.0.1:" + httpPort + "/callbacks/";
    String body = "{\"request_id\":\"forged-1\",\"gateway_request_id\":\"forged-1\",\"status\":\"OK\",\"payload\":{\"images\":[{\"url\":\"https://evil.example/x.png\"}]}}";
    String now = String.valueOf(Instant.now().getEpochSecond());
    String old = String.valueOf(Instant.now().minusSeconds(600).getEpochSecond());
    String zeroSignature = "00".repeat(64);
    Map<String, Integer> answers = new java.util.LinkedHashMap<>();
    answers.put("fal forged", post(url + "fal", body, Map.of("X-Fal-Webhook-Request-Id", "forged-1", "X-Fal-Webhook-User-Id", "u", "X-Fal-Webhook-Timestamp", now, "X-Fal-Webhook-Signature", zeroSignature)));
    answers.put("fal missing headers", post(url + "fal", body, Map.of()));
    answers.put("fal 10 minutes old", post(url + "fal", body, Map.of("X-Fal-Webhook-Request-Id", "forged-1", "X-Fal-Webhook-User-Id", "u", "X-Fal-Webhook-Timestamp", old, "X-Fal-Webhook-Signature", zeroSignature)));
    answers.put("replicate wrong key", post(url + "replicate", "{\"id\":\"p1\",\"status\":\"succeeded\",\"output\":[\"https://evil.example/x.png\"]}",
        Map.of("webhook-id", "msg_1", "webhook-timestamp", now, "webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
    answers.put("unified unsigned", post(url + "unified-task", "{\"task_id\":\"t1\",\"status\":\"completed\",\"outputs\":[\"https://evil.example/x.mp4\"]}", Map.of()));
    answers.put("2 MB body", post(url + "fal", "{\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}", Map.of()));
    answers.put("malformed JSON to an unsigned provider", post(url + "luma", "{not json", Map.of()));
    answers.put("luma forged completion of an unknown job", post(url + "luma", "{\"id\":\"no-such-generation\",\"state\":\"completed\"}", Map.of()));
    // a real, signed callback replayed after the window: take one the sandbox sent and move its clock back
    Map<String, Object> done = run("ai-generation-replicate-callback", Map.of("input", input("replicate", Map.of("durationMs", 100))));
    String jobId = ((Map<?, ?>) done.get("aiJob")).get("jobId").toString();
    awaitCallbacksSettled(jobId);
    CallbackDelivery real = sandbox.callbacks().stream().filter(c -> c.body().contains(jobId) && c.event().equals("completed")).findFirst().orElseThrow();
    Map<String, String> replayHeaders = new HashMap<>(real.headers());
    replayHeaders.put("webhook-timestamp", old);
    answers.put("replicate replay outside the window", post(url + "replicate", real.body(), replayHeaders));
    answers.put("replicate tampered", post(url + "replicate", real.body().replace("succeeded", "failed"), real.headers()));
    long publishedAfter = recordsOf(ValueType.MESSAGE).stream().filter(r -> r.getIntent() == MessageIntent.PUBLISHED).count();

    assertThat(answers).allSatisfy((attack, status) -> assertThat(status).as(attack).isBetween(400, 499));
    assertThat(answers.get("2 MB body")).isEqualTo(413);
    assertThat(answers.get("fal forged")).isEqualTo(401);
    // the only message published meanwhile is the real replicate job's own
    assertThat(publishedAfter - publishedBefore).isEqualTo(1);
  }

  private static Map<String, Object> input(String provider, Map<String, Object> sandboxDirectives) {
    Map<String, Object> input = new HashMap<>(Map.of("prompt", "a lighthouse"));
    input.put("sandbox", sandboxDirectives);
    return input;
  }

  private static int post(String url, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void awaitCallbacksSettled(String jobId) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofMillis(300)).until(() -> {
      List<CallbackDelivery> mine = sandbox.callbacks().stream().filter(c -> c.body().contains(jobId)).toList();
      return !mine.isEmpty() && mine.get(mine.size() - 1).at().isBefore(Instant.now().minusMillis(500));
    });
  }

  private static long correlations(String jobId) {
    return recordsOf(ValueType.PROCESS_MESSAGE_SUBSCRIPTION).stream()
        .filter(r -> r.getIntent() == ProcessMessageSubscriptionIntent.CORRELATED)
        .filter(r -> jobId.equals(((ProcessMessageSubscriptionRecordValue) r.getValue()).getCorrelationKey()))
        .count();
  }

  private static List<Record<?>> recordsOf(ValueType type) {
    return stack.records(type);
  }

  private static Map<String, Object> run(String process, Map<String, Object> variables) {
    return stack.run(process, variables);
  }

  private static BpmnModelInstance lateCatchProcess() {
    return Bpmn.createExecutableProcess("late-catch")
        .startEvent()
        .serviceTask("submit", t -> submitTask(t, "FAL"))
        .intermediateCatchEvent("pause").timerWithDuration("PT2S")
        .intermediateCatchEvent("callback").message(m -> m.name("aigen-generation-done").zeebeCorrelationKeyExpression("aiJob.jobId"))
        .endEvent()
        .done();
  }

  /** A parallel multi-instance sub-process: submit with callback, then wait, per prompt. */
  private static BpmnModelInstance fanOutProcess() {
    return Bpmn.createExecutableProcess("callback-fan-out")
        .startEvent()
        .subProcess("perPrompt", s -> s.multiInstance(mi -> mi.parallel().zeebeInputCollectionExpression("prompts").zeebeInputElement("prompt")
                .zeebeOutputCollection("generations").zeebeOutputElementExpression("{prompt: prompt, jobId: aiJob.jobId, status: generation.status, outputs: generation.outputs}"))
            .zeebeInputExpression("null", "aiJob")
            .zeebeInputExpression("null", "generation")
            .embeddedSubProcess()
            .startEvent()
            .serviceTask("submit", t -> submitTask(t, "FAL").zeebeInputExpression("{prompt: prompt, sandbox: {durationMs: 300}}", "input"))
            .intermediateCatchEvent("callback").message(m -> m.name("aigen-generation-done").zeebeCorrelationKeyExpression("aiJob.jobId"))
            .endEvent())
        .endEvent()
        .done();
  }

  private static io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder submitTask(io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder task, String provider) {
    return task.zeebeJobType("io.aigen:ai-generation:1")
        .zeebeTaskHeader("operation", "submit")
        .zeebeTaskHeader("resultVariable", "aiJob")
        .zeebeInput(provider, "provider")
        .zeebeInput("{{secrets.FAL_KEY}}", "apiKey")
        .zeebeInput("fal-ai/flux/dev", "model")
        .zeebeInputExpression("if is defined(input) then input else null", "input")
        .zeebeInputExpression("true", "waitForCallback");
  }

}
