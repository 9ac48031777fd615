package io.aigen.camunda.benchmark;

import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Main class of the connector runtime's JVM in a benchmark: the project's runtime app
 * ({@code io.aigen.camunda.runtime.AiGenerationRuntime}, from connector-runtime/target/classes)
 * plus {@link Support}: the sandbox's secrets and {@code GET /bench/stats}, which reports this
 * JVM's threads, heap and CPU. Everything else comes from the command line, as for {@code ./run}.
 */
public final class RuntimeMain {

  static final String APP = "io.aigen.camunda.runtime.AiGenerationRuntime";

  private RuntimeMain() {}

  public static void main(String[] args) throws ClassNotFoundException {
    Class<?> app = Class.forName(APP);
    new SpringApplicationBuilder(app, Support.class).run(args);
  }

  /** Beans the benchmark adds to the runtime. */
  @Configuration
  public static class Support {

    static final AtomicBoolean READY = new AtomicBoolean();

    /** Every {@code *_KEY} secret resolves to the sandbox's key (the sandbox accepts any key). */
    @Bean
    SecretProvider benchmarkSecrets() {
      return new SecretProvider() {
        @Override
        public String getSecret(String name, SecretContext context) {
          return name.endsWith("_KEY") || name.endsWith("_TOKEN") ? "bench-key" : null;
        }
      };
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> benchmarkReady() {
      return event -> READY.set(true);
    }

    @Bean
    StatsController benchmarkStats() {
      return new StatsController();
    }
  }

  @RestController
  public static class StatsController {
    /** This JVM's footprint; {@code gc=true} runs a full GC first, {@code resetPeak=true} restarts the peak thread count. */
    @GetMapping("/bench/stats")
    public Object stats(@RequestParam(defaultValue = "false") boolean gc, @RequestParam(defaultValue = "false") boolean resetPeak) {
      if (!Support.READY.get()) {
        throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "starting");
      }
      return JvmStats.capture(gc, resetPeak);
    }
  }
}
