package io.aigen.camunda.connector;

import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.model.CancelRequest;
import io.aigen.camunda.connector.model.GenerateRequest;
import io.aigen.camunda.connector.model.SubmitRequest;
import io.camunda.connector.api.annotation.Operation;
import io.camunda.connector.api.annotation.OutboundConnector;
import io.camunda.connector.api.annotation.Variable;
import io.camunda.connector.api.error.ConnectorException;
import io.camunda.connector.api.error.ConnectorRetryException;
import io.camunda.connector.api.outbound.OutboundConnectorProvider;

/**
 * The connector's operations as Camunda's connector SDK sees them. The element templates are
 * generated from the presets ({@code template.ElementTemplates}). In a Spring Boot connector runtime the jar's auto-configuration runs
 * these operations on the job worker ({@code worker.GenerationJobWorker}), which keeps
 * the job handle in the engine between polls.
 *
 * <p>Called through the SDK alone, {@code await} waits by {@link ConnectorRetryException}, that is
 * by failing the job with a retry backoff, which the engine can lose (see the job worker, {@code worker.GenerationJobWorker}); its delays still grow with the time since
 * submission. {@code generate} cannot keep its handle between polls there and refuses to wait
 * rather than risk a second submission.
 */
@OutboundConnector(name = "AI Generation", type = AiGenerationConnector.TYPE)
public class AiGenerationConnector implements OutboundConnectorProvider {

  public static final String TYPE = "io.aigen:ai-generation:1";

  private final GenerationOperations operations;

  /** For runtimes that create connectors themselves; secrets are resolved by the SDK before binding. */
  public AiGenerationConnector() {
    this(AiGenerationComponents.forSdkRuntime(name -> null).operations());
  }

  public AiGenerationConnector(GenerationOperations operations) {
    this.operations = operations;
  }

  @Operation(id = "generate", name = "Generate (submit and wait for the result)")
  public Object generate(@Variable GenerateRequest request) {
    throw new ConnectorException(
        "AI_RUNTIME_UNSUPPORTED",
        "'generate' keeps its job handle in the engine between polls, which needs the AI generation job worker. "
            + "It is loaded automatically in Spring Boot connector runtimes; elsewhere use 'submit' + 'await'. Nothing was submitted.");
  }

  @Operation(id = "submit", name = "Job: submit only")
  public JobHandle submit(@Variable SubmitRequest request) {
    return operations.submit(request);
  }

  @Operation(id = "await", name = "Job: wait for the result")
  public Object await(@Variable AwaitRequest request) {
    return switch (operations.await(request)) {
      case WaitStep.Done done -> done.result();
      case WaitStep.Pending pending ->
          throw ConnectorRetryException.builder()
              .message("Waiting for " + pending.handle().provider() + " job " + pending.handle().jobId() + ": " + pending.providerStatus())
              .retries(3)
              .backoffDuration(pending.delay())
              .build();
    };
  }

  @Operation(id = "cancel", name = "Job: cancel")
  public CancelReport cancel(@Variable CancelRequest request) {
    return operations.cancel(request);
  }
}
