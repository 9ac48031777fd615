package io.aigen.camunda.runtime.embedded;

import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides the mode before anything connects. When no {@code camunda.client.grpc-address} (or SaaS
 * cluster id) is configured, it starts the in-memory Zeebe engine and the provider sandbox on
 * loopback and points the client and every provider preset at them. With a cluster configured it does
 * nothing: no engine, no sandbox.
 */
public class EmbeddedModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

  static final String ACTIVE = "aigen.embedded.active";
  private static EmbeddedServices services;

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (clusterConfigured(environment) || !environment.getProperty("aigen.embedded.enabled", Boolean.class, true)) {
      return;
    }
    int enginePort = environment.getProperty("aigen.embedded.engine-port", Integer.class, 0);
    if (enginePort == 0) {
      enginePort = freePort();
    }
    ZeebeTestEngine engine = EngineFactory.create(enginePort);
    engine.start();
    ProviderSandbox sandbox =
        ProviderSandbox.start(SandboxOptions.defaults().withPort(environment.getProperty("aigen.embedded.sandbox-port", Integer.class, 0)));
    services = new EmbeddedServices(engine, enginePort, sandbox);

    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(ACTIVE, "true");
    properties.put("camunda.client.mode", "self-managed");
    properties.put("camunda.client.grpc-address", "http://127.0.0.1:" + enginePort);
    // the in-memory engine has no REST API; this address only has to be well-formed
    properties.put("camunda.client.rest-address", "http://127.0.0.1:" + freePort());
    properties.put("camunda.client.prefer-rest-over-grpc", "false");
    properties.put("camunda.client.auth.method", "none");
    // the in-memory engine answers pings more often than every 5 minutes with GOAWAY (too_many_pings)
    properties.put("camunda.client.keep-alive", "PT10M");
    // inbound connectors stay on: the runtime finds process definitions through
    // EmbeddedProcessDefinitions (the engine's record stream), not the REST search it lacks
    properties.put("aigen.callbacks.fal-jwks-url", sandbox.falJwksUrl());
    // one JVM, so a key of its own is enough; replicas of a real deployment must share one
    if (!environment.containsProperty("aigen.callbacks.url-signing-key")) {
      properties.put("aigen.callbacks.url-signing-key", java.util.UUID.randomUUID().toString());
    }
    for (String provider : ProviderSandbox.providerIds()) {
      properties.put("aigen.providers." + provider + ".base-url", sandbox.providerBaseUrl(provider));
    }
    // plaintext gRPC is expected on loopback
    properties.put("logging.level.io.camunda.client.impl.CamundaCallCredentials", "ERROR");
    environment.getPropertySources().addFirst(new MapPropertySource("aigen-embedded", properties));
  }

  /** The services this JVM started, taken once by the configuration that stops them. */
  static synchronized EmbeddedServices takeServices() {
    EmbeddedServices taken = services;
    services = null;
    return taken;
  }

  private static boolean clusterConfigured(ConfigurableEnvironment environment) {
    return environment.containsProperty("camunda.client.grpc-address")
        || environment.containsProperty("camunda.client.cloud.cluster-id")
        || environment.containsProperty("camunda.client.zeebe.grpc-address");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }
}
