package io.aigen.camunda.runtime.demo;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.worker.JobWorker;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
                    case "cancelled" -> variables.get("cancellation");
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
  public ApplicationRunner startDemoGenerations(CamundaClient client) {
    return args -> {
      start(client, "ai-generation-example", "a lighthouse at dawn", "fal-ai/flux/dev", "A lighthouse at dawn, watercolor");
      start(client, "ai-generation-example", "a failing generation", "fal-ai/flux/dev", "[fail] this prompt makes the sandbox fail the job");
      start(client, "ai-generation-cancel-example", "a video that takes too long", "fal-ai/kling-video/v2/master/text-to-video", "[slow] a long drone flight over the coast");
      DEMO.info("Started 3 demo generations against the provider sandbox; their outcome follows. The runtime keeps running (Ctrl+C stops it).");
    };
  }

  private static void start(CamundaClient client, String process, String title, String model, String prompt) {
    client
        .newCreateInstanceCommand()
        .bpmnProcessId(process)
        .latestVersion()
        .variables(Map.of("title", title, "model", model, "input", Map.of("prompt", prompt, "image_size", "square")))
        .send()
        .join(30, TimeUnit.SECONDS);
  }
}
