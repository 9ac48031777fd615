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
import java.util.concurrent.TimeUnit;
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

  private final CallbackHandler handler;
  private final CamundaClient camunda;
  private final AiGenerationProperties properties;

  public CallbackController(CallbackHandler handler, CamundaClient camunda, AiGenerationProperties properties) {
    this.handler = handler;
    this.camunda = camunda;
    this.properties = properties;
  }

  @PostMapping("/callbacks/{provider}")
  public ResponseEntity<Map<String, Object>> callback(
      @PathVariable String provider, @RequestParam(name = "spec", required = false) String spec, HttpServletRequest http) throws IOException {
    CallbackHandler.Answer answer = handler.handle(provider, spec, new CallbackRequest(headers(http), body(http), query(http)), this::publish);
    ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
    answer.headers().forEach(response::header);
    return response.body(answer.body());
  }

  /** Publishes the job's end as the message its process waits for, over gRPC. */
  private CallbackHandler.Delivered publish(CallbackOutcome.Publish publish) {
    try {
      camunda
          .newPublishMessageCommand()
          .messageName(CallbackOutcome.MESSAGE_NAME)
          .correlationKey(publish.correlationKey())
          .messageId(publish.messageId())
          .timeToLive(properties.callbacks().messageTtl())
          .variables(publish.variables())
          .send()
          .join(10, TimeUnit.SECONDS);
      return new CallbackHandler.Delivered.Published("published " + CallbackOutcome.MESSAGE_NAME);
    } catch (ClientStatusException e) {
      if (e.getStatusCode() == Status.Code.ALREADY_EXISTS) {
        return new CallbackHandler.Delivered.Duplicate();
      }
      LOG.debug("{} job {}: publishing failed: {}", publish.provider(), publish.jobId(), e.getMessage());
      return new CallbackHandler.Delivered.Retry("the engine is unavailable; retry");
    } catch (RuntimeException e) {
      LOG.debug("{} job {}: publishing failed: {}", publish.provider(), publish.jobId(), e.toString());
      return new CallbackHandler.Delivered.Retry("the engine is unavailable; retry");
    }
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
