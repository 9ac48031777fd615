package io.aigen.camunda.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JournalTest {

  private static final String KEY = "secret-key-id:secret-key-value";

  private ProviderSandbox sandbox;
  private final SandboxHttp fal = new SandboxHttp(KEY);

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withFalKey(KEY).withDefaultJobDuration(Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void recordsEveryCallWithItsAnswerButNeverTheKey() {
    Instant before = Instant.now();
    JsonNode submitted = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev?fal_webhook=x", "{\"prompt\":\"journal me\"}").json();
    fal.get(submitted.get("status_url").asText() + "?logs=1");
    fal.put(submitted.get("cancel_url").asText());
    new SandboxHttp(null).get(sandbox.baseUrl() + "/nowhere");

    List<JournalEntry> entries = sandbox.journal().entries();
    assertThat(entries).extracting(JournalEntry::method, JournalEntry::responseStatus)
        .containsExactly(
            tuple("POST", 200),
            tuple("GET", 202),
            tuple("PUT", 200),
            tuple("GET", 404));
    JournalEntry submit = entries.getFirst();
    assertThat(submit.path()).isEqualTo("/fal/fal-ai/flux/dev");
    assertThat(submit.query()).isEqualTo("fal_webhook=x");
    assertThat(submit.requestBody()).isEqualTo("{\"prompt\":\"journal me\"}");
    assertThat(submit.at()).isAfterOrEqualTo(before);
    assertThat(entries.get(2).requestBody()).isEmpty();
    assertThat(entries.get(2).query()).isEmpty();
    assertThat(entries).allSatisfy(entry -> assertThat(entry.toString()).doesNotContain("secret"));
  }

  @Test
  void filtersByMethodAndPathAndCanBeCleared() {
    JsonNode submitted = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{}").json();
    fal.get(submitted.get("status_url").asText());
    fal.get(submitted.get("status_url").asText());

    Journal journal = sandbox.journal();
    assertThat(journal.matching("GET", ".*/requests/[^/]+/status")).hasSize(2);
    assertThat(journal.matching("post", "/fal/.*")).hasSize(1);
    assertThat(journal.matching(null, "/fal/.*")).hasSize(3);
    assertThat(journal.matching("GET", "/status")).as("whole path must match").isEmpty();

    journal.clear();
    assertThat(journal.entries()).isEmpty();
  }

  @Test
  void keepsOnlyTheStartOfLargeBodies() {
    String prompt = "x".repeat(10_000);
    fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{\"prompt\":\"" + prompt + "\"}");

    assertThat(sandbox.journal().entries().getFirst().requestBody()).hasSize(Journal.MAX_BODY_BYTES);
  }

  @Test
  void listenersSeeEveryEntryBeforeTheAnswerAndFaultyOnesAreIgnored() {
    List<JournalEntry> seen = new CopyOnWriteArrayList<>();
    Consumer<JournalEntry> listener = seen::add;
    sandbox.journal().addListener(entry -> {
      throw new IllegalStateException("a broken listener");
    });
    sandbox.journal().addListener(listener);

    JsonNode submitted = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", "{\"prompt\":\"listen\"}").json();
    assertThat(seen).as("seen before the answer arrived").hasSize(1);
    fal.get(submitted.get("status_url").asText());
    sandbox.journal().removeListener(listener);
    fal.get(submitted.get("status_url").asText());

    assertThat(seen).extracting(JournalEntry::method, JournalEntry::responseStatus).containsExactly(tuple("POST", 200), tuple("GET", 202));
    assertThat(seen.getFirst().requestBody()).isEqualTo("{\"prompt\":\"listen\"}");
    assertThat(sandbox.journal().entries()).hasSize(3);
  }
}
