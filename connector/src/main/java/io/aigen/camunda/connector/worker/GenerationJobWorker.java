package io.aigen.camunda.connector.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.activity.GenerationActivity;
import io.aigen.camunda.connector.activity.TaskOrigin;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.MissingSecret;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.model.CancelRequest;
import io.aigen.camunda.connector.model.GenerateRequest;
import io.aigen.camunda.connector.model.SubmitRequest;
import io.aigen.camunda.connector.metrics.GenerationMetrics;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.spec.Json;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.connector.api.secret.SecretProvider;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one job of the connector: runs its operation and tells the engine what comes next ({@link
 * JobReplies}). While a generation is not done, the job stays with the engine until its next poll
 * is due ({@link JobReplies#scheduleNextPoll}); no thread waits, and a restart or a second runtime
 * simply picks up the next poll.
 *
 * <p>Engine commands per poll: the handle is stored once, right after submit. A poll that finds the
 * job still running sends one command (the new timeout), and a second one only when the progress
 * changed and was last written (or the job submitted) {@code progressInterval} ago.
 * Waiting logs only at DEBUG.
 *
 * <p>Task headers follow Camunda's connectors: {@code operation} and {@code retryBackoff} here, the
 * result headers in {@link JobReplies}.
 */
final class GenerationJobWorker {

  /** Task-local variable holding the job handle of a {@code generate} task between polls. */
  public static final String STATE_VARIABLE = "aiGenerationState";

  private static final Logger LOG = LoggerFactory.getLogger(GenerationJobWorker.class);
  private static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(10);
  /** A job with less activation time left than this is not started; it comes back after its timeout. */
  static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);

  private final GenerationOperations operations;
  private final SecretResolver secrets;
  private final ObjectMapper json;
  private final ProgressVariable progress;
  private final JobReplies replies;
  private final Clock clock;
  private final String secretPrefix;
  private final GenerationMetrics metrics;
  private final GenerationActivity activity;

  GenerationJobWorker(
      CamundaClient camunda,
      EngineCommands commands,
      GenerationOperations operations,
      SecretProvider secretProvider,
      ObjectMapper json,
      ProgressVariable progress,
      String secretPrefix,
      GenerationMetrics metrics,
      GenerationActivity activity,
      Clock clock) {
    this.secretPrefix = secretPrefix;
    this.metrics = metrics;
    this.activity = activity;
    this.operations = operations;
    this.secrets = new SecretResolver(secretProvider);
    this.json = json;
    this.progress = progress;
    this.replies = new JobReplies(camunda, commands, json, clock);
    this.clock = clock;
  }

  /** The variables any operation reads: its request's fields, the handle and the progress. */
  static List<String> variablesRead() {
    Set<String> names = new TreeSet<>(List.of(STATE_VARIABLE, ProgressVariable.NAME));
    for (Class<?> request : List.of(SubmitRequest.class, GenerateRequest.class, AwaitRequest.class, CancelRequest.class)) {
      Arrays.stream(request.getRecordComponents()).map(RecordComponent::getName).forEach(names::add);
    }
    return List.copyOf(names);
  }

  void handle(ActivatedJob job) {
    Duration left = Duration.between(clock.instant(), Instant.ofEpochMilli(job.getDeadline()));
    if (left.compareTo(SAFETY_MARGIN) < 0) {
      LOG.warn("Job {} reached this runtime with only {} of its activation left; it is left to time out and be activated again", job.getKey(), left);
      return;
    }
    String operation = job.getCustomHeaders().getOrDefault("operation", "generate");
    TaskOrigin origin = new TaskOrigin(job.getBpmnProcessId(), job.getProcessInstanceKey(), job.getElementId(), job.getElementInstanceKey());
    JsonNode variables = null;
    boolean waits = false;
    try {
      variables = json.readTree(secrets.resolve(job.getVariables(), job.getTenantId()));
      switch (operation) {
        case "submit" -> {
          SubmitRequest request = bind(variables, SubmitRequest.class);
          JobHandle handle = operations.submit(request);
          LOG.info("Submitted {} job {} for model {} (element {})", handle.provider(), handle.jobId(), handle.model(), job.getElementId());
          metrics.submitted(handle.provider(), operation);
          activity.submitted(origin, handle, Boolean.TRUE.equals(request.waitForCallback()));
          replies.complete(job, handle);
          metrics.ended(handle.provider(), operation, "SUCCEEDED", null, null);
        }
        case "await" -> {
          WaitStep.Outcome outcome = operations.await(bind(variables, AwaitRequest.class));
          metrics.polled(providerOf(variables), operation);
          waits = continueOrFinish(job, origin, variables, operation, outcome, null, false);
        }
        case "generate" -> {
          JobHandle submitted = stateIn(variables);
          WaitStep.Outcome outcome = operations.generate(bind(variables, GenerateRequest.class), submitted);
          if (submitted == null && outcome instanceof WaitStep.Pending pending) {
            LOG.info("Submitted {} job {} for model {} (element {})", pending.handle().provider(), pending.handle().jobId(), pending.handle().model(), job.getElementId());
            activity.submitted(origin, pending.handle(), false);
          }
          if (submitted == null) {
            metrics.submitted(providerOf(outcome), operation);
          } else {
            metrics.polled(submitted.provider(), operation);
          }
          waits = continueOrFinish(job, origin, variables, operation, outcome, submitted, submitted == null);
        }
        case "cancel" -> {
          replies.complete(job, operations.cancel(bind(variables, CancelRequest.class)));
          metrics.ended(providerOf(variables), operation, "SUCCEEDED", null, null);
        }
        default -> throw GenerationFailure.invalidInput("operation", "'" + operation + "' is not an operation. Use submit, await, cancel or generate.");
      }
    } catch (GenerationFailure failure) {
      LOG.info("{} job {} ended with {}: {}", operation, job.getKey(), failure.code(), failure.getMessage());
      if (!operation.equals("cancel")) {
        activity.failed(origin, handleIn(variables, operation), failure.code(), failure.getMessage());
      }
      replies.raise(job, failure);
      metrics.ended(providerOf(variables), operation, "ERROR", failure.code().name(), sinceSubmit(variables));
    } catch (MissingSecret missing) {
      LOG.warn("Job {} ({}) needs attention: {}", job.getKey(), operation, missing.describe(secretPrefix));
      replies.retryLater(job, 0, null, missing.describe(secretPrefix), null);
      metrics.ended(providerOf(variables), operation, "INCIDENT", null, null);
    } catch (ProviderRejected rejected) {
      LOG.warn("Job {} ({}) needs attention: {}", job.getKey(), operation, rejected.getMessage());
      replies.retryLater(job, 0, null, rejected.getMessage(), null);
      metrics.ended(providerOf(variables), operation, "INCIDENT", null, null);
    } catch (ProviderUnavailable unavailable) {
      Duration backoff = unavailable.retryAfter() != null ? unavailable.retryAfter() : retryBackoff(job);
      LOG.warn("Job {} ({}) will be retried in {}: {}", job.getKey(), operation, backoff, unavailable.getMessage());
      replies.retryLater(job, job.getRetries() - 1, backoff, unavailable.getMessage(), null);
      waits = job.getRetries() > 1;
      if (!waits) {
        metrics.ended(providerOf(variables), operation, "INCIDENT", null, null);
      }
    } catch (Exception unexpected) {
      LOG.error("Job {} ({}) failed", job.getKey(), operation, unexpected);
      replies.retryLater(job, job.getRetries() - 1, retryBackoff(job), String.valueOf(unexpected.getMessage()), null);
      waits = job.getRetries() > 1;
      if (!waits) {
        metrics.ended(providerOf(variables), operation, "INCIDENT", null, null);
      }
    } finally {
      if (!waits) {
        metrics.notWaiting(job.getKey());
      }
    }
  }

  /**
   * @param known the job's handle when the task has it already (generate), else {@code null}
   * @return whether the job waits for its next poll
   */
  private boolean continueOrFinish(
      ActivatedJob job, TaskOrigin origin, JsonNode variables, String operation, WaitStep.Outcome outcome, JobHandle known, boolean justSubmitted) {
    switch (outcome) {
      case WaitStep.Pending pending -> {
        JobHandle handle = pending.handle();
        activity.waiting(origin, handle, pending.progress());
        LOG.debug("{} job {} is {}; next poll in {}", handle.provider(), handle.jobId(), pending.providerStatus(), pending.delay());
        Map<String, Object> local = new LinkedHashMap<>();
        progress.update(variables.get(ProgressVariable.NAME), handle.submittedAt(), pending.providerStatus(), pending.progress(), clock.instant())
            .ifPresent(update -> local.put(ProgressVariable.NAME, update));
        if (justSubmitted) {
          local.put(STATE_VARIABLE, json.convertValue(handle, Map.class));
          replies.storeHandle(job, handle, local);
        } else if (!local.isEmpty()) {
          replies.storeLocal(job, "progress", local);
        }
        Instant due = pending.from().plus(pending.delay());
        replies.scheduleNextPoll(job, due);
        metrics.waiting(job.getKey(), handle.provider(), due);
        return true;
      }
      case WaitStep.Done done -> {
        LOG.info("{} job {} succeeded after {} polls", done.result().provider(), done.result().jobId(), done.result().metrics().get("polls"));
        activity.finished(origin, known, done.result(), false);
        replies.complete(job, done.result());
        metrics.ended(done.result().provider(), operation, done.result().status(), null, sinceSubmit(variables));
        return false;
      }
    }
  }

  private JobHandle stateIn(JsonNode variables) throws JsonProcessingException {
    return variables.hasNonNull(STATE_VARIABLE) ? json.treeToValue(variables.get(STATE_VARIABLE), JobHandle.class) : null;
  }

  /** The job a failed task was about, for the activity view; {@code null} when it had none (yet). */
  private JobHandle handleIn(JsonNode variables, String operation) {
    if (variables == null) {
      return null;
    }
    try {
      JsonNode handle = operation.equals("await") ? variables.get("job") : variables.get(STATE_VARIABLE);
      if (handle != null && handle.isTextual()) {
        handle = json.readTree(handle.asText());
      }
      return handle == null || !handle.isObject() ? null : json.treeToValue(handle, JobHandle.class);
    } catch (Exception e) {
      return null;
    }
  }

  /** The provider a task works with, for metrics: its handle's, else the one it chose, else "unknown". */
  private static String providerOf(JsonNode variables) {
    if (variables == null) {
      return "unknown";
    }
    JsonNode handle = variables.hasNonNull(STATE_VARIABLE) ? variables.get(STATE_VARIABLE) : variables.path("job");
    String named = handle.path("provider").isTextual() ? handle.get("provider").asText() : variables.path("provider").asText("");
    try {
      return ProviderId.of(named).id();
    } catch (RuntimeException e) {
      return handle.hasNonNull("customSpec") ? ProviderId.CUSTOM.id() : "unknown";
    }
  }

  private static String providerOf(WaitStep.Outcome outcome) {
    return switch (outcome) {
      case WaitStep.Pending pending -> pending.handle().provider();
      case WaitStep.Done done -> done.result().provider();
    };
  }

  /** Time since the task's job was submitted, when its handle is at hand. */
  private Duration sinceSubmit(JsonNode variables) {
    if (variables == null) {
      return null;
    }
    JsonNode handle = variables.hasNonNull(STATE_VARIABLE) ? variables.get(STATE_VARIABLE) : variables.path("job");
    try {
      return handle.path("submittedAt").isTextual() ? Duration.between(Instant.parse(handle.get("submittedAt").asText()), clock.instant()) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private <T> T bind(JsonNode variables, Class<T> type) {
    try {
      return json.treeToValue(variables, type);
    } catch (ValueInstantiationException e) {
      throw GenerationFailure.invalidInput(fieldOf(e), e.getCause() == null || e.getCause() instanceof JsonProcessingException ? Json.problem(e) : e.getCause().getMessage());
    } catch (JsonProcessingException e) {
      throw GenerationFailure.invalidInput(e instanceof JsonMappingException mapping ? fieldOf(mapping) : "variables", Json.problem(e));
    } catch (IllegalArgumentException e) {
      throw GenerationFailure.invalidInput("variables", "they do not fit the task's fields. Check the task's inputs against the template.");
    }
  }

  private static String fieldOf(JsonMappingException e) {
    return e.getPath().isEmpty() ? "variables" : e.getPath().get(e.getPath().size() - 1).getFieldName();
  }

  private static Duration retryBackoff(ActivatedJob job) {
    String header = job.getCustomHeaders().get("retryBackoff");
    try {
      return header == null || header.isBlank() ? DEFAULT_RETRY_BACKOFF : Duration.parse(header);
    } catch (RuntimeException e) {
      return DEFAULT_RETRY_BACKOFF;
    }
  }
}
