package io.aigen.camunda.connector.http;

import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import io.aigen.camunda.connector.job.EnginePace;
import io.aigen.camunda.connector.callback.CallbackUrls;
import static io.aigen.camunda.connector.support.FalFixture.APP_PATH;
import static io.aigen.camunda.connector.support.FalFixture.json;
import static io.aigen.camunda.connector.support.FalFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.support.FalFixture;
import io.aigen.camunda.connector.support.MutableClock;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fal hands us status/result/cancel URLs in its answers, and we send the API key to them. A URL
 * on any other origin (scheme, host or port) must be refused before a single byte leaves.
 */
class HostGuardTest {

  private MockWebServer fal;
  /** Another origin: same machine, different port. */
  private MockWebServer foreign;
  private MutableClock clock;
  private PollSpec spec;
  private GenerationClient client;

  @BeforeEach
  void start() {
    fal = FalFixture.server();
    foreign = FalFixture.server();
    clock = MutableClock.at("2026-08-01T10:00:00Z");
    spec = FalFixture.spec(fal);
    client = FalFixture.client(spec, clock);
  }

  @AfterEach
  void stop() throws Exception {
    fal.shutdown();
    foreign.shutdown();
  }

  private JobHandle submitWith(String statusUrl, String responseUrl, String cancelUrl) {
    fal.enqueue(json(200, FalFixture.submitAnswer(statusUrl, responseUrl, cancelUrl)));
    return clock.toFirstPoll(spec.timing(), client.submit("fal-ai/flux/dev", parse("{\"prompt\":\"a cat\"}"), GenerationClient.SubmitExtras.NONE));
  }

  private String falUrl(String suffix) {
    return fal.url(APP_PATH + suffix).toString();
  }

  private String foreignUrl(String suffix) {
    return foreign.url(APP_PATH + suffix).toString();
  }

  @Test
  void statusUrlOnAnotherPortIsRefusedNamingStatusUrlAndTheForeignServerGetsNothing() {
    JobHandle handle = submitWith(foreignUrl("/status"), falUrl(""), falUrl("/cancel"));

    assertThatThrownBy(() -> client.poll(handle))
        .isInstanceOf(ProviderRejected.class)
        .hasMessageContaining("status_url")
        .hasMessageContaining(":" + foreign.getPort());
    assertThat(foreign.getRequestCount()).isZero();
    assertThat(fal.getRequestCount()).as("only the submit").isEqualTo(1);
  }

  @Test
  void statusUrlOnAnotherLoopbackAddressIsRefusedAndThatServerGetsNothing() throws Exception {
    MockWebServer other = new MockWebServer();
    try {
      other.start(InetAddress.getByName("127.0.0.2"), 0);
    } catch (java.io.IOException e) {
      Assumptions.abort("127.0.0.2 is not a loopback address on this machine: " + e.getMessage());
    }
    try {
      JobHandle handle = submitWith("http://127.0.0.2:" + other.getPort() + APP_PATH + "/status", falUrl(""), falUrl("/cancel"));

      assertThatThrownBy(() -> new WaitStep(client, spec.timing(), EnginePace.STEADY, clock).step(handle))
          .isInstanceOf(ProviderRejected.class)
          .hasMessageContaining("status_url")
          .hasMessageContaining("127.0.0.2");
      assertThat(other.getRequestCount()).isZero();
    } finally {
      other.shutdown();
    }
  }

  @Test
  void statusUrlOnAForeignDomainIsRefusedBeforeAnyLookup() {
    JobHandle handle = submitWith("http://evil.example/fal-ai/flux/requests/x/status", falUrl(""), falUrl("/cancel"));

    assertThatThrownBy(() -> client.poll(handle))
        .isInstanceOf(ProviderRejected.class)
        .hasMessageContaining("status_url")
        .hasMessageContaining("evil.example");
    assertThat(fal.getRequestCount()).isEqualTo(1);
  }

  @Test
  void statusUrlWithTheFalHostAsUserInfoIsStillAForeignHost() {
    // http://<fal host>:<fal port>@<other origin>/... starts like fal's origin, but that part is user info.
    String sneaky = "http://" + fal.getHostName() + ":" + fal.getPort() + "@" + "127.0.0.1:" + foreign.getPort() + APP_PATH + "/status";
    JobHandle handle = submitWith(sneaky, falUrl(""), falUrl("/cancel"));

    assertThatThrownBy(() -> client.poll(handle)).isInstanceOf(ProviderRejected.class).hasMessageContaining("status_url");
    assertThat(foreign.getRequestCount()).isZero();
  }

  @Test
  void statusUrlOnTheSameHostAndPortButAnotherSchemeIsRefused() {
    String https = "https://" + fal.getHostName() + ":" + fal.getPort() + APP_PATH + "/status";
    JobHandle handle = submitWith(https, falUrl(""), falUrl("/cancel"));

    assertThatThrownBy(() -> client.poll(handle)).isInstanceOf(ProviderRejected.class).hasMessageContaining("status_url");
    assertThat(fal.getRequestCount()).isEqualTo(1);
  }

  @Test
  void responseUrlOnAnotherOriginIsRefusedNamingResponseUrlAfterCompleted() {
    JobHandle handle = submitWith(falUrl("/status"), foreignUrl(""), falUrl("/cancel"));
    fal.enqueue(json(200, "{\"status\":\"COMPLETED\",\"request_id\":\"x\"}"));

    assertThatThrownBy(() -> new WaitStep(client, spec.timing(), EnginePace.STEADY, clock).step(handle))
        .isInstanceOf(ProviderRejected.class)
        .hasMessageContaining("response_url");
    assertThat(foreign.getRequestCount()).isZero();
    assertThat(fal.getRequestCount()).as("submit + status").isEqualTo(2);
  }

  @Test
  void cancelUrlOnAnotherOriginIsRefusedNamingCancelUrl() {
    JobHandle handle = submitWith(falUrl("/status"), falUrl(""), foreignUrl("/cancel"));

    assertThatThrownBy(() -> client.cancel(handle)).isInstanceOf(ProviderRejected.class).hasMessageContaining("cancel_url");
    assertThat(foreign.getRequestCount()).isZero();
  }

  @Test
  void timeoutWithAForeignCancelUrlStillTimesOutAndSendsNothingThere() {
    JobHandle handle = submitWith(falUrl("/status"), falUrl(""), foreignUrl("/cancel"));
    clock.advance(spec.timing().maxDuration().plusSeconds(1));

    assertThatThrownBy(() -> new WaitStep(client, spec.timing(), EnginePace.STEADY, clock).step(handle))
        .isInstanceOfSatisfying(
            GenerationFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.AI_GENERATION_TIMEOUT);
              assertThat(f.getMessage()).contains("cancel_url");
            });
    assertThat(foreign.getRequestCount()).isZero();
  }

  @Test
  void redirectOnStatusIsNotFollowedToAnotherOrigin() {
    JobHandle handle = submitWith(falUrl("/status"), falUrl(""), falUrl("/cancel"));
    fal.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", foreignUrl("/status")));

    assertThatThrownBy(() -> client.poll(handle)).isInstanceOf(ProviderRejected.class).hasMessageContaining("302");
    assertThat(foreign.getRequestCount()).isZero();
  }

  @Test
  void tamperedHandleGivenToAwaitIsRefusedBeforeSendingTheKey() {
    // The handle is a process variable: anyone who can edit variables can rewrite its URLs.
    GenerationOperations operations =
        new GenerationOperations(new ProviderSpecs(new ProviderSettings(Map.of("fal", fal.url("/").toString()))), new GenerationClients(ProviderHttp.withDefaults(), LocalResultStore.inTempDirectory(), clock), new CallbackUrls(null), clock, Json.mapper(), EnginePace.STEADY);
    JobHandle tampered = new JobHandle("fal", "x", "fal-ai/flux/dev", List.of(new JobHandle.Part("x", foreignUrl("/status"), falUrl(""), falUrl("/cancel"))), clock.instant().minusSeconds(60), null, null);

    assertThatThrownBy(() -> operations.await(new AwaitRequest("test-key", tampered, null, null)))
        .isInstanceOf(ProviderRejected.class)
        .hasMessageContaining("status_url");
    assertThat(foreign.getRequestCount()).isZero();
    assertThat(fal.getRequestCount()).isZero();
  }

  @Test
  void sameOriginUrlsFromTheAnswerAreAccepted() {
    JobHandle handle = submitWith(falUrl("/status"), falUrl(""), falUrl("/cancel"));
    fal.enqueue(json(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":0}"));

    assertThat(new WaitStep(client, spec.timing(), EnginePace.STEADY, clock).step(handle)).isInstanceOf(WaitStep.Pending.class);
    assertThat(fal.getRequestCount()).isEqualTo(2);
  }
}
