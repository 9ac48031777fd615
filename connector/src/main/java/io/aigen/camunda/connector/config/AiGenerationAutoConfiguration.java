package io.aigen.camunda.connector.config;

import io.aigen.camunda.connector.AiGenerationComponents;
import io.aigen.camunda.connector.AiGenerationConnector;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.activity.GenerationActivity;
import io.aigen.camunda.connector.callback.CallbackHandler;
import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.inbound.AiGenerationCallbackConnector;
import io.aigen.camunda.connector.metrics.GenerationMetrics;
import io.aigen.camunda.connector.metrics.MicrometerGenerationMetrics;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.store.ResultStore;
import io.aigen.camunda.connector.worker.AiGenerationJobWorker;
import io.aigen.camunda.connector.worker.EngineCommands;
import io.camunda.client.CamundaClient;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.connector.runtime.core.secret.SecretProviderAggregator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;

/**
 * Loaded by any Spring Boot connector runtime that has this jar on its class path (ours, or
 * Camunda's connectors bundle): builds the {@link AiGenerationComponents} from {@code aigen.*},
 * opens the job worker for {@link AiGenerationConnector#TYPE} and offers the inbound connector
 * {@link AiGenerationCallbackConnector#TYPE}.
 */
@AutoConfiguration
@ConditionalOnClass(CamundaClient.class)
@ConditionalOnProperty(prefix = "aigen.worker", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(AiGenerationProperties.class)
public class AiGenerationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public ResultStore aiGenerationResultStore(AiGenerationProperties properties) {
    return new LocalResultStore(properties.results().directory(), properties.publicBaseUrl(), properties.results().maxFileSize().toBytes());
  }

  @Bean
  @ConditionalOnMissingBean
  public ProviderSettings aiGenerationProviderSettings(AiGenerationProperties properties) {
    Map<String, String> baseUrls = new LinkedHashMap<>();
    Map<String, String> jwksUrls = new LinkedHashMap<>();
    Map<String, List<String>> mediaHosts = new LinkedHashMap<>();
    properties.providers().forEach((id, provider) -> {
      if (provider != null && provider.mediaHosts() != null) {
        mediaHosts.put(id, provider.mediaHosts());
      }
      if (provider != null && provider.baseUrl() != null) {
        baseUrls.put(id, provider.baseUrl());
      }
      if (provider != null && provider.jwksUrl() != null) {
        jwksUrls.put(id, provider.jwksUrl());
      }
    });
    if (properties.callbacks().falJwksUrl() != null) {
      jwksUrls.putIfAbsent("fal", properties.callbacks().falJwksUrl());
    }
    return new ProviderSettings(baseUrls, jwksUrls, mediaHosts);
  }

  /** Metrics in the runtime's Micrometer registry (Actuator: {@code /actuator/prometheus}), or none without one. */
  @Bean
  @ConditionalOnMissingBean
  public GenerationMetrics aiGenerationMetrics(ObjectProvider<MeterRegistry> registry, AiGenerationProperties properties) {
    MeterRegistry meters = registry.getIfAvailable();
    return meters == null ? GenerationMetrics.NONE : new MicrometerGenerationMetrics(meters, Clock.systemUTC(), properties.worker().timeout());
  }

  /** The job worker's engine commands; their pace stretches poll delays. */
  @Bean
  @ConditionalOnMissingBean
  public EngineCommands aiGenerationEngineCommands(AiGenerationProperties properties) {
    return new EngineCommands(properties.worker().maxCommandsInFlight(), properties.worker().engineLatencyTarget());
  }

  @Bean
  @ConditionalOnMissingBean
  public AiGenerationComponents aiGenerationComponents(
      ProviderSettings providers,
      ResultStore results,
      EngineCommands engineCommands,
      AiGenerationProperties properties,
      GenerationMetrics metrics,
      ObjectProvider<SecretProviderAggregator> aggregator,
      ObjectProvider<SecretProvider> anyProvider) {
    SecretProvider secrets = secretProvider(aggregator, anyProvider);
    return new AiGenerationComponents(
        new AiGenerationComponents.Settings(providers, properties.publicBaseUrl(), properties.callbacks().urlSigningKey(), properties.http().readTimeout()),
        results,
        name -> secrets.getSecret(name, new SecretContext(null)),
        engineCommands,
        metrics,
        Clock.systemUTC());
  }

  @Bean
  public GenerationOperations aiGenerationOperations(AiGenerationComponents components) {
    return components.operations();
  }

  /** Reads provider callbacks; the runtime's endpoint (or an inbound connector) feeds it. */
  @Bean
  public CallbackReceiver aiGenerationCallbackReceiver(AiGenerationComponents components) {
    return components.callbacks();
  }

  /** The latest generations this runtime worked on, for people to watch (the runtime's page). */
  @Bean
  @ConditionalOnMissingBean
  public GenerationActivity aiGenerationActivity() {
    return new GenerationActivity(GenerationActivity.DEFAULT_CAPACITY, Clock.systemUTC());
  }

  @Bean
  public CallbackHandler aiGenerationCallbackHandler(
      CallbackReceiver receiver, GenerationMetrics metrics, GenerationActivity activity, AiGenerationProperties properties) {
    return new CallbackHandler(receiver, metrics, activity, properties.callbacks().maxPublishesInFlight());
  }

  /**
   * The inbound connector {@link AiGenerationCallbackConnector#TYPE}, one instance per activated
   * element (Camunda's Spring runtime asks for prototype scope and registers it by its
   * {@code @InboundConnector} annotation). A bean rather than an SPI entry: it gets the runtime's
   * secrets and provider base URLs, and an SPI entry next to it would register the type twice.
   */
  @Bean
  @Scope(BeanDefinition.SCOPE_PROTOTYPE)
  public AiGenerationCallbackConnector aiGenerationCallbackConnector(CallbackHandler handler, CallbackReceiver receiver) {
    return new AiGenerationCallbackConnector(handler, receiver);
  }

  @Bean
  public AiGenerationJobWorker aiGenerationWorker(
      ObjectProvider<CamundaClient> clients,
      AiGenerationComponents components,
      EngineCommands engineCommands,
      AiGenerationProperties properties,
      GenerationMetrics metrics,
      GenerationActivity activity,
      Environment environment,
      ObjectProvider<SecretProviderAggregator> aggregator,
      ObjectProvider<SecretProvider> anyProvider) {
    AiGenerationProperties.Worker worker = properties.worker();
    return new AiGenerationJobWorker(
        clients::getIfAvailable,
        components.operations(),
        engineCommands,
        secretProvider(aggregator, anyProvider),
        components.json(),
        new AiGenerationJobWorker.Settings(
            AiGenerationConnector.TYPE,
            worker.maxJobsActive(),
            worker.timeout(),
            worker.pollInterval(),
            worker.streamEnabled(),
            worker.streamPollInterval(),
            worker.progressEnabled(),
            worker.progressInterval(),
            environment.getProperty("camunda.connector.secretprovider.environment.prefix", ""),
            worker.name()),
        metrics,
        activity);
  }

  /** The runtime's secrets: Camunda's aggregate of secret providers, or environment variables. */
  private static SecretProvider secretProvider(ObjectProvider<SecretProviderAggregator> aggregator, ObjectProvider<SecretProvider> anyProvider) {
    SecretProvider secrets = aggregator.getIfAvailable();
    return secrets != null ? secrets : anyProvider.getIfUnique(EnvironmentSecrets::new);
  }

  /** Secrets from environment variables, when the runtime offers no secret provider. */
  static final class EnvironmentSecrets implements SecretProvider {
    @Override
    public String getSecret(String name, SecretContext context) {
      return System.getenv(name);
    }
  }
}
