package io.aigen.camunda.runtime.web;

import io.aigen.camunda.connector.callback.CallbackOutcome;
import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.callback.CallbackRejected;
import io.aigen.camunda.connector.callback.CallbackRequest;
import io.aigen.camunda.connector.worker.AiGenerationProperties;
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

  private final CallbackReceiver receiver;
  private final CamundaClient camunda;
  private final AiGenerationProperties properties;

  public CallbackController(CallbackReceiver receiver, CamundaClient camunda, AiGenerationProperties properties) {
    this.receiver = receiver;
    this.camunda = camunda;
    this.properties = properties;
  }

  @PostMapping("/callbacks/{provider}")
  public ResponseEntity<Map<String, Object>> callback(
      @PathVariable String provider, @RequestParam(name = "spec", required = false) String spec, HttpServletRequest http) throws IOException {
    CallbackRequest request;
    try {
      request = new CallbackRequest(headers(http), body(http));
    } catch (CallbackRejected tooLarge) {
      return reject(provider, tooLarge);
    }
    try {
      CallbackOutcome outcome = receiver.receive(provider, spec, request);
      return switch (outcome) {
        case CallbackOutcome.Ignored ignored -> {
          LOG.debug("{} callback for job {} is about '{}', not an end: nothing to publish", provider, ignored.jobId(), ignored.state());
          yield ResponseEntity.ok(Map.of("published", false, "state", String.valueOf(ignored.state())));
        }
        case CallbackOutcome.Publish publish -> publish(publish);
      };
    } catch (CallbackRejected rejected) {
      return reject(provider, rejected);
    }
  }

  private ResponseEntity<Map<String, Object>> publish(CallbackOutcome.Publish publish) {
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
      LOG.info("{} job {} ended {}: published {}", publish.provider(), publish.jobId(), publish.state(), CallbackOutcome.MESSAGE_NAME);
      return ResponseEntity.ok(Map.of("published", true, "messageId", publish.messageId()));
    } catch (ClientStatusException e) {
      if (e.getStatusCode() == Status.Code.ALREADY_EXISTS) {
        LOG.debug("{} job {}: duplicate callback absorbed", publish.provider(), publish.jobId());
        return ResponseEntity.ok(Map.of("published", false, "duplicate", true, "messageId", publish.messageId()));
      }
      LOG.warn("{} job {}: publishing failed, the provider should retry: {}", publish.provider(), publish.jobId(), e.getMessage());
      return ResponseEntity.status(503).body(Map.of("error", "the engine is unavailable; retry"));
    } catch (RuntimeException e) {
      LOG.warn("{} job {}: publishing failed, the provider should retry: {}", publish.provider(), publish.jobId(), e.toString());
      return ResponseEntity.status(503).body(Map.of("error", "the engine is unavailable; retry"));
    }
  }

  private static ResponseEntity<Map<String, Object>> reject(String provider, CallbackRejected rejected) {
    LOG.warn("Refused a {} callback ({}): {}", provider, rejected.status(), rejected.getMessage());
    return ResponseEntity.status(rejected.status()).body(Map.of("error", rejected.getMessage()));
  }

  private static Map<String, String> headers(HttpServletRequest http) {
    Map<String, String> headers = new HashMap<>();
    for (String name : Collections.list(http.getHeaderNames())) {
      headers.put(name, http.getHeader(name));
    }
    return headers;
  }

  /** The raw body, refused past the limit without reading it all. */
  private static byte[] body(HttpServletRequest http) throws IOException, CallbackRejected {
    if (http.getContentLengthLong() > CallbackReceiver.MAX_BODY_BYTES) {
      throw new CallbackRejected(413, "the body exceeds " + CallbackReceiver.MAX_BODY_BYTES + " bytes");
    }
    try (InputStream in = http.getInputStream()) {
      byte[] body = in.readNBytes(CallbackReceiver.MAX_BODY_BYTES + 1);
      if (body.length > CallbackReceiver.MAX_BODY_BYTES) {
        throw new CallbackRejected(413, "the body exceeds " + CallbackReceiver.MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }
}
