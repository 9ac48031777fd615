package io.aigen.camunda.connector.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.aigen.camunda.connector.GenerationOperations;
import io.aigen.camunda.connector.error.ErrorCode;
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
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.api.worker.JobHandler;
import io.camunda.connector.runtime.core.ConnectorResultHandler;
import io.camunda.connector.runtime.core.error.BpmnError;
import io.camunda.connector.runtime.core.error.ConnectorError;
import io.camunda.connector.runtime.core.error.JobError;
import io.camunda.connector.runtime.core.outbound.ErrorExpressionJobContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the connector's jobs on a plain Zeebe job worker. While a job is not done, the worker stores
 * the job handle as a task-local variable, then fails the job with its retries unchanged and a
 * backoff equal to the next poll delay: the engine keeps the schedule and the state, no thread
 * waits, and a restart or a second runtime simply picks up the next poll. Waiting logs only at
 * DEBUG.
 *
 * <p>Variables are stored with their own command before the fail or throw-error command, because
 * not every engine version keeps the variables given to those (the in-memory engine 8.8 drops
 * them). If the runtime dies in between, the next activation still finds them.
 *
 * <p>Task headers follow Camunda's connectors: {@code operation}, {@code resultVariable}, {@code
 * resultExpression}, {@code errorExpression}, {@code retryBackoff}.
 */
public final class GenerationJobWorker implements JobHandler {

  /** Task-local variable holding the job handle between polls. */
  public static final String STATE_VARIABLE = "aiGenerationState";

  private static final Logger LOG = LoggerFactory.getLogger(GenerationJobWorker.class);
  private static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(10);

  private final CamundaClient camunda;
  private final GenerationOperations operations;
  private final SecretResolver secrets;
  private final ObjectMapper json;
  private final ConnectorResultHandler results;

  public GenerationJobWorker(
      CamundaClient camunda, GenerationOperations operations, io.camunda.connector.api.secret.SecretProvider secretProvider, ObjectMapper json) {
    this.camunda = camunda;
    this.operations = operations;
    this.secrets = new SecretResolver(secretProvider);
    this.json = json;
    this.results = new ConnectorResultHandler(json);
  }

  @Override
  public void handle(JobClient client, ActivatedJob job) {
    String operation = job.getCustomHeaders().getOrDefault("operation", "generate");
    try {
      JsonNode variables = json.readTree(secrets.resolve(job.getVariables(), job.getTenantId()));
      JobHandle state = variables.hasNonNull(STATE_VARIABLE) ? json.treeToValue(variables.get(STATE_VARIABLE), JobHandle.class) : null;
      switch (operation) {
        case "submit" -> {
          JobHandle handle = operations.submit(bind(variables, SubmitRequest.class));
          LOG.info("Submitted {} job {} for model {} (element {})", handle.provider(), handle.jobId(), handle.model(), job.getElementId());
          complete(client, job, handle);
        }
        case "await" -> continueOrFinish(client, job, operations.await(bind(variables, AwaitRequest.class), state));
        case "generate" -> {
          WaitStep.Outcome outcome = operations.generate(bind(variables, GenerateRequest.class), state);
          if (state == null && outcome instanceof WaitStep.Pending pending) {
            LOG.info("Submitted {} job {} for model {} (element {})", pending.handle().provider(), pending.handle().jobId(), pending.handle().model(), job.getElementId());
          }
          continueOrFinish(client, job, outcome);
        }
        case "cancel" -> complete(client, job, operations.cancel(bind(variables, CancelRequest.class)));
        default -> throw GenerationFailure.invalidInput("operation", "'" + operation + "' is not an operation. Use submit, await, cancel or generate.");
      }
    } catch (GenerationFailure failure) {
      LOG.info("{} job {} ended with {}: {}", operation, job.getKey(), failure.code(), failure.getMessage());
      raise(client, job, failure);
    } catch (ProviderRejected rejected) {
      LOG.warn("Job {} ({}) needs attention: {}", job.getKey(), operation, rejected.getMessage());
      fail(client, job, 0, null, rejected.getMessage(), null);
    } catch (ProviderUnavailable unavailable) {
      Duration backoff = unavailable.retryAfter() != null ? unavailable.retryAfter() : retryBackoff(job);
      LOG.warn("Job {} ({}) will be retried in {}: {}", job.getKey(), operation, backoff, unavailable.getMessage());
      fail(client, job, job.getRetries() - 1, backoff, unavailable.getMessage(), null);
    } catch (Exception unexpected) {
      LOG.error("Job {} ({}) failed", job.getKey(), operation, unexpected);
      fail(client, job, job.getRetries() - 1, retryBackoff(job), String.valueOf(unexpected.getMessage()), null);
    }
  }

  private void continueOrFinish(JobClient client, ActivatedJob job, WaitStep.Outcome outcome) {
    switch (outcome) {
      case WaitStep.Pending pending -> {
        JobHandle handle = pending.handle();
        LOG.debug("{} job {} is {}; next poll in {}", handle.provider(), handle.jobId(), pending.providerStatus(), pending.delay());
        Map<String, Object> state = Map.of(STATE_VARIABLE, json.convertValue(handle, Map.class));
        String message = "Waiting for " + handle.provider() + " job " + handle.jobId() + ": " + pending.providerStatus() + " after " + handle.polls() + " polls";
        storeThen(job, state, true, () -> fail(client, job, Math.max(job.getRetries(), 1), pending.delay(), message, null));
      }
      case WaitStep.Done done -> {
        LOG.info("{} job {} succeeded after {} polls", done.result().provider(), done.result().jobId(), done.result().metrics().get("polls"));
        complete(client, job, done.result());
      }
    }
  }

  private void complete(JobClient client, ActivatedJob job, Object response) {
    Object responseValue = json.convertValue(response, Object.class);
    Map<String, Object> output =
        results.createOutputVariables(responseValue, job.getCustomHeaders().get("resultVariable"), job.getCustomHeaders().get("resultExpression"));
    Optional<ConnectorError> mapped = examineErrorExpression(job, output.isEmpty() ? responseValue : output);
    if (mapped.isPresent()) {
      applyMappedError(client, job, mapped.get());
      return;
    }
    client.newCompleteCommand(job).variables(output).send().whenComplete((answer, e) -> logCommandFailure(job, "complete", e));
  }

  private void raise(JobClient client, ActivatedJob job, GenerationFailure failure) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", failure.getClass().getName());
    error.put("code", failure.code().name());
    error.put("message", failure.getMessage());
    Optional<ConnectorError> mapped = examineErrorExpression(job, Map.of("error", error));
    if (mapped.isPresent()) {
      applyMappedError(client, job, mapped.get());
      return;
    }
    Map<String, Object> errorVariable = Map.of("aiGenerationError", Map.of("code", failure.code().name(), "message", failure.getMessage()));
    storeThen(
        job,
        errorVariable,
        false,
        () ->
            client
                .newThrowErrorCommand(job)
                .errorCode(failure.code().name())
                .errorMessage(truncate(failure.getMessage()))
                .variables(errorVariable)
                .send()
                .whenComplete((answer, e) -> logCommandFailure(job, "throw error", e)));
  }

  /**
   * Sets variables on the job's element ({@code local}) or the scopes above it, then runs {@code
   * next}, whether or not storing worked.
   */
  private void storeThen(ActivatedJob job, Map<String, Object> variables, boolean local, Runnable next) {
    camunda
        .newSetVariablesCommand(job.getElementInstanceKey())
        .variables(variables)
        .local(local)
        .send()
        .whenComplete(
            (answer, e) -> {
              logCommandFailure(job, "store the variables of", e);
              next.run();
            });
  }

  private Optional<ConnectorError> examineErrorExpression(ActivatedJob job, Object response) {
    return results.examineErrorExpression(
        response, job.getCustomHeaders(), new ErrorExpressionJobContext(new ErrorExpressionJobContext.ErrorExpressionJob(job.getRetries())));
  }

  private void applyMappedError(JobClient client, ActivatedJob job, ConnectorError error) {
    switch (error) {
      case BpmnError bpmn ->
          client.newThrowErrorCommand(job).errorCode(bpmn.errorCode()).errorMessage(truncate(bpmn.errorMessage())).variables(bpmn.variables()).send()
              .whenComplete((answer, e) -> logCommandFailure(job, "throw error", e));
      case JobError jobError ->
          fail(client, job, jobError.retries() == null ? job.getRetries() - 1 : jobError.retries(), jobError.retryBackoff(), jobError.errorMessage(), jobError.variables());
    }
  }

  private void fail(JobClient client, ActivatedJob job, int retries, Duration backoff, String message, Map<String, Object> variables) {
    var command = client.newFailCommand(job).retries(Math.max(retries, 0)).errorMessage(truncate(message));
    if (backoff != null) {
      command = command.retryBackoff(backoff);
    }
    if (variables != null && !variables.isEmpty()) {
      command = command.variables(variables);
    }
    command.send().whenComplete((answer, e) -> logCommandFailure(job, "fail", e));
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

  private static void logCommandFailure(ActivatedJob job, String command, Throwable e) {
    if (e != null) {
      LOG.warn("Could not {} job {}: {}", command, job.getKey(), e.getMessage());
    }
  }
}
