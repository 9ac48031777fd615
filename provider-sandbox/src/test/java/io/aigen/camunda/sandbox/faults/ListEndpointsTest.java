package io.aigen.camunda.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The list endpoints a client can find an already created job with (docs/providers.md §2.1, §4.1,
 * §7.1), each echoing what the submit sent.
 */
class ListEndpointsTest {

  private static final SandboxHttp HTTP = new SandboxHttp(null);
  private static final String BEARER = "Bearer test";
  private static ProviderSandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static JsonNode call(String method, String url, String body) {
    SandboxHttp.Reply reply = HTTP.call(method, url, body, "Authorization", BEARER);
    assertThat(reply.status()).as(reply.response().body()).isBetween(200, 299);
    return reply.json();
  }

  @Test
  void replicateListsPredictionsNewestFirstInPagesOf100WithTheirInput() {
    String base = sandbox.providerBaseUrl("replicate");
    Instant before = Instant.now().minusSeconds(1);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 105; i++) {
      created.add(call("POST", base + "/models/acme/model/predictions", "{\"input\":{\"prompt\":\"p\",\"marker\":\"m" + i + "\"}}").get("id").asText());
    }
    JsonNode first = call("GET", base + "/predictions?created_after=" + before, null);
    assertThat(first.get("results")).hasSize(100);
    assertThat(first.get("results").get(0).at("/input/marker").asText()).isEqualTo("m104");
    assertThat(first.get("next").asText()).startsWith(base + "/predictions?cursor=100");
    JsonNode second = call("GET", first.get("next").asText(), null);
    assertThat(second.get("results")).hasSize(5);
    assertThat(second.get("next").isNull()).isTrue();
    assertThat(call("GET", base + "/predictions?created_after=" + Instant.now().plusSeconds(60), null).get("results")).isEmpty();
  }

  @Test
  void lumaListsGenerationsByLimitAndOffsetWithTheirRequest() {
    String base = sandbox.providerBaseUrl("luma");
    for (int i = 0; i < 3; i++) {
      call("POST", base + "/generations/video", "{\"model\":\"ray-2\",\"prompt\":\"p\",\"marker\":\"l" + i + "\"}");
    }
    JsonNode page = call("GET", base + "/generations?limit=2&offset=0", null);
    assertThat(page.get("generations")).hasSize(2);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(page.get("generations").get(0).at("/request/marker").asText()).isEqualTo("l2");
    JsonNode rest = call("GET", base + "/generations?limit=2&offset=2", null);
    assertThat(rest.get("generations")).hasSize(1);
    assertThat(rest.get("has_more").asBoolean()).isFalse();
  }

  @Test
  void oxenListsActiveGenerationsAndEndedOnesByStatusWithTheirParameters() {
    String base = sandbox.providerBaseUrl("oxen");
    call("POST", base + "/ai/queue", "{\"model\":\"flux-2-dev\",\"prompt\":\"p\",\"marker\":\"o1\",\"sandbox\":{\"durationMs\":60000}}");
    call("POST", base + "/ai/queue", "{\"model\":\"flux-2-dev\",\"prompt\":\"p\",\"marker\":\"o2\",\"sandbox\":{\"durationMs\":0}}");
    JsonNode active = call("GET", base + "/ai/queue", null);
    assertThat(active.get("generations")).extracting(g -> g.path("marker").asText()).contains("o1").doesNotContain("o2");
    JsonNode succeeded = call("GET", base + "/ai/queue?status=succeeded", null);
    assertThat(succeeded.get("generations")).extracting(g -> g.path("marker").asText()).contains("o2").doesNotContain("o1");
  }
}
