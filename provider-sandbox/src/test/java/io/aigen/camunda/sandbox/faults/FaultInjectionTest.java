package io.aigen.camunda.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault kind as a client meets it, at a share, only where asked, and the same for the same seed. */
class FaultInjectionTest {

  private final SandboxHttp fal = new SandboxHttp("test-key");
  private final SandboxHttp bearer = new SandboxHttp(null);
  private ProviderSandbox sandbox;

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private void only(FaultKind kind) {
    sandbox.injectFaults(FaultPlan.of(1, 7).onlyKinds(Set.of(kind)).withRetryAfterSeconds(7).withSlowAnswer(Duration.ofMillis(1500)));
  }

  private Reply falSubmit(String prompt) {
    return fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{\"prompt\":\"" + prompt + "\"}");
  }

  private JournalEntry last() {
    List<JournalEntry> entries = sandbox.journal().entries();
    return entries.get(entries.size() - 1);
  }

  @Test
  void serverErrorAnswersInsteadOfTheProvider() {
    only(FaultKind.SERVER_ERROR);
    Reply reply = falSubmit("a fox");
    assertThat(reply.status()).isIn(500, 502, 503);
    assertThat(last().fault()).isEqualTo("SERVER_ERROR");
    assertThat(last().providerStatus()).as("the provider never saw it").isZero();
    assertThat(last().createdJob()).isFalse();
  }

  @Test
  void rateLimitedAnswers429WithRetryAfter() {
    only(FaultKind.RATE_LIMITED);
    Reply reply = falSubmit("a fox");
    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.header("Retry-After")).isEqualTo("7");
    assertThat(last().fault()).isEqualTo("RATE_LIMITED");
  }

  @Test
  void connectionResetClosesTheConnectionWithoutAnAnswer() {
    only(FaultKind.CONNECTION_RESET);
    assertThatThrownBy(() -> falSubmit("a fox")).isInstanceOf(UncheckedIOException.class);
    assertThat(sandbox.journal().entries()).isNotEmpty().allSatisfy(e -> {
      assertThat(e.fault()).isEqualTo("CONNECTION_RESET");
      assertThat(e.responseStatus()).isZero();
      assertThat(e.createdJob()).isFalse();
    });
  }

  @Test
  void readTimeoutAnswersAfterTheClientGaveUpButTheJobExists() {
    only(FaultKind.READ_TIMEOUT);
    assertThatThrownBy(() -> fal.send(fal.request(sandbox.falBaseUrl() + "/fal-ai/flux/dev").timeout(Duration.ofMillis(400))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a fox\"}")).header("Content-Type", "application/json")))
        .hasCauseInstanceOf(HttpTimeoutException.class);
    assertThat(last().fault()).isEqualTo("READ_TIMEOUT");
    assertThat(last().createdJob()).as("the provider created the job").isTrue();
  }

  @Test
  void malformedJsonKeepsTheStatusAndCutsTheBody() {
    only(FaultKind.MALFORMED_JSON);
    Reply reply = falSubmit("a fox");
    assertThat(reply.status()).isEqualTo(200);
    assertThatThrownBy(reply::json).isInstanceOf(UncheckedIOException.class);
    assertThat(last().createdJob()).isTrue();
  }

  @Test
  void emptyBodyIs200WithNothing() {
    only(FaultKind.EMPTY_BODY);
    Reply reply = falSubmit("a fox");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.response().body()).isEmpty();
    assertThat(last().createdJob()).isTrue();
  }

  @Test
  void unknownStatusReplacesTheStatusOfReadsOnly() {
    only(FaultKind.UNKNOWN_STATUS);
    Reply submitted = falSubmit("a fox");
    assertThat(submitted.status()).as("submits are not status reads").isEqualTo(200);
    assertThat(last().fault()).isNull();
    Reply status = fal.get(submitted.json().get("status_url").asText());
    assertThat(status.json().get("status").asText()).isEqualTo(FaultKind.UNKNOWN_STATUS_VALUE);
    assertThat(last().fault()).isEqualTo("UNKNOWN_STATUS");
  }

  @Test
  void createdThenErrorHitsSubmitsOnlyAfterTheJobWasCreated() {
    only(FaultKind.CREATED_THEN_ERROR);
    Reply reply = falSubmit("a fox");
    assertThat(reply.status()).isEqualTo(500);
    assertThat(last().fault()).isEqualTo("CREATED_THEN_ERROR");
    assertThat(last().createdJob()).isTrue();
    String requestId = sandbox.journal().entries().get(0).path();
    assertThat(requestId).isEqualTo("/fal/fal-ai/flux/dev");
    sandbox.injectFaults(FaultPlan.NONE);
    Reply again = falSubmit("another fox");
    only(FaultKind.CREATED_THEN_ERROR);
    assertThat(fal.get(again.json().get("status_url").asText()).status()).as("reads are not hit").isBetween(200, 299);
    assertThat(last().fault()).isNull();
  }

  @Test
  void onlyTheNamedProvidersAreHit() {
    sandbox.injectFaults(FaultPlan.of(1, 7).onlyFor(Set.of("replicate")).onlyKinds(Set.of(FaultKind.SERVER_ERROR)));
    assertThat(falSubmit("a fox").status()).isEqualTo(200);
    Reply replicate = bearer.call("POST", sandbox.providerBaseUrl("replicate") + "/models/black-forest-labs/flux-schnell/predictions",
        "{\"input\":{\"prompt\":\"a fox\"}}", "Authorization", "Bearer r8_test");
    assertThat(replicate.status()).isIn(500, 502, 503);
  }

  @Test
  void theShareIsKeptAndTheSameSeedHitsTheSameRequests() {
    List<String> first = faultsOf(0.3, 42);
    List<String> again = faultsOf(0.3, 42);
    List<String> otherSeed = faultsOf(0.3, 43);
    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
    long hit = first.stream().filter(f -> !f.equals("-")).count();
    assertThat(hit).as("about 30 %% of 300").isBetween(60L, 120L);
    assertThat(first.stream().filter(f -> !f.equals("-")).distinct()).as("every kind that applies to submits")
        .containsExactlyInAnyOrder("SERVER_ERROR", "RATE_LIMITED", "MALFORMED_JSON", "EMPTY_BODY", "CREATED_THEN_ERROR");
  }

  /** 300 submits (kinds that keep the connection: no reset, no timeout), the fault each met. */
  private List<String> faultsOf(double share, long seed) {
    sandbox.journal().clear();
    sandbox.injectFaults(FaultPlan.of(share, seed).onlyKinds(Set.of(FaultKind.SERVER_ERROR, FaultKind.RATE_LIMITED, FaultKind.MALFORMED_JSON,
        FaultKind.EMPTY_BODY, FaultKind.UNKNOWN_STATUS, FaultKind.CREATED_THEN_ERROR)));
    List<String> faults = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      falSubmit("generation " + i);
      String fault = last().fault();
      faults.add(fault == null ? "-" : fault);
    }
    return faults;
  }
}
