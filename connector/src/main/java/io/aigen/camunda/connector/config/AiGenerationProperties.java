package io.aigen.camunda.connector.config;

import io.aigen.camunda.connector.callback.CallbackOutcome;
import io.aigen.camunda.connector.store.ResultStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code aigen.*} settings.
 *
 * @param worker the job worker
 * @param providers per provider id (e.g. {@code fal}), where to reach it
 * @param publicBaseUrl where processes and providers reach this runtime, e.g. {@code
 *     https://connectors.example.com}; stored result files are served under it
 * @param results where result files that providers send as bytes are kept
 * @param callbacks how provider callbacks are checked and delivered
 * @param http how providers are called
 */
@ConfigurationProperties("aigen")
public record AiGenerationProperties(
    Worker worker, Map<String, Provider> providers, String publicBaseUrl, Results results, Callbacks callbacks, Http http) {

  public AiGenerationProperties {
    worker = worker == null ? new Worker(null, null, null, null, null, null, null, null, null, null, null) : worker;
    providers = providers == null ? Map.of() : Map.copyOf(providers);
    results = results == null ? new Results(null, null) : results;
    callbacks = callbacks == null ? new Callbacks(null, null, null, null) : callbacks;
    http = http == null ? new Http(null) : http;
  }

  /** @param readTimeout how long a provider may take to answer one request (default 60 s) */
  public record Http(Duration readTimeout) {
    public Http {
      readTimeout = readTimeout == null ? io.aigen.camunda.connector.http.ProviderHttp.DEFAULT_READ_TIMEOUT : readTimeout;
    }
  }

  /**
   * @param falJwksUrl where fal publishes its webhook signing keys, when not where its preset says
   *     (the same as {@code aigen.providers.fal.jwks-url})
   * @param messageTtl how long a callback's message waits for its catch event
   * @param urlSigningKey signs custom specs in callback URLs; every replica needs the same one.
   *     Without it, custom specs cannot wait for callbacks
   * @param maxPublishesInFlight how many callbacks may wait for the engine at once; beyond that a
   *     callback is answered 503 with {@code Retry-After}, and the provider sends it again
   */
  public record Callbacks(String falJwksUrl, Duration messageTtl, String urlSigningKey, Integer maxPublishesInFlight) {

    public static final int DEFAULT_MAX_PUBLISHES_IN_FLIGHT = 256;

    public Callbacks {
      messageTtl = messageTtl == null ? CallbackOutcome.DEFAULT_TTL : messageTtl;
      maxPublishesInFlight = maxPublishesInFlight == null ? DEFAULT_MAX_PUBLISHES_IN_FLIGHT : maxPublishesInFlight;
      if (maxPublishesInFlight < 1) {
        throw new IllegalArgumentException("aigen.callbacks.max-publishes-in-flight must be at least 1, not " + maxPublishesInFlight);
      }
    }
  }

  /**
   * @param directory default {@code <java.io.tmpdir>/aigen-results}
   * @param maxFileSize the largest file the store keeps (default 32 MB)
   */
  public record Results(Path directory, DataSize maxFileSize) {
    public Results {
      directory = directory == null ? Path.of(System.getProperty("java.io.tmpdir"), "aigen-results") : directory;
      maxFileSize = maxFileSize == null ? DataSize.ofBytes(ResultStore.DEFAULT_MAX_FILE_BYTES) : maxFileSize;
    }
  }

  /**
   * @param enabled open the job worker (default true)
   * @param maxJobsActive jobs worked at once, each on its own virtual thread (default 128: the
   *     engine's timeout checker hands waiting jobs back in bursts, once a second)
   * @param timeout how long an activated job stays with this runtime while it is worked, before the
   *     engine hands it to another (default 2 min)
   * @param pollInterval how often to ask the engine for jobs while none came and no job stream is
   *     open (default 100 ms)
   * @param streamEnabled open a job stream, so that the engine pushes jobs the moment they can be
   *     worked instead of being asked for them (default true)
   * @param streamPollInterval how often to ask the engine for jobs besides the open stream, for jobs
   *     it could not push (default 5 s)
   * @param maxCommandsInFlight engine commands sent and not yet answered, at most (default 64)
   * @param engineLatencyTarget while engine commands take longer than this on average, poll
   *     delays are stretched in proportion (default 250 ms)
   * @param progressEnabled write the task-local {@code aiGenerationProgress} (default true)
   * @param progressInterval write it at most this often (default 10 s)
   * @param name the worker name the engine records for the jobs this runtime activates (default
   *     {@code ai-generation}); give replicas their own to tell them apart in the engine's records
   */
  public record Worker(
      Boolean enabled,
      Integer maxJobsActive,
      Duration timeout,
      Duration pollInterval,
      Boolean streamEnabled,
      Duration streamPollInterval,
      Integer maxCommandsInFlight,
      Duration engineLatencyTarget,
      Boolean progressEnabled,
      Duration progressInterval,
      String name) {
    public Worker {
      enabled = enabled == null || enabled;
      maxJobsActive = maxJobsActive == null ? 128 : maxJobsActive;
      timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
      pollInterval = pollInterval == null ? Duration.ofMillis(100) : pollInterval;
      streamEnabled = streamEnabled == null || streamEnabled;
      streamPollInterval = streamPollInterval == null ? Duration.ofSeconds(5) : streamPollInterval;
      maxCommandsInFlight = maxCommandsInFlight == null ? 64 : maxCommandsInFlight;
      engineLatencyTarget = engineLatencyTarget == null ? Duration.ofMillis(250) : engineLatencyTarget;
      progressEnabled = progressEnabled == null || progressEnabled;
      progressInterval = progressInterval == null ? Duration.ofSeconds(10) : progressInterval;
    }
  }

  /**
   * @param baseUrl replaces the preset's base URL (proxy, region, sandbox)
   * @param jwksUrl replaces where the preset's callback signing keys are published
   * @param mediaHosts hosts (or {@code *.example.com}) its outputs may be copied from, besides the
   *     preset's own
   */
  public record Provider(String baseUrl, String jwksUrl, java.util.List<String> mediaHosts) {}
}
