package io.aigen.camunda.connector.worker;

import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.callback.CallbackUrls;
import io.aigen.camunda.connector.callback.JwksKeys;
import io.aigen.camunda.connector.AiGenerationConnector;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.Json;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.inbound.AiGenerationCallbackConnector;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.store.ResultStore;
import io.camunda.client.CamundaClient;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.connector.runtime.core.secret.SecretProviderAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;

/**
 * Loaded by any Spring Boot connector runtime that has this jar on its class path (ours, or
 * Camunda's connectors bundle): opens the job worker for {@link AiGenerationConnector#TYPE} and
 * offers the inbound connector {@link AiGenerationCallbackConnector#TYPE}.
 */
@AutoConfiguration
@ConditionalOnClass(CamundaClient.class)
@ConditionalOnProperty(prefix = "aigen.worker", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(AiGenerationProperties.class)
public class AiGenerationAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(AiGenerationAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  public ResultStore aiGenerationResultStore(AiGenerationProperties properties) {
    return new LocalResultStore(properties.results().directory(), properties.publicBaseUrl());
  }

  @Bean
  @ConditionalOnMissingBean
  public ProviderSettings aiGenerationProviderSettings(AiGenerationProperties properties) {
    Map<String, String> baseUrls = new LinkedHashMap<>();
    properties.providers().forEach((id, provider) -> {
      if (provider != null && provider.baseUrl() != null) {
        baseUrls.put(id, provider.baseUrl());
      }
    });
    return new ProviderSettings(baseUrls);
  }

  /** The job worker's engine commands; their pace stretches poll delays. */
  @Bean
  @ConditionalOnMissingBean
  public EngineCommands aiGenerationEngineCommands(AiGenerationProperties properties) {
    return new EngineCommands(properties.worker().maxCommandsInFlight(), properties.worker().engineLatencyTarget());
  }

  @Bean
  @ConditionalOnMissingBean
  public GenerationOperations aiGenerationOperations(
      ProviderSettings settings, ResultStore results, AiGenerationProperties properties, EngineCommands engineCommands) {
    return new GenerationOperations(
        ProviderHttp.withDefaults(), settings, results, callbackUrls(properties), Clock.systemUTC(), Json.mapper(), engineCommands);
  }

  private static CallbackUrls callbackUrls(AiGenerationProperties properties) {
    return new CallbackUrls(properties.publicBaseUrl(), properties.callbacks().urlSigningKey());
  }

  /** Reads provider callbacks; the runtime's endpoint (or an inbound connector) feeds it. */
  @Bean
  @ConditionalOnMissingBean
  public CallbackReceiver aiGenerationCallbackReceiver(
      GenerationOperations operations,
      AiGenerationProperties properties,
      ObjectProvider<SecretProviderAggregator> aggregator,
      ObjectProvider<SecretProvider> anyProvider) {
    SecretProvider secrets = aggregator.getIfAvailable();
    SecretProvider secretProvider = secrets != null ? secrets : anyProvider.getIfUnique(EnvironmentSecrets::new);
    JwksKeys falKeys = new JwksKeys(ProviderHttp.withDefaults(), properties.callbacks().falJwksUrl(), Clock.systemUTC());
    return new CallbackReceiver(
        operations, name -> secretProvider.getSecret(name, new SecretContext(null)), falKeys, callbackUrls(properties), Clock.systemUTC(), Json.mapper());
  }

  /**
   * The inbound connector {@link AiGenerationCallbackConnector#TYPE}, one instance per activated
   * element (Camunda's Spring runtime asks for prototype scope and registers it by its
   * {@code @InboundConnector} annotation). A bean rather than an SPI entry: it gets the runtime's
   * secrets and provider base URLs, and an SPI entry next to it would register the type twice.
   */
  @Bean
  @Scope(BeanDefinition.SCOPE_PROTOTYPE)
  public AiGenerationCallbackConnector aiGenerationCallbackConnector(CallbackReceiver receiver) {
    return new AiGenerationCallbackConnector(receiver);
  }

  @Bean
  public SmartLifecycle aiGenerationWorker(
      ObjectProvider<CamundaClient> clients,
      GenerationOperations operations,
      EngineCommands engineCommands,
      AiGenerationProperties properties,
      ObjectProvider<SecretProviderAggregator> aggregator,
      ObjectProvider<SecretProvider> anyProvider) {
    SecretProvider secrets = aggregator.getIfAvailable();
    if (secrets == null) {
      secrets = anyProvider.getIfUnique(EnvironmentSecrets::new);
    }
    SecretProvider secretProvider = secrets;
    AiGenerationProperties.Worker settings = properties.worker();
    return new SmartLifecycle() {
      private volatile JobActivator activator;

      @Override
      public void start() {
        CamundaClient client = clients.getIfAvailable();
        if (client == null) {
          LOG.warn("No Camunda client is configured: the AI generation job worker does not start");
          return;
        }
        GenerationJobWorker worker =
            new GenerationJobWorker(
                client, engineCommands, operations, secretProvider, Json.mapper(),
                new ProgressVariable(settings.progressEnabled(), settings.progressInterval()), Clock.systemUTC());
        activator =
            new JobActivator(
                    client,
                    new JobActivator.Settings(
                        AiGenerationConnector.TYPE,
                        "ai-generation",
                        settings.maxJobsActive(),
                        settings.timeout(),
                        settings.pollInterval(),
                        Duration.ofSeconds(10),
                        GenerationJobWorker.variablesRead()),
                    worker::handle)
                .start();
        LOG.info("AI generation job worker listens for jobs of type {}", AiGenerationConnector.TYPE);
      }

      @Override
      public void stop() {
        if (activator != null) {
          activator.close();
          activator = null;
        }
      }

      @Override
      public boolean isRunning() {
        return activator != null && activator.isOpen();
      }
    };
  }

  /** Secrets from environment variables, when the runtime offers no secret provider. */
  static final class EnvironmentSecrets implements SecretProvider {
    @Override
    public String getSecret(String name, io.camunda.connector.api.secret.SecretContext context) {
      return System.getenv(name);
    }
  }
}
