package io.aigen.camunda.connector.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.job.JobHandle;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.FinalCommandStep;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.connector.runtime.core.ConnectorResultHandler;
import io.camunda.connector.runtime.core.error.BpmnError;
import io.camunda.connector.runtime.core.error.ConnectorError;
import io.camunda.connector.runtime.core.error.JobError;
import io.camunda.connector.runtime.core.outbound.ErrorExpressionJobContext;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worked job tells the engine: complete it, throw a BPMN error, try it again later, store
 * variables, or come back for the next poll. Every command goes through {@link EngineCommands} and
 * is waited for, so that a job counts as held until the engine answered.
 *
 * <p>Results follow Camunda's connectors: task headers {@code resultVariable}, {@code
 * resultExpression} and {@code errorExpression}.
 */
final class JobReplies {

  private static final Logger LOG = LoggerFactory.getLogger(JobReplies.class);

  private final CamundaClient camunda;
  private final EngineCommands commands;
  private final ObjectMapper json;
  private final ConnectorResultHandler results;
  private final Clock clock;

  private final JobReturns returns;

  JobReplies(CamundaClient camunda, EngineCommands commands, ObjectMapper json, Clock clock, JobReturns returns) {
    this.returns = returns;
    this.camunda = camunda;
    this.commands = commands;
    this.json = json;
    this.results = new ConnectorResultHandler(json);
    this.clock = clock;
  }

  /**
   * Hands the job back to the engine until its next poll is {@code due}, by setting the job's
   * timeout. The job stays activated; once the time is up, the engine's job-timeout checker times it
   * out and it is activated again, by this runtime or any other.
   *
   * <p>Not "fail with a retry backoff": the engine can lose a job failed with a backoff. Its backoff
   * checker appends the recur command when {@code deadline <= now}, {@code JobRecurProcessor}
   * accepts it only when {@code deadline < now}, and the checker is only re-armed when some other
   * job is failed with a backoff (Zeebe 8.8, broker included; camunda/camunda#16884). The timeout
   * checker instead runs every second, and a job whose time-out was rejected is still past its
   * deadline on the next run. The cost: the job is re-activated up to about a second after its
   * delay, and three records more per generation than failing would write on a broker.
   *
   * <p>With job streams the timeout ends {@link JobReturns#EARLY} before the poll is due, since the
   * checker can run up to two seconds late; a job back before its poll is due waits in the
   * activator until then. Not when the provider set the wait ({@code Retry-After}), nor for a
   * retry's backoff: those say "not before", and only the engine's deadline holds on every runtime,
   * so then the timeout ends when the poll is due.
   *
   * @param providerWait the provider's {@code Retry-After} set {@code due}
   */
  void scheduleNextPoll(ActivatedJob job, Instant due, boolean providerWait) {
    // UpdateJobTimeout counts from when the engine processes it
    Duration timeout = Duration.between(clock.instant(), providerWait ? due : due.minus(returns.early()));
    if (timeout.toMillis() < 1) {
      timeout = Duration.ofMillis(1);
    }
    returns.expect(job.getKey(), clock.instant().plus(timeout), due);
    if (send(job, "schedule the next poll of", camunda.newUpdateTimeoutCommand(job.getKey()).timeout(timeout)) == Sent.TAKEN) {
      // the timeout counts from when the engine took the command, which a slow engine makes later
      returns.backAt(job.getKey(), clock.instant().plus(timeout));
    }
  }

  /**
   * Stores the handle right after submit. This must not be skipped: without it, the next
   * activation would submit again. So it is retried until the job's activation runs out; only a
   * crash before it lands can still lead to a second submission (see the README).
   */
  void storeHandle(ActivatedJob job, JobHandle handle, Map<String, Object> local) {
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

  /**
   * Sets task-local variables and waits until the engine has them; a failure is raised, so that
   * nothing that depends on them (a submit) happens.
   */
  void storeLocalOrThrow(ActivatedJob job, String what, Map<String, Object> local) {
    try {
      commands.send(camunda.newSetVariablesCommand(job.getElementInstanceKey()).variables(local).local(true), activationEnd(job)).join();
    } catch (CompletionException e) {
      throw new IllegalStateException("Could not store the " + what + " of job " + job.getKey() + " in the engine (" + e.getCause().getMessage() + "); nothing was submitted", e);
    }
  }

  /** Sets task-local variables; a failure is logged, not raised (the next poll writes them again). */
  void storeLocal(ActivatedJob job, String what, Map<String, Object> local) {
    send(job, "store the " + what + " of", camunda.newSetVariablesCommand(job.getElementInstanceKey()).variables(local).local(true));
  }

  /** @return {@code false} when the job was no longer in the engine (its task ended meanwhile) */
  boolean complete(ActivatedJob job, Object response) {
    Object responseValue = json.convertValue(response, Object.class);
    Map<String, Object> output =
        results.createOutputVariables(responseValue, job.getCustomHeaders().get("resultVariable"), job.getCustomHeaders().get("resultExpression"));
    Optional<ConnectorError> mapped = examineErrorExpression(job, output.isEmpty() ? responseValue : output);
    if (mapped.isPresent()) {
      applyMappedError(job, mapped.get());
      return true;
    }
    return send(job, "complete", camunda.newCompleteCommand(job.getKey()).variables(output)) != Sent.GONE;
  }

  /** @return {@code false} when the job was no longer in the engine (its task ended meanwhile) */
  boolean raise(ActivatedJob job, GenerationFailure failure) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", failure.getClass().getName());
    error.put("code", failure.code().name());
    error.put("message", failure.getMessage());
    Optional<ConnectorError> mapped = examineErrorExpression(job, Map.of("error", error));
    if (mapped.isPresent()) {
      applyMappedError(job, mapped.get());
      return true;
    }
    Map<String, Object> errorVariable = Map.of("aiGenerationError", Map.of("code", failure.code().name(), "message", failure.getMessage()));
    // Stored on its own first: the in-memory engine drops the variables of a throw-error command.
    if (send(job, "store the error of", camunda.newSetVariablesCommand(job.getElementInstanceKey()).variables(errorVariable).local(false)) == Sent.GONE) {
      return false;
    }
    return send(job, "throw the error of",
        camunda.newThrowErrorCommand(job.getKey()).errorCode(failure.code().name()).errorMessage(truncate(failure.getMessage())).variables(errorVariable))
        != Sent.GONE;
  }

  /**
   * Tries the job again after {@code backoff} with {@code retries} left, or raises an incident when
   * none are left. The wait is the job's timeout, like a poll's, never a fail command's retry
   * backoff ({@link #scheduleNextPoll} says why).
   */
  void retryLater(ActivatedJob job, int retries, Duration backoff, String message, Map<String, Object> variables) {
    if (variables != null && !variables.isEmpty()) {
      storeLocal(job, "variables", variables);
    }
    if (retries <= 0 || backoff == null || backoff.isZero() || backoff.isNegative()) {
      send(job, "fail", camunda.newFailCommand(job.getKey()).retries(Math.max(retries, 0)).errorMessage(truncate(message)));
      return;
    }
    if (retries != job.getRetries()) {
      send(job, "count a retry of", camunda.newUpdateRetriesCommand(job.getKey()).retries(retries));
    }
    scheduleNextPoll(job, clock.instant().plus(backoff), true);
  }

  private Optional<ConnectorError> examineErrorExpression(ActivatedJob job, Object response) {
    return results.examineErrorExpression(
        response, job.getCustomHeaders(), new ErrorExpressionJobContext(new ErrorExpressionJobContext.ErrorExpressionJob(job.getRetries())));
  }

  private void applyMappedError(ActivatedJob job, ConnectorError error) {
    switch (error) {
      case BpmnError bpmn ->
          send(job, "throw the error of",
              camunda.newThrowErrorCommand(job.getKey()).errorCode(bpmn.errorCode()).errorMessage(truncate(bpmn.errorMessage())).variables(bpmn.variables()));
      case JobError jobError ->
          retryLater(job, jobError.retries() == null ? job.getRetries() - 1 : jobError.retries(), jobError.retryBackoff(), jobError.errorMessage(), jobError.variables());
    }
  }

  /** How a command went. */
  private enum Sent {
    TAKEN,
    /** The job or its task is no longer in the engine: cancelled, or interrupted by an event, while it was worked. */
    GONE,
    FAILED
  }

  /** Sends a command and waits for the engine's answer; a failure is logged. */
  private Sent send(ActivatedJob job, String what, FinalCommandStep<?> command) {
    try {
      commands.send(command, activationEnd(job)).join();
      return Sent.TAKEN;
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (EngineCommands.statusOf(cause) == Status.Code.NOT_FOUND) {
        LOG.info("Job {} is no longer in the engine (its task was cancelled or interrupted while this runtime worked it); could not {} it", job.getKey(), what);
        return Sent.GONE;
      }
      LOG.warn("Could not {} job {}: {}", what, job.getKey(), cause.getMessage());
      return Sent.FAILED;
    }
  }

  /** Commands wait for a free slot until a little before the job's activation runs out. */
  private static Instant activationEnd(ActivatedJob job) {
    return Instant.ofEpochMilli(job.getDeadline()).minus(GenerationJobWorker.SAFETY_MARGIN.dividedBy(3));
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
