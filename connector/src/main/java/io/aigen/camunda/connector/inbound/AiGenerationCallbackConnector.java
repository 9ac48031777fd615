package io.aigen.camunda.connector.inbound;

import io.aigen.camunda.connector.AiGenerationComponents;
import io.aigen.camunda.connector.callback.CallbackHandler;
import io.aigen.camunda.connector.callback.CallbackOutcome;
import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.callback.CallbackRejected;
import io.aigen.camunda.connector.callback.CallbackRequest;
import io.camunda.connector.api.annotation.InboundConnector;
import io.camunda.connector.api.inbound.CorrelationFailureHandlingStrategy;
import io.camunda.connector.api.inbound.CorrelationRequest;
import io.camunda.connector.api.inbound.CorrelationResult;
import io.camunda.connector.api.inbound.Health;
import io.camunda.connector.api.inbound.InboundConnectorContext;
import io.camunda.connector.api.inbound.Severity;
import io.camunda.connector.api.inbound.webhook.MappedHttpRequest;
import io.camunda.connector.api.inbound.webhook.WebhookConnectorException;
import io.camunda.connector.api.inbound.webhook.WebhookConnectorExecutable;
import io.camunda.connector.api.inbound.webhook.WebhookHttpResponse;
import io.camunda.connector.api.inbound.webhook.WebhookProcessingPayload;
import io.camunda.connector.api.inbound.webhook.WebhookResult;
import io.camunda.connector.api.inbound.webhook.WebhookTriggerResultContext;
import io.camunda.connector.generator.dsl.BpmnType;
import io.camunda.connector.generator.java.annotation.ElementTemplate;
import io.camunda.connector.generator.java.annotation.ElementTemplate.ConnectorElementType;
import io.camunda.connector.generator.java.annotation.ElementTemplate.PropertyGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's callback as a Camunda inbound (webhook) connector: the runtime serves {@code POST
 * /inbound/<webhook ID>}, this connector verifies the callback with the same {@link
 * CallbackReceiver} as the runtime's {@code /callbacks/{provider}} endpoint, and correlates the
 * job's end to the element's message, keyed by the provider's job id.
 *
 * <p>Everything happens in {@link #verify}: a callback that is rejected (4xx/503) or about a state
 * that is not the end (Replicate's {@code processing}) is answered without correlating, and an end
 * is correlated with the message id {@code provider:jobId:state}, so a repeated callback is
 * absorbed by the engine. The runtime skips {@link #triggerWebhook} when {@code verify} answers;
 * {@code triggerWebhook} serves runtimes that do not call {@code verify}.
 *
 * <p>The variables correlated are {@code {request: {body: {provider, jobId, state, messageId,
 * generation}}}}, the shape of Camunda's webhook connector: the template's defaults read the job
 * id with {@code =request.body.jobId} and map {@code generation} into the process.
 */
@InboundConnector(name = "AI Generation callback", type = AiGenerationCallbackConnector.TYPE)
@ElementTemplate(
    id = AiGenerationCallbackConnector.TEMPLATE_ID,
    name = "AI Generation callback",
    version = 1,
    engineVersion = "^8.6",
    inputDataClass = CallbackConnectorProperties.class,
    description =
        "Wait for an AI provider's callback (fal, Replicate, Luma, unified task API) to a submit task with Wait for callback: verified, correlated by the job id (=aiJob.jobId)",
    icon = "icon.svg",
    metadata = @ElementTemplate.Metadata(keywords = {"AI", "generation", "callback", "webhook", "image", "video", "fal", "replicate"}),
    propertyGroups = {@PropertyGroup(id = "callback", label = "Provider callback")},
    defaultResultExpression = AiGenerationCallbackConnector.DEFAULT_RESULT_EXPRESSION,
    elementTypes = {
      @ConnectorElementType(
          appliesTo = {BpmnType.INTERMEDIATE_THROW_EVENT, BpmnType.INTERMEDIATE_CATCH_EVENT},
          elementType = BpmnType.INTERMEDIATE_CATCH_EVENT,
          templateIdOverride = AiGenerationCallbackConnector.TEMPLATE_ID + ".intermediate",
          templateNameOverride = "AI Generation callback (intermediate catch event)"),
      @ConnectorElementType(
          appliesTo = BpmnType.BOUNDARY_EVENT,
          elementType = BpmnType.BOUNDARY_EVENT,
          templateIdOverride = AiGenerationCallbackConnector.TEMPLATE_ID + ".boundary",
          templateNameOverride = "AI Generation callback (boundary event)")
    })
public class AiGenerationCallbackConnector implements WebhookConnectorExecutable {

  public static final String TYPE = "io.aigen:ai-generation-callback:1";
  public static final String TEMPLATE_ID = "io.aigen.camunda.ai-generation-callback";

  /** What a webhook ID may look like (as Camunda's webhook connector requires). */
  public static final String CONTEXT_PATTERN = "^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$";

  public static final String CONTEXT_MESSAGE =
      "can only contain letters, numbers, or single underscores/hyphens and cannot begin or end with an underscore/hyphen";

  /** Maps the job's end into the process as {@code generation}, like the outbound connector. */
  public static final String DEFAULT_RESULT_EXPRESSION = "={generation: request.body.generation}";

  private static final Logger LOG = LoggerFactory.getLogger(AiGenerationCallbackConnector.class);

  private final CallbackHandler handler;
  private final CallbackReceiver receiver;
  private InboundConnectorContext context;
  private CallbackConnectorProperties.Inbound properties;

  /** For runtimes that instantiate connectors themselves: provider defaults, environment secrets. */
  public AiGenerationCallbackConnector() {
    this(AiGenerationComponents.forSdkRuntime(System::getenv).callbacks());
  }

  /** @param receiver the runtime's, with its secrets and provider base URLs */
  public AiGenerationCallbackConnector(CallbackReceiver receiver) {
    this(new CallbackHandler(receiver), receiver);
  }

  /** @param handler the runtime's, reporting to its metrics and its activity view */
  public AiGenerationCallbackConnector(CallbackHandler handler, CallbackReceiver receiver) {
    this.receiver = receiver;
    this.handler = handler;
  }

  @Override
  public void activate(InboundConnectorContext context) {
    this.context = context;
    CallbackConnectorProperties bound = context.bindProperties(CallbackConnectorProperties.class);
    if (bound == null || bound.inbound() == null || bound.inbound().provider() == null) {
      throw new IllegalArgumentException("the element has no provider (inbound.provider)");
    }
    this.properties = bound.inbound();
    context.reportHealth(Health.up("provider", properties.provider().id()));
    LOG.info("AI generation callbacks of {} are received at /inbound/{}", properties.provider().id(), properties.context());
  }

  @Override
  public void deactivate() {
    if (context != null) {
      context.reportHealth(Health.down());
    }
  }

  /**
   * Receives the callback and answers it: correlated, absorbed as duplicate, ignored (not an end)
   * or rejected. Never returns {@code null}, so the runtime does not correlate a second time.
   */
  @Override
  public WebhookHttpResponse verify(WebhookProcessingPayload payload) {
    CallbackHandler.Answer answer;
    try {
      requireActiveAndPosted(payload);
      answer = handler.handle(providerId(), params(payload).get("spec"), request(payload), this::correlate);
    } catch (CallbackRejected rejected) {
      answer = CallbackHandler.Answer.refused(rejected);
    }
    if (answer.refusal() != null) {
      // the runtime writes WARNING activities to its log as well
      log(Severity.WARNING, "Refused a " + providerId() + " callback (" + answer.status() + "): " + answer.refusal());
    }
    Map<String, String> headers = new java.util.HashMap<>(answer.headers());
    headers.put("Content-Type", "application/json");
    return new WebhookHttpResponse(answer.body(), headers, answer.status());
  }

  /**
   * For runtimes that correlate after this call without asking {@link #verify} first: the job's
   * end as the request body; a callback that is not an end or is rejected ends in an exception
   * with the HTTP status.
   */
  @Override
  public WebhookResult triggerWebhook(WebhookProcessingPayload payload) {
    CallbackOutcome outcome;
    try {
      outcome = receive(payload);
    } catch (CallbackRejected rejected) {
      throw new WebhookConnectorException(rejected.status(), rejected.getMessage());
    }
    return switch (outcome) {
      case CallbackOutcome.Ignored ignored ->
          throw new WebhookConnectorException(202, "the callback is about '" + ignored.state() + "', not the job's end: nothing to correlate");
      case CallbackOutcome.Publish publish -> {
        MappedHttpRequest request = new MappedHttpRequest(body(publish), Map.of(), Map.of());
        yield () -> request;
      }
    };
  }

  private CallbackOutcome receive(WebhookProcessingPayload payload) throws CallbackRejected {
    requireActiveAndPosted(payload);
    return receiver.receive(providerId(), params(payload).get("spec"), request(payload));
  }

  private void requireActiveAndPosted(WebhookProcessingPayload payload) throws CallbackRejected {
    if (properties == null) {
      throw CallbackRejected.unavailable("the connector is not active");
    }
    if (payload.method() != null && !"POST".equalsIgnoreCase(payload.method())) {
      throw new CallbackRejected(405, "callbacks are POSTed, not " + payload.method());
    }
  }

  private static CallbackRequest request(WebhookProcessingPayload payload) {
    return new CallbackRequest(payload.headers() == null ? Map.of() : payload.headers(), payload.rawBody(), params(payload));
  }

  /** Hands the job's end to the waiting element through the runtime's correlation. */
  private CallbackHandler.Delivered correlate(CallbackOutcome.Publish publish) {
    // headers (signatures) and parameters (a custom spec) stay out of the process
    var variables = new WebhookTriggerResultContext(new MappedHttpRequest(body(publish), Map.of(), Map.of()), Map.of(), List.of());
    CorrelationResult result = context.correlate(new CorrelationRequest(variables, publish.messageId()));
    return switch (result) {
      case CorrelationResult.Success.MessageAlreadyCorrelated duplicate -> new CallbackHandler.Delivered.Duplicate();
      case CorrelationResult.Success success -> {
        log(Severity.INFO, publish.provider() + " job " + publish.jobId() + " ended " + publish.state() + ": correlated");
        yield new CallbackHandler.Delivered.Published("correlated to " + success.activatedElement().elementId());
      }
      case CorrelationResult.Failure failure -> failed(publish, failure);
    };
  }

  private CallbackHandler.Delivered failed(CallbackOutcome.Publish publish, CorrelationResult.Failure failure) {
    String message = String.valueOf(failure.message());
    return switch (failure.handlingStrategy()) {
      case CorrelationFailureHandlingStrategy.Ignore ignore -> new CallbackHandler.Delivered.Dropped(message);
      case CorrelationFailureHandlingStrategy.ForwardErrorToUpstream forward -> {
        log(Severity.WARNING, publish.provider() + " job " + publish.jobId() + ": correlation failed (" + (forward.isRetryable() ? 503 : 422) + ", "
            + (forward.isRetryable() ? "the provider should retry" : "not retryable") + "): " + message);
        yield forward.isRetryable() ? new CallbackHandler.Delivered.Retry(message) : new CallbackHandler.Delivered.Refused(422, message);
      }
    };
  }

  /** What the element's expressions see as {@code request.body}. */
  private static Map<String, Object> body(CallbackOutcome.Publish publish) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("provider", publish.provider());
    body.put("jobId", publish.jobId());
    body.put("state", publish.state());
    body.put("messageId", publish.messageId());
    body.putAll(publish.variables());
    return body;
  }

  private static Map<String, String> params(WebhookProcessingPayload payload) {
    return payload.params() == null ? Map.of() : payload.params();
  }

  private void log(Severity severity, String message) {
    if (context == null) {
      LOG.warn(message);
    } else {
      context.log(activity -> activity.withSeverity(severity).withTag("callback").withMessage(message));
    }
  }

  private String providerId() {
    return properties == null ? "?" : properties.provider().id();
  }
}
