package io.aigen.camunda.sandbox.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The knobs for clients that copy outputs: another content type, padding, expiry, and the journal's credential headers. */
class MediaKnobsTest {

  private ProviderSandbox sandbox;
  private final SandboxHttp http = new SandboxHttp(null);

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ZERO));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private String outputOf(String model, String input) {
    JsonNode created = http.call("POST", sandbox.providerBaseUrl("replicate") + "/models/" + model + "/predictions", "{\"input\":" + input + "}",
        "Authorization", "Bearer r8_test").json();
    JsonNode output = created.get("output");
    JsonNode done = output != null && !output.isNull() ? created
        : http.call("GET", created.path("urls").path("get").asText(), null, "Authorization", "Bearer r8_test").json();
    JsonNode urls = done.get("output");
    return urls.isArray() ? urls.get(0).asText() : urls.asText();
  }

  private HttpResponse<byte[]> download(String url) {
    return http.send(http.request(url).GET(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void outputsCanBeServedWithAnotherContentTypeOrPaddedToASize() {
    String page = outputOf("black-forest-labs/flux-schnell", "{\"prompt\":\"x\",\"sandbox\":{\"outputContentType\":\"text/html\"}}");
    String big = outputOf("minimax/video-01", "{\"prompt\":\"x\",\"sandbox\":{\"outputBytes\":100000}}");

    HttpResponse<byte[]> html = download(page);
    assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html");
    assertThat(new String(html.body(), 1, 3)).isEqualTo("PNG");
    HttpResponse<byte[]> video = download(big);
    assertThat(video.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(video.body()).hasSize(100_000);
    assertThat(new String(video.body(), 4, 4)).isEqualTo("ftyp");
  }

  @Test
  void expiringTheMediaDeletesEveryFileServedSoFar() {
    String image = outputOf("black-forest-labs/flux-schnell", "{\"prompt\":\"x\"}");
    assertThat(download(image).statusCode()).isEqualTo(200);

    assertThat(sandbox.expireMedia()).isEqualTo(1);

    assertThat(download(image).statusCode()).isEqualTo(404);
  }

  @Test
  void theJournalNamesTheCredentialHeadersARequestCarriedButNeverTheirValues() {
    String image = outputOf("black-forest-labs/flux-schnell", "{\"prompt\":\"x\"}");
    http.call("GET", image, null, "X-Api-Key", "k-123");
    download(image);

    List<JournalEntry> entries = sandbox.journal().entries();
    assertThat(entries.getFirst().credentialHeaders()).containsExactly("authorization");
    assertThat(entries.get(entries.size() - 2).credentialHeaders()).containsExactly("x-api-key");
    assertThat(entries.getLast().credentialHeaders()).isEmpty();
    assertThat(entries.toString()).doesNotContain("r8_test").doesNotContain("k-123");
  }

  @Test
  void anUnknownOrWrongKnobIsRefusedNamingIt() {
    JsonNode refused = http.call("POST", sandbox.providerBaseUrl("replicate") + "/models/a/b/predictions",
        "{\"input\":{\"prompt\":\"x\",\"sandbox\":{\"outputBytes\":-1}}}", "Authorization", "Bearer r8_test").json();
    assertThat(refused.path("status").asInt()).isEqualTo(422);
    assertThat(refused.path("detail").asText()).contains("sandbox.outputBytes");
  }
}
