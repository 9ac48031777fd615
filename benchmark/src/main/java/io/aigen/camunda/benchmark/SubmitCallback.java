package io.aigen.camunda.benchmark;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strategy (3): our {@code submit} task asking for a callback, then a receive task on the message
 * {@value #MESSAGE} with correlation key = the provider's job id; the sandbox calls the runtime's
 * callback endpoint when the job is done, the runtime verifies the call (fal: Ed25519, keys from
 * the JWKS URL) and publishes the message. The process and the runtime settings follow the example
 * {@code ai-generation-fal-callback.bpmn} and {@code CallbackEndToEndTest}.
 *
 * <p>The process has no status task and no timer: after the submit, the only provider request is
 * the submit itself, and the runtime does nothing for the instance until the callback comes.
 *
 * <p>Latency is measured as for the other strategies, from the sandbox job's completion to the
 * ELEMENT_COMPLETED of {@link #waitElementId} (the receive task, which the message completes);
 * requests, records, threads and heap likewise. Unlike the example, the process has no deadline
 * timer on the receive task (no run reaches it; it would only add records).
 */
final class SubmitCallback implements Strategy {

  static final String MESSAGE = "aigen-generation-done";

  @Override
  public String id() {
    return "callback";
  }

  @Override
  public String label() {
    return "(3) ours: submit + callback message";
  }

  @Override
  public boolean ours() {
    return true;
  }

  @Override
  public String describe(Options options) {
    return label() + ": submit task (waitForCallback), receive task on '" + MESSAGE + "' keyed by the job id, published by the runtime's"
        + " callback endpoint after it verified the sandbox's signed fal webhook";
  }

  @Override
  public String processId() {
    return "bench-callback";
  }

  @Override
  public String waitElementId() {
    return "waitForCallback";
  }

  @Override
  public BpmnModelInstance process(Setting setting) {
    return Bpmn.createExecutableProcess(processId())
        .startEvent("start")
        .serviceTask("submit", task -> task.zeebeJobType(GeneratePolling.TYPE)
            .zeebeJobRetries("3")
            .zeebeInput("FAL", "provider")
            .zeebeInput("{{secrets.FAL_KEY}}", "apiKey")
            .zeebeInput("fal-ai/flux/dev", "model")
            .zeebeInput("=input", "input")
            .zeebeInput("=true", "waitForCallback")
            .zeebeTaskHeader("operation", "submit")
            .zeebeTaskHeader("resultVariable", "aiJob"))
        .receiveTask("waitForCallback")
        .message(message -> message.name(MESSAGE).zeebeCorrelationKeyExpression("aiJob.jobId"))
        .endEvent("end")
        .done();
  }

  @Override
  public Map<String, String> runtimeProperties(Setting setting) {
    Map<String, String> properties = new LinkedHashMap<>();
    // providers call the runtime back at this address
    properties.put("aigen.public-base-url", setting.runtimeBaseUrl());
    // fal's webhook signatures are checked against the sandbox's keys
    properties.put("aigen.callbacks.fal-jwks-url", setting.sandbox().falJwksUrl());
    return properties;
  }
}
