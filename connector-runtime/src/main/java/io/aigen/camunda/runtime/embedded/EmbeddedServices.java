package io.aigen.camunda.runtime.embedded;

import io.aigen.camunda.sandbox.ProviderSandbox;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;

/** The in-memory engine and the provider sandbox of the embedded mode, stopped with the app. */
public record EmbeddedServices(ZeebeTestEngine engine, String engineAddress, int enginePort, ProviderSandbox sandbox) implements AutoCloseable {

  @Override
  public void close() {
    sandbox.close();
    engine.stop();
  }
}
