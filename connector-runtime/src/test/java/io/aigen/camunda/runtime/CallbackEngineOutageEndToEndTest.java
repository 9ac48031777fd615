package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigen.camunda.runtime.support.EngineLink;
import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.CallbackDelivery;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.zeebe.client.api.ZeebeFuture;
import io.camunda.zeebe.client.api.response.ProcessInstanceResult;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.ProcessMessageSubscriptionIntent;
import io.camunda.zeebe.protocol.record.value.ProcessMessageSubscriptionRecordValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine is unreachable when a callback arrives: the runtime answers 503 with {@code
 * Retry-After}, the sandbox's fal sends the webhook again after that pause, and once the engine is
 * back the retry is correlated, once. The runtime reaches the engine through an {@link EngineLink}
 * that the test cuts and restores; the test itself talks to the engine directly.
 */
class CallbackEngineOutageEndToEndTest {

  private static RuntimeStack stack;
  private static ProviderSandbox sandbox;
  private static EngineLink link;
  private static ConfigurableApplicationContext runtime;

  @Configuration
  static class Keys {
    @Bean
    SecretProvider outageSecrets() {
      return new SecretProvider() {
        @Override
        public String getSecret(String name, SecretContext context) {
          return name.endsWith("_KEY") ? "e2e-key" : null;
        }
      };
    }
  }

  @BeforeAll
  static void start() {
    stack = RuntimeStack.start(SandboxOptions.defaults()).deployExamples("processes/ai-generation-fal-callback.bpmn").completeJobsOf("aigen-demo:report");
    sandbox = stack.sandbox();
    link = new EngineLink(stack.enginePort());
    runtime = stack.startRuntime(link.port(), List.of(Keys.class), "--aigen.public-base-url=" + stack.runtimeUrl(""), "--aigen.callbacks.fal-jwks-url=" + sandbox.falJwksUrl());
  }

  @AfterAll
  static void stop() {
    runtime.close();
    link.close();
    stack.close();
  }

  @Test
  void engineUnavailableDuringACallbackIs503AndTheProvidersRetryIsCorrelatedOnce() {
    ZeebeFuture<ProcessInstanceResult> instance =
        stack.client().newCreateInstanceCommand().bpmnProcessId("ai-generation-fal-callback").latestVersion()
            .variables(Map.of("input", Map.of("prompt", "a lighthouse", "sandbox", Map.of("durationMs", 2000))))
            // about 10 s: submit, the job's 2 s, the refused callback, Retry-After 5 s, the retry
            .withResult().requestTimeout(Duration.ofSeconds(30)).send();
    // the submit is done and the instance waits at the catch event: only the callback is left
    String jobId = await().atMost(Duration.ofSeconds(20)).until(CallbackEngineOutageEndToEndTest::openSubscription, key -> key != null);

    link.cut();
    CallbackDelivery refused = await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(jobId).stream().filter(d -> d.status() == 503).findFirst().orElse(null), d -> d != null);
    link.restore();

    Map<String, Object> variables = instance.join().getVariablesAsMap();
    assertThat(((Map<?, ?>) variables.get("generation")).get("status")).as("variables %s", variables).isEqualTo("SUCCEEDED");
    List<CallbackDelivery> attempts = deliveries(jobId);
    CallbackDelivery delivered = attempts.get(attempts.size() - 1);
    assertThat(delivered.status()).as("attempts %s", attempts).isEqualTo(200);
    assertThat(attempts).as("503 while the engine was unreachable, then delivered").extracting(CallbackDelivery::status).startsWith(503).endsWith(200);
    assertThat(Duration.between(refused.at(), attempts.get(attempts.indexOf(refused) + 1).at()))
        .as("the retry honours Retry-After: 5").isGreaterThanOrEqualTo(Duration.ofMillis(4900));
    assertThat(correlations(jobId)).isEqualTo(1);
  }

  private static List<CallbackDelivery> deliveries(String jobId) {
    return sandbox.callbacks().stream().filter(c -> c.body().contains(jobId)).toList();
  }

  /** The correlation key (fal's request id) of the catch event's subscription, once it is open. */
  private static String openSubscription() {
    return stack.records(ValueType.PROCESS_MESSAGE_SUBSCRIPTION).stream()
        .filter(r -> r.getIntent() == ProcessMessageSubscriptionIntent.CREATED)
        .map(r -> ((ProcessMessageSubscriptionRecordValue) r.getValue()).getCorrelationKey())
        .findFirst().orElse(null);
  }

  private static long correlations(String jobId) {
    return stack.records(ValueType.PROCESS_MESSAGE_SUBSCRIPTION).stream()
        .filter(r -> r.getIntent() == ProcessMessageSubscriptionIntent.CORRELATED)
        .filter(r -> jobId.equals(((ProcessMessageSubscriptionRecordValue) r.getValue()).getCorrelationKey()))
        .count();
  }
}
