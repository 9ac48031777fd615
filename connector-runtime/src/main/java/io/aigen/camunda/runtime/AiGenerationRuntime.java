package io.aigen.camunda.runtime;

import io.aigen.camunda.runtime.embedded.InMemoryEngineRaceFilter;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The connector runtime: Camunda's connector runtime with the AI generation connector. Without
 * {@code camunda.client.*} settings it brings its own in-memory Zeebe engine and the provider
 * sandbox, deploys the example processes and runs a demo.
 */
@SpringBootApplication
public class AiGenerationRuntime {

  /** Installed once the logging system is set up (it is reset while the environment is prepared). */
  @Bean
  static InitializingBean inMemoryEngineRaceFilter() {
    return InMemoryEngineRaceFilter::install;
  }

  public static void main(String[] args) {
    SpringApplication.run(AiGenerationRuntime.class, args);
  }
}
