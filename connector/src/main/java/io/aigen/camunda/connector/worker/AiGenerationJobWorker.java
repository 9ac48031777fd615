package io.aigen.camunda.connector.worker;

import io.aigen.camunda.connector.metrics.GenerationMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.activity.GenerationActivity;
import io.camunda.client.CamundaClient;
import io.camunda.connector.api.secret.SecretProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The job worker of the connector's type, opened and closed with the runtime: activates jobs
 * ({@link JobActivator}) and works each ({@link GenerationJobWorker}).
 */
public final class AiGenerationJobWorker implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(AiGenerationJobWorker.class);
  /**
   * How much earlier than its next poll a waiting job's timeout ends, with job streams. The job is
   * usually back before its poll is due, and waits in this runtime until then ({@code JobReturns}
   * says why).
   */
  public static final Duration JOBS_BACK_EARLY = JobReturns.EARLY;

  /** How long the gateway may hold an activation request until jobs come (long polling). */
  private static final Duration ACTIVATION_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @param maxJobsActive jobs worked at once
   * @param activationTimeout how long an activated job stays with this runtime while it is worked
   * @param pollInterval how often to ask the engine for jobs while none came and no stream is open
   * @param streamEnabled open a job stream, so that the engine pushes jobs
   * @param streamPollInterval how often to ask the engine for jobs besides the open stream
   * @param progressEnabled write the task-local progress variable
   * @param progressInterval write it at most this often
   * @param secretEnvironmentPrefix the prefix of the environment variables the runtime reads secrets
   *     from, for messages about a missing one
   * @param workerName the name the engine records for the jobs this runtime activates
   */
  public record Settings(
      String jobType,
      int maxJobsActive,
      Duration activationTimeout,
      Duration pollInterval,
      boolean streamEnabled,
      Duration streamPollInterval,
      boolean progressEnabled,
      Duration progressInterval,
      String secretEnvironmentPrefix,
      String workerName) {

    public static final String DEFAULT_WORKER_NAME = "ai-generation";

    public Settings {
      workerName = workerName == null || workerName.isBlank() ? DEFAULT_WORKER_NAME : workerName;
    }
  }

  private final Supplier<CamundaClient> clients;
  private final GenerationOperations operations;
  private final EngineCommands commands;
  private final SecretProvider secrets;
  private final ObjectMapper json;
  private final Settings settings;
  private final GenerationMetrics metrics;
  private final GenerationActivity activity;
  private volatile JobActivator activator;

  /**
   * @param clients the runtime's Camunda client, or {@code null} when none is configured
   * @param activity told of every submit, wait step and end, for the runtime's page
   */
  public AiGenerationJobWorker(
      Supplier<CamundaClient> clients,
      GenerationOperations operations,
      EngineCommands commands,
      SecretProvider secrets,
      ObjectMapper json,
      Settings settings,
      GenerationMetrics metrics,
      GenerationActivity activity) {
    this.metrics = metrics;
    this.activity = activity;
    this.clients = clients;
    this.operations = operations;
    this.commands = commands;
    this.secrets = secrets;
    this.json = json;
    this.settings = settings;
  }

  @Override
  public void start() {
    CamundaClient client = clients.get();
    if (client == null) {
      LOG.warn("No Camunda client is configured: the AI generation job worker does not start");
      return;
    }
    // the lead needs streams: without them new jobs come by asking too, and would wait for it
    JobReturns returns = new JobReturns(settings.streamEnabled() ? JobReturns.EARLY : Duration.ZERO);
    GenerationJobWorker worker =
        new GenerationJobWorker(
            client,
            commands,
            operations,
            secrets,
            json,
            new ProgressVariable(settings.progressEnabled(), settings.progressInterval()),
            settings.secretEnvironmentPrefix(),
            metrics,
            activity,
            Clock.systemUTC(),
            returns);
    activator =
        new JobActivator(
                client,
                new JobActivator.Settings(
                    settings.jobType(),
                    settings.workerName(),
                    settings.maxJobsActive(),
                    settings.activationTimeout(),
                    settings.pollInterval(),
                    ACTIVATION_REQUEST_TIMEOUT,
                    GenerationJobWorker.variablesRead(),
                    settings.streamEnabled(),
                    settings.streamPollInterval()),
                returns,
                worker::handle)
            .start();
    LOG.info("AI generation job worker listens for jobs of type {}{}", settings.jobType(), settings.streamEnabled() ? " (streamed)" : "");
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
}
