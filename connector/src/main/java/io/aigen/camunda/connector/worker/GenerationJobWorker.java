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
import io.aigen.camunda.connector.job.GenerationResult;
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
  /**
   * Task-local list of warnings gathered while waiting (an undocumented status the provider
   * answered), added to the result's {@code warnings} or to a timeout's message.
   */
  public static final String WARNINGS_VARIABLE = "aiGenerationWarnings";
  /**
   * Task-local record of a submit about to be sent, for providers whose spec can find a submitted
   * job ({@code recover}): its marker and when it was first sent. Written before the first submit;
   * a later activation that finds it looks for the job before it submits again.
   */
  public static final String SUBMIT_VARIABLE = "aiGenerationSubmit";

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
  private final JobReturns returns;

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
      Clock clock,
      JobReturns returns) {
    this.returns = returns;
    this.secretPrefix = secretPrefix;
    this.metrics = metrics;
    this.activity = activity;
    this.operations = operations;
    this.secrets = new SecretResolver(secretProvider);
    this.json = json;
    this.progress = progress;
    this.replies = new JobReplies(camunda, commands, json, clock, returns);
    this.clock = clock;
  }

  /** The variables any operation reads: its request's fields, the handle and the progress. */
  static List<String> variablesRead() {
    Set<String> names = new TreeSet<>(List.of(STATE_VARIABLE, ProgressVariable.NAME, WARNINGS_VARIABLE, SUBMIT_VARIABLE));
    for (Class<?> request : List.of(SubmitRequest.class, GenerateRequest.class, AwaitRequest.class, CancelRequest.class)) {
      Arrays.stream(request.getRecordComponents()).map(RecordComponent::getName).forEach(names::add);
    }
    return List.copyOf(names);
  }

  void handle(ActivatedJob job) {
    Duration left = Duration.between(clock.instant(), Instant.ofEpochMilli(job.getDeadline()));
    if (left.compareTo(SAFETY_MARGIN) < 0) {
      LOG.warn("Job {} reached this runtime with only {} of its activation left; it is left to time out and be activated again", job.getKey(), left);
      returns.expect(job.getKey(), Instant.ofEpochMilli(job.getDeadline()), Instant.ofEpochMilli(job.getDeadline()));
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
          JobHandle handle = operations.submit(request, submitAttempt(job, variables, request));
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
          GenerateRequest request = bind(variables, GenerateRequest.class);
          WaitStep.Outcome outcome =
              operations.generate(request, submitted, submitted == null ? submitAttempt(job, variables, request.submitRequest()) : null);
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
    } catch (GenerationFailure raised) {
      List<String> warnings = warningsOf(variables);
      GenerationFailure failure = warnings.isEmpty() || raised.code() != io.aigen.camunda.connector.error.ErrorCode.AI_GENERATION_TIMEOUT
          ? raised
          : new GenerationFailure(raised.code(), raised.getMessage() + " " + String.join(" ", warnings));
      LOG.info("{} job {} ended with {}: {}", operation, job.getKey(), failure.code(), failure.getMessage());
      if (!operation.equals("cancel")) {
        activity.failed(origin, handleIn(variables, operation), failure.code(), failure.getMessage());
      }
      if (replies.raise(job, failure)) { // not counted for a task that ended meanwhile
        metrics.ended(providerOf(variables), operation, "ERROR", failure.code().name(), sinceSubmit(variables));
      }
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
      boolean keepsRetries = submitOutageWithinWindow(job, operation, variables);
      LOG.warn("Job {} ({}) will be retried in {}: {}", job.getKey(), operation, backoff, unavailable.getMessage());
      replies.retryLater(job, keepsRetries ? job.getRetries() : job.getRetries() - 1, backoff, unavailable.getMessage(), null);
      waits = keepsRetries || job.getRetries() > 1;
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
        if (pending.unknownStatus() != null) {
          String warning = "The provider answered the status '" + pending.unknownStatus() + "', which its spec does not list; it was taken as still running (the wait goes on until the max duration).";
          List<String> warnings = new java.util.ArrayList<>(warningsOf(variables));
          if (!warnings.contains(warning)) {
            LOG.warn("{} job {}: {}", handle.provider(), handle.jobId(), warning);
            warnings.add(warning);
            local.put(WARNINGS_VARIABLE, warnings);
          }
        }
        if (justSubmitted) {
          local.put(STATE_VARIABLE, json.convertValue(handle, Map.class));
          replies.storeHandle(job, handle, local);
        } else if (!local.isEmpty()) {
          replies.storeLocal(job, "progress", local);
        }
        Instant due = pending.from().plus(pending.delay());
        replies.scheduleNextPoll(job, due, pending.providerWait());
        metrics.waiting(job.getKey(), handle.provider(), due);
        return true;
      }
      case WaitStep.Done done -> {
        LOG.info("{} job {} succeeded after {} polls", done.result().provider(), done.result().jobId(), done.result().metrics().get("polls"));
        GenerationResult result = withWarnings(done.result(), warningsOf(variables));
        activity.finished(origin, known, result, false);
        if (replies.complete(job, result)) { // not counted for a task that ended meanwhile
          metrics.ended(done.result().provider(), operation, done.result().status(), null, sinceSubmit(variables));
        }
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

  /**
   * The task's submit attempt, for providers that can find a submitted job: the one recorded
   * earlier, or a new one, recorded in the engine before anything is sent. {@code null} for other
   * providers, which are submitted again after a crash (the README's submit window).
   */
  private io.aigen.camunda.connector.job.SubmitAttempt submitAttempt(ActivatedJob job, JsonNode variables, SubmitRequest request) {
    if (!operations.findsEarlierSubmits(request)) {
      return null;
    }
    JsonNode earlier = variables.path(SUBMIT_VARIABLE);
    if (earlier.path("marker").isTextual() && earlier.path("firstSentAt").isTextual()) {
      try {
        return new io.aigen.camunda.connector.job.SubmitAttempt(earlier.get("marker").asText(), Instant.parse(earlier.get("firstSentAt").asText()), true);
      } catch (RuntimeException unreadable) {
        // written by us; if it cannot be read, start a new record below
      }
    }
    io.aigen.camunda.connector.job.SubmitAttempt first =
        new io.aigen.camunda.connector.job.SubmitAttempt("aigen-" + job.getProcessInstanceKey() + "-" + job.getKey(), clock.instant(), false);
    replies.storeLocalOrThrow(job, "submit attempt", Map.of(SUBMIT_VARIABLE, Map.of("marker", first.marker(), "firstSentAt", first.firstSentAt().toString())));
    return first;
  }

  /**
   * Whether a passing outage (5xx, 429, network) met while submitting leaves the task's retries as
   * they are: like an outage during the wait, it is waited through until the max duration, counted
   * from the first attempt ({@link #SUBMIT_VARIABLE}, recorded here at the first outage when the
   * provider needed no record before). Later, retries count down to an incident as before.
   */
  private boolean submitOutageWithinWindow(ActivatedJob job, String operation, JsonNode variables) {
    boolean submitting = operation.equals("submit") || (operation.equals("generate") && variables != null && !variables.hasNonNull(STATE_VARIABLE));
    if (!submitting) {
      return false;
    }
    try {
      SubmitRequest request = bind(variables, SubmitRequest.class);
      Duration window = operations.submitWindow(request, variables.path("maxDuration").isTextual() ? variables.get("maxDuration").asText() : null);
      JsonNode earlier = variables.path(SUBMIT_VARIABLE).path("firstSentAt");
      if (!earlier.isTextual()) {
        if (!operations.findsEarlierSubmits(request)) {
          // providers with a lookup recorded their attempt (with its marker) before this submit
          replies.storeLocal(job, "submit attempt", Map.of(SUBMIT_VARIABLE, Map.of("firstSentAt", clock.instant().toString())));
        }
        return true;
      }
      return Duration.between(Instant.parse(earlier.asText()), clock.instant()).compareTo(window) < 0;
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  /** The warnings gathered while waiting ({@link #WARNINGS_VARIABLE}). */
  private static List<String> warningsOf(JsonNode variables) {
    JsonNode stored = variables == null ? null : variables.get(WARNINGS_VARIABLE);
    if (stored == null || !stored.isArray()) {
      return List.of();
    }
    List<String> warnings = new java.util.ArrayList<>();
    stored.forEach(w -> warnings.add(w.asText()));
    return warnings;
  }

  private static GenerationResult withWarnings(GenerationResult result, List<String> gathered) {
    if (gathered.isEmpty()) {
      return result;
    }
    List<String> warnings = new java.util.ArrayList<>(result.warnings());
    warnings.addAll(gathered);
    return new GenerationResult(
        result.status(), result.provider(), result.jobId(), result.outputs(), result.providerResult(), result.metrics(), warnings, result.originalOutputs());
  }

  /** The task's job handle as its variables hold it (generate: the stored state, await: its input), unread. */
  private static JsonNode handleNode(JsonNode variables) {
    return variables.hasNonNull(STATE_VARIABLE) ? variables.get(STATE_VARIABLE) : variables.path("job");
  }

  /** The provider a task works with, for metrics: its handle's, else the one it chose, else "unknown". */
  private static String providerOf(JsonNode variables) {
    if (variables == null) {
      return "unknown";
    }
    JsonNode handle = handleNode(variables);
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
    JsonNode handle = handleNode(variables);
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
