package io.aigen.camunda.runtime.demo;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The demo of the embedded mode: three generations against the sandbox, one that succeeds, one
 * that fails into the BPMN error path and one that is cancelled at its deadline. Their outcome is
 * printed by the example processes' report task.
 */
@Configuration
@ConditionalOnProperty(name = {"aigen.embedded.active", "aigen.demo.enabled"}, havingValue = "true", matchIfMissing = false)
public class DemoConfiguration {

  private static final Logger DEMO = LoggerFactory.getLogger("DEMO");

  @Bean(destroyMethod = "close")
  public JobWorker demoReportWorker(CamundaClient client) {
    return client
        .newWorker()
        .jobType("aigen-demo:report")
        .handler(
            (jobClient, job) -> {
              Map<String, Object> variables = job.getVariablesAsMap();
              String outcome = job.getCustomHeaders().get("outcome");
              Object detail =
                  switch (outcome) {
                    case "succeeded" -> ((Map<?, ?>) variables.get("generation")).get("outputs");
                    case "failed" -> variables.get("aiGenerationError");
                    case "callback-failed" -> variables.get("generation");
                    case "cancelled" -> variables.get("cancellation");
                    case "fanned-out" -> variables.get("generations");
                    default -> variables;
                  };
              DEMO.info("{} '{}' {}: {}", job.getBpmnProcessId(), variables.get("title"), outcome, detail);
              jobClient.newCompleteCommand(job).send();
            })
        .name("demo-report")
        .open();
  }

  @Bean
  @Order(2)
  public ApplicationRunner startDemoGenerations(CamundaClient client, @Value("${aigen.demo.processes:}") List<String> only) {
    java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.BiConsumer<String, Runnable> ifChosen = (process, start) -> {
      if (only.isEmpty() || only.contains(process)) {
        start.run();
        started.incrementAndGet();
      }
    };
    return args -> {
      ifChosen.accept("ai-generation-fal", () -> start(client, "ai-generation-fal", "a lighthouse at dawn", Map.of("prompt", "A lighthouse at dawn, watercolor", "image_size", "square")));
      ifChosen.accept("ai-generation-fal", () -> start(client, "ai-generation-fal", "a failing generation", Map.of("prompt", "[fail] this prompt makes the sandbox fail the job")));
      ifChosen.accept("ai-generation-cancel-example", () -> start(client, "ai-generation-cancel-example", "a video that takes too long", Map.of("prompt", "[slow] a long drone flight over the coast")));
      ifChosen.accept("ai-generation-replicate", () -> start(client, "ai-generation-replicate", "a Replicate image", Map.of("prompt", "a red bicycle")));
      ifChosen.accept("ai-generation-runway", () -> start(client, "ai-generation-runway", "a Runway video", Map.of("promptImage", "https://example.com/first-frame.jpg", "promptText", "slow dolly in", "ratio", "1280:720", "duration", 5)));
      ifChosen.accept("ai-generation-luma", () -> start(client, "ai-generation-luma", "a Luma video", Map.of("prompt", "a teddy bear playing guitar", "aspect_ratio", "16:9")));
      ifChosen.accept("ai-generation-elevenlabs-dubbing", () -> start(client, "ai-generation-elevenlabs-dubbing", "an ElevenLabs dub", Map.of("source_url", "https://example.com/talk.mp4", "target_lang", "es", "name", "Demo talk")));
      ifChosen.accept("ai-generation-stability-video", () -> start(client, "ai-generation-stability-video", "a Stability video", Map.of("image", ONE_PIXEL_PNG, "seed", 0)));
      ifChosen.accept("ai-generation-oxen", () -> start(client, "ai-generation-oxen", "two Oxen images", Map.of("prompt", "a mountain lake", "num_generations", 2)));
      ifChosen.accept("ai-generation-unified-task", () -> start(client, "ai-generation-unified-task", "a unified-API video", Map.of("prompt", "waves at night")));
      ifChosen.accept("ai-generation-do-async-invoke", () -> start(client, "ai-generation-do-async-invoke", "a DigitalOcean image", Map.of("prompt", "a paper crane")));
      ifChosen.accept("ai-generation-fal-callback", () -> start(client, "ai-generation-fal-callback", "a fal image, by callback", Map.of("prompt", "a kite over dunes")));
      ifChosen.accept("ai-generation-replicate-callback", () -> start(client, "ai-generation-replicate-callback", "a Replicate image, by callback", Map.of("prompt", "a green teapot")));
      ifChosen.accept("ai-generation-luma-callback", () -> start(client, "ai-generation-luma-callback", "a Luma video, by callback", Map.of("model", "ray-2", "prompt", "rain on a window")));
      ifChosen.accept("ai-generation-fan-out", () -> client.newCreateInstanceCommand().bpmnProcessId("ai-generation-fan-out").latestVersion()
          .variables(Map.of("title", "four images at once", "prompts", List.of("a fox", "an owl", "a whale", "a cat")))
          .send().join(30, TimeUnit.SECONDS));
      DEMO.info("Started {} demo processes; their outcome follows. The runtime keeps running (Ctrl+C stops it).", started.get());
    };
  }

  /** A 1x1 PNG as a data URI: Stability's image-to-video wants a start frame. */
  static final String ONE_PIXEL_PNG =
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  private static void start(CamundaClient client, String process, String title, Map<String, Object> input) {
    client
        .newCreateInstanceCommand()
        .bpmnProcessId(process)
        .latestVersion()
        .variables(Map.of("title", title, "input", input))
        .send()
        .join(30, TimeUnit.SECONDS);
  }
}
