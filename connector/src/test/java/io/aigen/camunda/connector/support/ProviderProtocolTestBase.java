package io.aigen.camunda.connector.support;

import io.aigen.camunda.connector.job.EnginePace;
import static io.aigen.camunda.connector.support.ProviderFixture.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.spec.PollSpec;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared bench of a built-in provider's protocol test: a {@link ProviderFixture#server() MockWebServer}
 * playing the provider, a {@link MutableClock} at a fixed start, the preset moved to the server
 * ({@link ProviderFixture#spec}) and its client with results in a temporary directory. Plus the few
 * steps every protocol test repeats; what is sent and answered stays in each test.
 */
public abstract class ProviderProtocolTestBase {

  @TempDir protected Path results;
  protected MockWebServer server;
  protected MutableClock clock;
  protected PollSpec spec;
  protected GenerationClient client;

  private final ProviderId provider;
  private final String startsAt;

  /** @param startsAt the clock's start, an ISO instant */
  protected ProviderProtocolTestBase(ProviderId provider, String startsAt) {
    this.provider = provider;
    this.startsAt = startsAt;
  }

  @BeforeEach
  void startProviderServer() {
    server = ProviderFixture.server();
    clock = MutableClock.at(startsAt);
    spec = ProviderFixture.spec(provider, server);
    client = ProviderFixture.client(spec, clock, results);
  }

  @AfterEach
  void stopProviderServer() throws Exception {
    server.shutdown();
  }

  protected WaitStep waitStep() {
    return new WaitStep(client, spec.timing(), EnginePace.STEADY, clock);
  }

  /** Queues {@code answer}, submits {@code input} for {@code model} and takes the submit request off the server. */
  protected JobHandle submitAnswered(MockResponse answer, String model, JsonNode input) {
    server.enqueue(answer);
    JobHandle handle = client.submit(model, input, GenerationClient.SubmitExtras.NONE);
    next(server);
    return handle;
  }

  /** {@code handle}, with the clock moved to when its first poll is due. */
  protected JobHandle atFirstPoll(JobHandle handle) {
    return clock.toFirstPoll(spec.timing(), handle);
  }

  /** Queues {@code answers} (one per request the step will make) and takes one wait step for {@code handle}. */
  protected WaitStep.Outcome stepAnswered(JobHandle handle, MockResponse... answers) {
    for (MockResponse answer : answers) {
      server.enqueue(answer);
    }
    return waitStep().step(handle);
  }

  /** The result of an outcome that must be {@link WaitStep.Done}. */
  protected static GenerationResult done(WaitStep.Outcome outcome) {
    assertThat(outcome).isInstanceOf(WaitStep.Done.class);
    return ((WaitStep.Done) outcome).result();
  }

  /** The outcome is {@link WaitStep.Pending} with the provider's {@code status}, waiting {@code delay}. */
  protected static void assertPending(WaitStep.Outcome outcome, String status, Duration delay) {
    assertThat(outcome).isInstanceOfSatisfying(
        WaitStep.Pending.class,
        p -> {
          assertThat(p.providerStatus()).isEqualTo(status);
          assertThat(p.delay()).isEqualTo(delay);
        });
  }

  /** The request is {@code method path} carrying {@code authHeader: authValue}; returned for further checks. */
  protected static RecordedRequest assertRequest(RecordedRequest request, String method, String path, String authHeader, String authValue) {
    assertThat(request.getMethod()).isEqualTo(method);
    assertThat(request.getPath()).isEqualTo(path);
    assertThat(request.getHeader(authHeader)).isEqualTo(authValue);
    return request;
  }

  /** The request is {@code method path} with {@code Authorization: Bearer test-key}; returned for further checks. */
  protected static RecordedRequest assertBearerRequest(RecordedRequest request, String method, String path) {
    return assertRequest(request, method, path, "Authorization", "Bearer " + ProviderFixture.KEY);
  }

  /** {@code call} throws a {@link GenerationFailure} with {@code code} whose message mentions each of {@code mentions}. */
  protected static void assertGenerationFailure(ThrowingCallable call, ErrorCode code, String... mentions) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            GenerationFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(code);
              for (String mention : mentions) {
                assertThat(f.getMessage()).contains(mention);
              }
            });
  }
}
