package io.aigen.camunda.runtime.embedded;

import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides the mode before anything connects. When no {@code camunda.client.grpc-address} (or SaaS
 * cluster id) is configured, it starts the in-memory Zeebe engine and the provider sandbox on
 * loopback and points the client and every provider preset the user did not point elsewhere at
 * them. With a cluster configured it starts nothing.
 */
public class EmbeddedModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

  static final String ACTIVE = "aigen.embedded.active";
  private static final String PLAINTEXT_WARNING_LOGGER = "logging.level.io.camunda.client.impl.CamundaCallCredentials";
  private static EmbeddedServices services;

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (clusterConfigured(environment) || !environment.getProperty("aigen.embedded.enabled", Boolean.class, true)) {
      quietPlaintextWarningOnLoopback(environment);
      return;
    }
    InetAddress engineAddress = address(environment.getProperty("aigen.embedded.engine-address", "127.0.0.1"));
    int enginePort = environment.getProperty("aigen.embedded.engine-port", Integer.class, 0);
    if (enginePort == 0) {
      enginePort = freePort();
    }
    ZeebeTestEngine engine = LoopbackEngine.create(engineAddress, enginePort);
    engine.start();
    ProviderSandbox sandbox =
        ProviderSandbox.start(SandboxOptions.defaults().withPort(environment.getProperty("aigen.embedded.sandbox-port", Integer.class, 0)));
    services = new EmbeddedServices(engine, engineAddress.getHostAddress(), enginePort, sandbox);

    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(ACTIVE, "true");
    properties.put("camunda.client.mode", "self-managed");
    String clientHost = engineAddress.isAnyLocalAddress() ? "127.0.0.1" : engineAddress.getHostAddress();
    properties.put("camunda.client.grpc-address", "http://" + (clientHost.contains(":") ? "[" + clientHost + "]" : clientHost) + ":" + enginePort);
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
      // a base URL the user set (a real provider, a proxy) wins over the sandbox's
      if (!environment.containsProperty(baseUrlProperty(provider))) {
        properties.put(baseUrlProperty(provider), sandbox.providerBaseUrl(provider));
      }
    }
    properties.put(PLAINTEXT_WARNING_LOGGER, "ERROR");
    environment.getPropertySources().addFirst(new MapPropertySource("aigen-embedded", properties));
  }

  static String baseUrlProperty(String provider) {
    return "aigen.providers." + provider + ".base-url";
  }

  /**
   * The client warns on every connection that plaintext gRPC may expose credentials. On loopback
   * nothing leaves the machine, so the warning is only noise there.
   */
  private static void quietPlaintextWarningOnLoopback(ConfigurableEnvironment environment) {
    String grpc = environment.getProperty("camunda.client.grpc-address", environment.getProperty("camunda.client.zeebe.grpc-address", ""));
    try {
      URI uri = URI.create(grpc.trim());
      if ("http".equals(uri.getScheme()) && uri.getHost() != null && InetAddress.getByName(uri.getHost()).isLoopbackAddress()
          && !environment.containsProperty(PLAINTEXT_WARNING_LOGGER)) {
        environment.getPropertySources().addLast(new MapPropertySource("aigen-loopback", Map.of(PLAINTEXT_WARNING_LOGGER, "ERROR")));
      }
    } catch (IllegalArgumentException | IOException e) {
      // not a URI or an unknown host: the client reports it
    }
  }

  private static InetAddress address(String value) {
    try {
      return InetAddress.getByName(value.trim());
    } catch (IOException e) {
      throw new IllegalStateException("aigen.embedded.engine-address '" + value + "' is not an address of this machine; use e.g. 127.0.0.1 (the default) or 0.0.0.0", e);
    }
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
