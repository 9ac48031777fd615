package io.aigen.camunda.connector.worker;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.model.CancelRequest;
import io.aigen.camunda.connector.model.GenerateRequest;
import io.aigen.camunda.connector.model.SubmitRequest;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.FinalCommandStep;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.connector.runtime.core.ConnectorResultHandler;
import io.camunda.connector.runtime.core.error.BpmnError;
import io.camunda.connector.runtime.core.error.ConnectorError;
import io.camunda.connector.runtime.core.error.JobError;
import io.camunda.connector.runtime.core.outbound.ErrorExpressionJobContext;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one job of the connector: runs its operation and tells the engine what comes next. While a
 * generation is not done, the job stays with the engine until its next poll is due ({@link
 * #scheduleNextPoll}); no thread waits, and a restart or a second runtime simply picks up the next
 * poll.
 *
 * <p>Engine commands per poll: the handle is stored once, right after submit. A poll that finds the
 * job still running sends one command (the new timeout), and a second one only when the progress
 * changed and was last written (or the job submitted) {@code progressInterval} ago.
 * Waiting logs only at DEBUG.
 *
 * <p>Task headers follow Camunda's connectors: {@code operation}, {@code resultVariable}, {@code
 * resultExpression}, {@code errorExpression}, {@code retryBackoff}.
 */
final class GenerationJobWorker {

  /** Task-local variable holding the job handle of a {@code generate} task between polls. */
  public static final String STATE_VARIABLE = "aiGenerationState";

  private static final Logger LOG = LoggerFactory.getLogger(GenerationJobWorker.class);
  private static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(10);
  /** A job with less activation time left than this is not started; it comes back after its timeout. */
  static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);

  private final CamundaClient camunda;
  private final EngineCommands commands;
  private final GenerationOperations operations;
  private final SecretResolver secrets;
  private final ObjectMapper json;
  private final ConnectorResultHandler results;
  private final ProgressVariable progress;
  private final Clock clock;

  GenerationJobWorker(
      CamundaClient camunda,
      EngineCommands commands,
      GenerationOperations operations,
      SecretProvider secretProvider,
      ObjectMapper json,
      ProgressVariable progress,
      Clock clock) {
    this.camunda = camunda;
    this.commands = commands;
    this.operations = operations;
    this.secrets = new SecretResolver(secretProvider);
    this.json = json;
    this.results = new ConnectorResultHandler(json);
    this.progress = progress;
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
    try {
      JsonNode variables = json.readTree(secrets.resolve(job.getVariables(), job.getTenantId()));
      switch (operation) {
        case "submit" -> {
          JobHandle handle = operations.submit(bind(variables, SubmitRequest.class));
          LOG.info("Submitted {} job {} for model {} (element {})", handle.provider(), handle.jobId(), handle.model(), job.getElementId());
          complete(job, handle);
        }
        case "await" -> continueOrFinish(job, variables, operations.await(bind(variables, AwaitRequest.class)), false);
        case "generate" -> {
          JobHandle submitted = variables.hasNonNull(STATE_VARIABLE) ? json.treeToValue(variables.get(STATE_VARIABLE), JobHandle.class) : null;
          WaitStep.Outcome outcome = operations.generate(bind(variables, GenerateRequest.class), submitted);
          if (submitted == null && outcome instanceof WaitStep.Pending pending) {
            LOG.info("Submitted {} job {} for model {} (element {})", pending.handle().provider(), pending.handle().jobId(), pending.handle().model(), job.getElementId());
          }
          continueOrFinish(job, variables, outcome, submitted == null);
        }
        case "cancel" -> complete(job, operations.cancel(bind(variables, CancelRequest.class)));
        default -> throw GenerationFailure.invalidInput("operation", "'" + operation + "' is not an operation. Use submit, await, cancel or generate.");
      }
    } catch (GenerationFailure failure) {
      LOG.info("{} job {} ended with {}: {}", operation, job.getKey(), failure.code(), failure.getMessage());
      raise(job, failure);
    } catch (ProviderRejected rejected) {
      LOG.warn("Job {} ({}) needs attention: {}", job.getKey(), operation, rejected.getMessage());
      retryLater(job, 0, null, rejected.getMessage(), null);
    } catch (ProviderUnavailable unavailable) {
      Duration backoff = unavailable.retryAfter() != null ? unavailable.retryAfter() : retryBackoff(job);
      LOG.warn("Job {} ({}) will be retried in {}: {}", job.getKey(), operation, backoff, unavailable.getMessage());
      retryLater(job, job.getRetries() - 1, backoff, unavailable.getMessage(), null);
    } catch (Exception unexpected) {
      LOG.error("Job {} ({}) failed", job.getKey(), operation, unexpected);
      retryLater(job, job.getRetries() - 1, retryBackoff(job), String.valueOf(unexpected.getMessage()), null);
    }
  }

  private void continueOrFinish(ActivatedJob job, JsonNode variables, WaitStep.Outcome outcome, boolean justSubmitted) {
    switch (outcome) {
      case WaitStep.Pending pending -> {
        JobHandle handle = pending.handle();
        LOG.debug("{} job {} is {}; next poll in {}", handle.provider(), handle.jobId(), pending.providerStatus(), pending.delay());
        Map<String, Object> local = new LinkedHashMap<>();
        progress.update(variables.get(ProgressVariable.NAME), handle.submittedAt(), pending.providerStatus(), pending.progress(), clock.instant())
            .ifPresent(update -> local.put(ProgressVariable.NAME, update));
        if (justSubmitted) {
          local.put(STATE_VARIABLE, json.convertValue(handle, Map.class));
          storeHandle(job, handle, local);
        } else if (!local.isEmpty()) {
          await(job, "store the progress of", camunda.newSetVariablesCommand(job.getElementInstanceKey()).variables(local).local(true));
        }
        scheduleNextPoll(job, pending.from().plus(pending.delay()));
      }
      case WaitStep.Done done -> {
        LOG.info("{} job {} succeeded after {} polls", done.result().provider(), done.result().jobId(), done.result().metrics().get("polls"));
        complete(job, done.result());
      }
    }
  }

  /**
   * Hands the job back to the engine until its next poll is due, by setting the job's timeout to
   * the delay. The job stays activated; once the delay is over, the engine's job-timeout checker
   * times it out and it is activated again, by this runtime or any other.
   *
   * <p>Not "fail with a retry backoff": the engine can lose a job failed with a backoff. Its backoff
   * checker appends the recur command when {@code deadline <= now}, {@code JobRecurProcessor}
   * accepts it only when {@code deadline < now}, and the checker is only re-armed when some other
   * job is failed with a backoff (Zeebe 8.8, broker included; camunda/camunda#16884). The timeout
   * checker instead runs every second, and a job whose time-out was rejected is still past its
   * deadline on the next run. The cost: the job is re-activated up to about a second after its
   * delay, and three records more per generation than failing would write on a broker.
   */
  private void scheduleNextPoll(ActivatedJob job, Instant due) {
    Duration timeout = Duration.between(clock.instant(), due);
    await(job, "schedule the next poll of", camunda.newUpdateTimeoutCommand(job.getKey()).timeout(timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout));
  }

  /**
   * Stores the handle right after submit. This must not be skipped: without it, the next
   * activation would submit again. So it is retried until the job's activation runs out; only a
   * crash before it lands can still lead to a second submission (see the README).
   */
  private void storeHandle(ActivatedJob job, JobHandle handle, Map<String, Object> local) {
    Duration pause = Duration.ofMillis(200);
    while (true) {
      try {
        commands.send(camunda.newSetVariablesCommand(job.getElementInstanceKey()).variables(local).local(true), activationEnd(job)).join();
        return;
      } catch (CompletionException e) {
        if (clock.instant().plus(pause).isAfter(activationEnd(job))) {
          LOG.error(
              "Submitted {} job {} but could not store its handle in the engine ({}). When job {} is activated again it submits again; "
                  + "cancel {} job {} at the provider if that is not wanted.",
              handle.provider(), handle.jobId(), e.getCause().getMessage(), job.getKey(), handle.provider(), handle.jobId());
          return;
        }
        LOG.warn("Could not store the handle of {} job {} yet ({}); trying again", handle.provider(), handle.jobId(), e.getCause().getMessage());
        sleep(pause);
        pause = pause.multipliedBy(2);
      }
    }
  }

  private void complete(ActivatedJob job, Object response) {
    Object responseValue = json.convertValue(response, Object.class);
    Map<String, Object> output =
        results.createOutputVariables(responseValue, job.getCustomHeaders().get("resultVariable"), job.getCustomHeaders().get("resultExpression"));
    Optional<ConnectorError> mapped = examineErrorExpression(job, output.isEmpty() ? responseValue : output);
    if (mapped.isPresent()) {
      applyMappedError(job, mapped.get());
      return;
    }
    await(job, "complete", camunda.newCompleteCommand(job.getKey()).variables(output));
  }

  private void raise(ActivatedJob job, GenerationFailure failure) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", failure.getClass().getName());
    error.put("code", failure.code().name());
    error.put("message", failure.getMessage());
    Optional<ConnectorError> mapped = examineErrorExpression(job, Map.of("error", error));
    if (mapped.isPresent()) {
      applyMappedError(job, mapped.get());
      return;
    }
    Map<String, Object> errorVariable = Map.of("aiGenerationError", Map.of("code", failure.code().name(), "message", failure.getMessage()));
    // Stored on its own first: the in-memory engine drops the variables of a throw-error command.
    await(job, "store the error of", camunda.newSetVariablesCommand(job.getElementInstanceKey()).variables(errorVariable).local(false));
    await(job, "throw the error of",
        camunda.newThrowErrorCommand(job.getKey()).errorCode(failure.code().name()).errorMessage(truncate(failure.getMessage())).variables(errorVariable));
  }

  private Optional<ConnectorError> examineErrorExpression(ActivatedJob job, Object response) {
    return results.examineErrorExpression(
        response, job.getCustomHeaders(), new ErrorExpressionJobContext(new ErrorExpressionJobContext.ErrorExpressionJob(job.getRetries())));
  }

  private void applyMappedError(ActivatedJob job, ConnectorError error) {
    switch (error) {
      case BpmnError bpmn ->
          await(job, "throw the error of",
              camunda.newThrowErrorCommand(job.getKey()).errorCode(bpmn.errorCode()).errorMessage(truncate(bpmn.errorMessage())).variables(bpmn.variables()));
      case JobError jobError ->
          retryLater(job, jobError.retries() == null ? job.getRetries() - 1 : jobError.retries(), jobError.retryBackoff(), jobError.errorMessage(), jobError.variables());
    }
  }

  /**
   * Tries the job again after {@code backoff} with {@code retries} left, or raises an incident when
   * none are left. The wait is the job's timeout, like a poll's, never a fail command's retry
   * backoff ({@link #scheduleNextPoll} says why).
   */
  private void retryLater(ActivatedJob job, int retries, Duration backoff, String message, Map<String, Object> variables) {
    if (variables != null && !variables.isEmpty()) {
      await(job, "store the variables of", camunda.newSetVariablesCommand(job.getElementInstanceKey()).variables(variables).local(true));
    }
    if (retries <= 0 || backoff == null || backoff.isZero() || backoff.isNegative()) {
      await(job, "fail", camunda.newFailCommand(job.getKey()).retries(Math.max(retries, 0)).errorMessage(truncate(message)));
      return;
    }
    if (retries != job.getRetries()) {
      await(job, "count a retry of", camunda.newUpdateRetriesCommand(job.getKey()).retries(retries));
    }
    scheduleNextPoll(job, clock.instant().plus(backoff));
  }

  /** Sends a command and waits for the engine's answer, so that a held job includes its commands. */
  private void await(ActivatedJob job, String what, FinalCommandStep<?> command) {
    try {
      commands.send(command, activationEnd(job)).join();
    } catch (CompletionException e) {
      LOG.warn("Could not {} job {}: {}", what, job.getKey(), e.getCause().getMessage());
    }
  }

  private static Instant activationEnd(ActivatedJob job) {
    return Instant.ofEpochMilli(job.getDeadline()).minus(SAFETY_MARGIN.dividedBy(3));
  }

  private <T> T bind(JsonNode variables, Class<T> type) {
    try {
      return json.treeToValue(variables, type);
    } catch (ValueInstantiationException e) {
      throw GenerationFailure.invalidInput(fieldOf(e), e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage());
    } catch (JsonMappingException e) {
      throw GenerationFailure.invalidInput(fieldOf(e), e.getOriginalMessage());
    } catch (Exception e) {
      throw GenerationFailure.invalidInput("variables", e.getMessage());
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

  private static String truncate(String message) {
    if (message == null) {
      return null;
    }
    return message.length() > 6000 ? message.substring(0, 6000) : message;
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
