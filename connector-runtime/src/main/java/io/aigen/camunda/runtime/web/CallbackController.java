package io.aigen.camunda.runtime.web;

import io.aigen.camunda.connector.callback.CallbackHandler;
import io.aigen.camunda.connector.callback.CallbackOutcome;
import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.callback.CallbackRequest;
import io.aigen.camunda.connector.config.AiGenerationProperties;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientStatusException;
import io.grpc.Status;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /callbacks/{provider}}: a provider calls back, the callback is verified and read, and
 * the job's end is published as the message {@value CallbackOutcome#MESSAGE_NAME} with the job id
 * as correlation key. Answers 2xx when done (also for a duplicate), 4xx when sending it again
 * cannot help, 503 when it can.
 */
@RestController
public class CallbackController {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackController.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
  private static final CallbackHandler.Delivered PUBLISHED = new CallbackHandler.Delivered.Published("published " + CallbackOutcome.MESSAGE_NAME);
  private static final CallbackHandler.Delivered DUPLICATE = new CallbackHandler.Delivered.Duplicate();

  private final CallbackHandler handler;
  private final CamundaClient camunda;
  private final AiGenerationProperties properties;

  public CallbackController(CallbackHandler handler, CamundaClient camunda, AiGenerationProperties properties) {
    this.handler = handler;
    this.camunda = camunda;
    this.properties = properties;
  }

  /**
   * Verifies the callback on the request thread, then answers once the engine has taken the
   * message: the request thread goes back to the pool meanwhile (Spring MVC async), so a burst of
   * callbacks does not hold a thread each for the engine's round trip.
   */
  @PostMapping("/callbacks/{provider}")
  public CompletableFuture<ResponseEntity<Map<String, Object>>> callback(
      @PathVariable String provider, @RequestParam(name = "spec", required = false) String spec, HttpServletRequest http) throws IOException {
    return handler
        .handleAsync(provider, spec, new CallbackRequest(headers(http), body(http), query(http)), this::publish)
        .thenApply(CallbackController::response)
        .toCompletableFuture();
  }

  private static ResponseEntity<Map<String, Object>> response(CallbackHandler.Answer answer) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
    answer.headers().forEach(response::header);
    return response.body(answer.body());
  }

  /** Publishes the job's end as the message its process waits for, over gRPC, without waiting. */
  private CompletionStage<CallbackHandler.Delivered> publish(CallbackOutcome.Publish publish) {
    CompletionStage<?> sent;
    try {
      sent = camunda
          .newPublishMessageCommand()
          .messageName(CallbackOutcome.MESSAGE_NAME)
          .correlationKey(publish.correlationKey())
          .messageId(publish.messageId())
          .timeToLive(properties.callbacks().messageTtl())
          .variables(publish.variables())
          .requestTimeout(PUBLISH_TIMEOUT)
          .send();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(publish, e));
    }
    return sent.handle((published, failure) -> failure == null ? PUBLISHED : failed(publish, failure));
  }

  private static CallbackHandler.Delivered failed(CallbackOutcome.Publish publish, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof ClientStatusException status && status.getStatusCode() == Status.Code.ALREADY_EXISTS) {
      return DUPLICATE;
    }
    LOG.debug("{} job {}: publishing failed: {}", publish.provider(), publish.jobId(), cause.toString());
    return new CallbackHandler.Delivered.Retry("the engine is unavailable; retry");
  }

  private static Map<String, String> headers(HttpServletRequest http) {
    Map<String, String> headers = new HashMap<>();
    for (String name : Collections.list(http.getHeaderNames())) {
      headers.put(name, http.getHeader(name));
    }
    return headers;
  }

  private static Map<String, String> query(HttpServletRequest http) {
    Map<String, String> query = new HashMap<>();
    http.getParameterMap().forEach((name, values) -> {
      if (values.length > 0) {
        query.put(name, values[0]);
      }
    });
    return query;
  }

  /**
   * The raw body, read up to one byte past the receiver's limit, so that a larger one is refused
   * without reading it all.
   */
  private static byte[] body(HttpServletRequest http) throws IOException {
    try (InputStream in = http.getInputStream()) {
      return in.readNBytes(CallbackReceiver.MAX_BODY_BYTES + 1);
    }
  }
}
