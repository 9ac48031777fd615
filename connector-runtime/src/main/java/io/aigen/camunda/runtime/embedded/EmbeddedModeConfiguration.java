package io.aigen.camunda.runtime.embedded;

import io.camunda.client.CamundaClient;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.connector.runtime.inbound.search.SearchQueryClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Beans of the embedded mode: lifecycle of engine and sandbox, sandbox secrets, example deploy, and
 * the process definition source that activates inbound connectors on the embedded engine.
 */
@Configuration
@ConditionalOnProperty(name = EmbeddedModeEnvironmentPostProcessor.ACTIVE, havingValue = "true")
public class EmbeddedModeConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedModeConfiguration.class);

  /** The secret names the example processes use, one per provider. */
  static final List<String> SANDBOX_SECRETS =
      List.of(
          "FAL_KEY", "REPLICATE_API_TOKEN", "RUNWAY_API_KEY", "LUMA_API_KEY", "ELEVENLABS_API_KEY",
          "STABILITY_API_KEY", "OXEN_API_KEY", "UNIFIED_API_KEY", "DO_MODEL_ACCESS_KEY", "CUSTOM_API_KEY");

  @Bean(destroyMethod = "close")
  public EmbeddedServices embeddedServices() {
    EmbeddedServices services = EmbeddedModeEnvironmentPostProcessor.takeServices();
    if (services == null) {
      throw new IllegalStateException("embedded mode is active but its engine was not started");
    }
    LOG.info("Embedded Zeebe engine on {}:{}; provider sandbox at {}", services.engineAddress(), services.enginePort(), services.sandbox().baseUrl());
    return services;
  }

  /**
   * The sandbox accepts any key, so the examples' secrets ({@code {{secrets.FAL_KEY}}} and the
   * other providers' keys) resolve to a fixed sandbox key. Only in embedded mode, never against a
   * cluster, and never over a secret the user set ({@code AIGEN_SECRET_FAL_KEY=…}): that one wins,
   * for a provider whose base URL points at the real service.
   */
  @Bean
  public SecretProvider sandboxSecrets(EmbeddedServices services, Environment environment) {
    String prefix = environment.getProperty("camunda.connector.secretprovider.environment.prefix", "");
    Map<String, String> sandboxKeys = new java.util.HashMap<>();
    for (String name : SANDBOX_SECRETS) {
      sandboxKeys.put(name, "sandbox-key");
    }
    sandboxKeys.put("REPLICATE_WEBHOOK_SECRET", services.sandbox().replicateWebhookSecret());
    return new SecretProvider() {
      @Override
      public String getSecret(String name, SecretContext context) {
        return environment.containsProperty(prefix + name) ? null : sandboxKeys.get(name);
      }
    };
  }

  /**
   * Lets Camunda's inbound runtime find inbound connectors (webhooks such as the AI generation
   * callback) in the processes deployed to the embedded engine: it otherwise searches them over a
   * REST API that the in-memory engine lacks. Replaces the runtime's own client, which is not
   * conditional on a missing bean.
   */
  @Bean
  @Primary
  @ConditionalOnProperty(prefix = "camunda.connector.polling", name = "enabled", havingValue = "true", matchIfMissing = true)
  public SearchQueryClient embeddedProcessDefinitions(EmbeddedServices services) {
    return EmbeddedProcessDefinitions.of(services.engine());
  }

  @Bean
  @Order(1)
  public ApplicationRunner deployExampleProcesses(CamundaClient client) {
    return args -> {
      Resource[] models = new PathMatchingResourcePatternResolver().getResources("classpath*:processes/*.bpmn");
      for (Resource model : models) {
        try (var in = model.getInputStream()) {
          client.newDeployResourceCommand().addResourceStream(in, model.getFilename()).send().join(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + model.getFilename(), e);
        }
        LOG.debug("Deployed example process {}", model.getFilename());
      }
      LOG.info("Deployed {} example processes (classpath:processes/*.bpmn)", models.length);
    };
  }

}
