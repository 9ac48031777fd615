package io.aigen.camunda.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.runtime.support.HeadlessChromium;
import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The runtime's page of generations: served at {@code /} and {@code /generations}, fed by the job
 * worker, and, in headless Chromium during a demo-like run, showing images, videos and a waiting
 * generation's progress, and updating by itself when that generation finishes.
 */
class GenerationsPageTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RuntimeStack stack;
  private static ConfigurableApplicationContext runtime;

  @BeforeAll
  static void start() {
    stack = RuntimeStack.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ofMillis(400)))
        .deployExamples("processes/*.bpmn")
        .completeJobsOf("aigen-demo:report");
    runtime = stack.startRuntime(List.of(ProviderEndToEndTest.SandboxKeys.class),
        "--aigen.public-base-url=" + stack.runtimeUrl(""),
        "--aigen.callbacks.fal-jwks-url=" + stack.sandbox().falJwksUrl());
  }

  @AfterAll
  static void stop() {
    runtime.close();
    stack.close();
  }

  @Test
  void rootAndGenerationsAnswerWithThePageAndItsOwnScriptAndStyles() throws Exception {
    for (String path : List.of("/", "/generations")) {
      HttpResponse<String> page = get(path);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
      assertThat(page.body()).contains("<title>AI generations</title>").contains("src=\"generations.js\"").contains("href=\"generations.css\"")
          .contains("The engine keeps the state of record").doesNotContain("https://");
    }
    assertThat(get("/generations.js").statusCode()).isEqualTo(200);
    assertThat(get("/generations.js").body()).contains("new EventSource('generations/events')").doesNotContain("https://");
    assertThat(get("/generations.css").statusCode()).isEqualTo(200);
  }

  @Test
  void theFeedShowsAFinishedGenerationWithWhereItRanAndItsOutputs() throws Exception {
    long instance = runExample("fal", Map.of("prompt", "a lighthouse", "sandbox", Map.of("durationMs", 300)));

    JsonNode feed = JSON.readTree(get("/generations/feed").body());

    assertThat(feed.path("capacity").asInt()).isEqualTo(500);
    JsonNode generation = generationOf(feed, instance);
    assertThat(generation.path("processId").asText()).isEqualTo("ai-generation-fal");
    assertThat(generation.path("elementId").asText()).isEqualTo("generate");
    assertThat(generation.path("provider").asText()).isEqualTo("fal");
    assertThat(generation.path("model").asText()).isEqualTo("fal-ai/flux/dev");
    assertThat(generation.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(generation.path("polls").asInt()).isPositive();
    assertThat(generation.path("finishedAt").asText()).isNotBlank();
    assertThat(generation.path("outputs").get(0).path("kind").asText()).isEqualTo("image");
  }

  @Test
  void theEventStreamBeginsWithASnapshotOfTheFeed() throws Exception {
    HttpResponse<InputStream> stream = HTTP.send(
        HttpRequest.newBuilder(URI.create(stack.runtimeUrl("/generations/events"))).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("event:snapshot");
      String data = lines.readLine();
      assertThat(data).startsWith("data:");
      assertThat(JSON.readTree(data.substring("data:".length())).path("capacity").asInt()).isEqualTo(500);
    }
  }

  /**
   * A demo-like run: an image and a video finished, one failed, one called back, a video still
   * waiting. The browser must show them all, the waiting one with its progress, and then the waiting
   * one's video once it finished, without a reload (the page follows the server's events).
   */
  @Test
  void inHeadlessChromiumThePageShowsImagesVideosAndProgressAndFollowsAGenerationToItsEnd() throws Exception {
    long image = runExample("fal", Map.of("prompt", "A lighthouse at dawn, watercolor", "image_size", "square", "sandbox", Map.of("durationMs", 300)));
    long video = runExample("runway", Map.of("promptImage", "https://example.com/first-frame.jpg", "promptText", "slow dolly in", "ratio", "1280:720",
        "sandbox", Map.of("durationMs", 300)));
    long failed = runExample("fal", Map.of("prompt", "[fail] this prompt makes the sandbox fail the job", "sandbox", Map.of("durationMs", 300)));
    long calledBack = runExample("fal-callback", Map.of("prompt", "a paper crane, called back", "image_size", "square", "sandbox", Map.of("durationMs", 300)));

    try (HeadlessChromium browser = HeadlessChromium.start(1400, 1000)) {
      browser.navigate(stack.runtimeUrl("/"));
      browser.evaluate("window.__sameDocument = true");
      // started once the page is up, so its waiting phase cannot pass before the browser looks
      long waiting = startExample("runway", Map.of("promptImage", "https://example.com/coast.jpg", "promptText", "a long drone flight over the coast",
          "ratio", "1280:720", "sandbox", Map.of("durationMs", 8_000)), "PT1S");

      browser.waitFor(card(image) + "?.dataset.status === 'SUCCEEDED' && " + card(image) + ".querySelector('.outputs img')?.naturalWidth > 0",
          Duration.ofSeconds(15), "the finished image to be shown");
      browser.waitFor(card(video) + "?.dataset.status === 'SUCCEEDED' && !!" + card(video) + ".querySelector('.outputs video[src$=\".mp4\"]')",
          Duration.ofSeconds(15), "the finished video's player");
      browser.waitFor(card(failed) + "?.dataset.status === 'FAILED' && " + card(failed) + ".querySelector('.error').textContent.includes('AI_GENERATION_FAILED')",
          Duration.ofSeconds(15), "the failed generation with its error");
      browser.waitFor(card(calledBack) + "?.dataset.status === 'SUCCEEDED' && " + card(calledBack) + ".querySelector('.tag')?.textContent === 'callback' && "
          + card(calledBack) + ".querySelector('.outputs img')?.naturalWidth > 0", Duration.ofSeconds(15), "the called-back image");
      JsonNode progress = browser.waitFor(
          "(" + card(waiting) + "?.dataset.status === 'WAITING' && " + card(waiting) + ".querySelector('.progress-text')?.textContent) || ''",
          Duration.ofSeconds(15), "the waiting video's progress", value -> value.asText().matches("\\d+%"));
      assertThat(progress.asText()).matches("\\d+%");
      assertThat(browser.evaluate(card(waiting) + ".querySelector('progress').value").asDouble()).isBetween(0.0, 100.0);
      assertThat(browser.evaluate(card(waiting) + ".querySelector('.where').textContent").asText()).isEqualTo("ai-generation-runway › generate");
      assertThat(browser.evaluate(card(waiting) + ".querySelector('.meta').textContent").asText()).contains("runway").contains("gen4_turbo");
      assertThat(browser.evaluate(card(waiting) + ".querySelector('.polls').textContent").asText()).matches("\\d+ polls?");
      Path waitingShot = browser.screenshot(Path.of("target", "generations-page.png"), 1400);

      browser.waitFor(card(waiting) + "?.dataset.status === 'SUCCEEDED' && !!" + card(waiting) + ".querySelector('.outputs video')",
          Duration.ofSeconds(30), "the waiting video to finish on the page");
      assertThat(browser.evaluate("window.__sameDocument === true").asBoolean()).as("updated without a reload").isTrue();
      assertThat(browser.evaluate(card(waiting) + ".querySelector('.progress').hidden").asBoolean()).isTrue();
      Path finishedShot = browser.screenshot(Path.of("target", "generations-page-finished.png"), 1400);

      for (Path shot : List.of(waitingShot, finishedShot)) {
        byte[] png = Files.readAllBytes(shot);
        assertThat(png.length).isGreaterThan(10_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
      }
    }
  }

  private static String card(long processInstanceKey) {
    return "document.querySelector('article.generation[data-process-instance-key=\"" + processInstanceKey + "\"]')";
  }

  private static JsonNode generationOf(JsonNode feed, long processInstanceKey) {
    for (JsonNode generation : feed.path("generations")) {
      if (generation.path("processInstanceKey").asLong() == processInstanceKey) {
        return generation;
      }
    }
    throw new AssertionError("no generation of process instance " + processInstanceKey + " in " + feed);
  }

  private static long runExample(String provider, Map<String, Object> input) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("input", input);
    variables.put("pollInterval", "PT0.3S");
    return stack.client().newCreateInstanceCommand().bpmnProcessId("ai-generation-" + provider).latestVersion().variables(variables)
        .withResult().requestTimeout(Duration.ofSeconds(30)).send().join().getProcessInstanceKey();
  }

  private static long startExample(String provider, Map<String, Object> input, String pollInterval) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("input", input);
    variables.put("pollInterval", pollInterval);
    return stack.client().newCreateInstanceCommand().bpmnProcessId("ai-generation-" + provider).latestVersion().variables(variables)
        .send().join().getProcessInstanceKey();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(stack.runtimeUrl(path))).build(), HttpResponse.BodyHandlers.ofString());
  }
}
