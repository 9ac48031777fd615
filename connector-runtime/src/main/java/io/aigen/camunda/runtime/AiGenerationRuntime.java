package io.aigen.camunda.runtime;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The connector runtime: Camunda's connector runtime with the AI generation connector. Without
 * {@code camunda.client.*} settings it brings its own in-memory Zeebe engine and the provider
 * sandbox, deploys the example processes and runs a demo.
 */
@SpringBootApplication
public class AiGenerationRuntime {

  public static void main(String[] args) {
    SpringApplication.run(AiGenerationRuntime.class, args);
  }
}
