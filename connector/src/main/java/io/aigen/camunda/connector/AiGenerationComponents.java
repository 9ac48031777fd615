package io.aigen.camunda.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.callback.CallbackUrls;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.job.EnginePace;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.metrics.GenerationMetrics;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.store.ResultStore;
import java.time.Clock;
import java.util.function.Function;

/**
 * The connector's object graph, built in this one place for every entry point: the Spring Boot
 * auto-configuration, and the SDK's outbound and inbound connectors when a runtime creates them
 * itself. One JSON mapper, one HTTP client, one result store.
 */
public final class AiGenerationComponents {

  /**
   * What a runtime sets.
   *
   * @param providers where each provider is reached
   * @param publicBaseUrl where processes and providers reach this runtime; {@code null}: no
   *     callbacks, and stored files get no URL of their own
   * @param callbackUrlSigningKey signs custom specs in callback URLs; {@code null} refuses custom
   *     callbacks
   * @param providerReadTimeout how long a provider may take to answer a request
   */
  public record Settings(ProviderSettings providers, String publicBaseUrl, String callbackUrlSigningKey, java.time.Duration providerReadTimeout) {

    public Settings {
      providerReadTimeout = providerReadTimeout == null ? ProviderHttp.DEFAULT_READ_TIMEOUT : providerReadTimeout;
    }

    public Settings(ProviderSettings providers, String publicBaseUrl, String callbackUrlSigningKey) {
      this(providers, publicBaseUrl, callbackUrlSigningKey, null);
    }

    /** A runtime that sets nothing: the presets as they are, no callbacks. */
    public static Settings defaults() {
      return new Settings(ProviderSettings.defaults(), null, null);
    }
  }

  private final ObjectMapper json = Json.mapper();
  private final ProviderHttp http;
  private final GenerationOperations operations;
  private final CallbackReceiver callbacks;

  /**
   * @param results where files that providers send as bytes are kept
   * @param secrets a runtime secret's value by name, or {@code null}
   * @param pace stretches poll delays while the engine answers slowly
   */
  public AiGenerationComponents(Settings settings, ResultStore results, Function<String, String> secrets, EnginePace pace, Clock clock) {
    this(settings, results, secrets, pace, GenerationMetrics.NONE, clock);
  }

  /** @param metrics counts provider answers (the job worker and callbacks report the rest) */
  public AiGenerationComponents(
      Settings settings, ResultStore results, Function<String, String> secrets, EnginePace pace, GenerationMetrics metrics, Clock clock) {
    this.http = ProviderHttp.withReadTimeout(settings.providerReadTimeout());
    ProviderSpecs specs = new ProviderSpecs(settings.providers());
    GenerationClients clients = new GenerationClients(http, results, clock, metrics);
    CallbackUrls callbackUrls = new CallbackUrls(settings.publicBaseUrl(), settings.callbackUrlSigningKey());
    this.operations = new GenerationOperations(specs, clients, callbackUrls, clock, json, pace);
    this.callbacks = new CallbackReceiver(specs, clients, http, secrets, callbackUrls, clock, json);
  }

  /** For runtimes that create the SDK's connectors themselves: presets as they are, files in the temp directory. */
  public static AiGenerationComponents forSdkRuntime(Function<String, String> secrets) {
    return new AiGenerationComponents(Settings.defaults(), LocalResultStore.inTempDirectory(), secrets, EnginePace.STEADY, Clock.systemUTC());
  }

  public ObjectMapper json() {
    return json;
  }

  public GenerationOperations operations() {
    return operations;
  }

  public CallbackReceiver callbacks() {
    return callbacks;
  }
}
