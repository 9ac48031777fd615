package io.aigen.camunda.runtime.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.callback.CallbackHandler;
import io.aigen.camunda.connector.callback.CallbackOutcome;
import io.aigen.camunda.connector.callback.CallbackReceiver;
import io.aigen.camunda.connector.callback.CallbackRequest;
import io.aigen.camunda.connector.config.AiGenerationProperties;
import io.aigen.camunda.connector.worker.EngineCommands;
import io.camunda.client.CamundaClient;
import io.grpc.Status;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code POST /callbacks/{provider}}: a provider calls back, the callback is verified and read, and
 * the job's end is published as the message {@value CallbackOutcome#MESSAGE_NAME} with the job id
 * as correlation key. Answers 2xx when done (also for a duplicate), 4xx when sending it again
 * cannot help, 503 with {@code Retry-After} when it can.
 *
 * <p>A plain asynchronous servlet rather than a Spring MVC controller: the callback is verified on
 * the request thread, which then goes back to the pool while the engine takes the message; the
 * answer is written when the engine has answered. Spring MVC's dispatch (twice, for an async
 * answer) cost more CPU than the rest of a callback's path but the signature check.
 */
public class CallbackServlet extends HttpServlet {

  public static final String PATH = "/callbacks/*";

  private static final Logger LOG = LoggerFactory.getLogger(CallbackServlet.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
  /** Longer than the publish timeout: the answer is always the engine's, never the container's. */
  private static final long ASYNC_TIMEOUT_MILLIS = PUBLISH_TIMEOUT.toMillis() + 5_000;
  private static final CallbackHandler.Delivered PUBLISHED = new CallbackHandler.Delivered.Published("published " + CallbackOutcome.MESSAGE_NAME);
  private static final CallbackHandler.Delivered DUPLICATE = new CallbackHandler.Delivered.Duplicate();

  private final transient CallbackHandler handler;
  private final transient CamundaClient camunda;
  private final Duration messageTtl;
  private final transient ObjectMapper json;

  public CallbackServlet(CallbackHandler handler, CamundaClient camunda, AiGenerationProperties properties, ObjectMapper json) {
    this.handler = handler;
    this.camunda = camunda;
    this.messageTtl = properties.callbacks().messageTtl();
    this.json = json;
  }

  /** Registers the servlet at {@value #PATH}, beside Spring MVC's dispatcher. */
  @Configuration(proxyBeanMethods = false)
  public static class Registration {
    @Bean
    public ServletRegistrationBean<CallbackServlet> aiGenerationCallbackServlet(
        CallbackHandler handler, CamundaClient camunda, AiGenerationProperties properties, ObjectMapper json) {
      ServletRegistrationBean<CallbackServlet> registration = new ServletRegistrationBean<>(new CallbackServlet(handler, camunda, properties, json), PATH);
      registration.setName("aiGenerationCallbacks");
      registration.setAsyncSupported(true);
      registration.setLoadOnStartup(1);
      return registration;
    }

    /** The engine's answers to the callbacks' publishes, on two threads of their own ({@link PublishAnswerThreads}). */
    @Bean
    public PublishAnswerThreads aiGenerationPublishAnswerThreads() {
      return new PublishAnswerThreads();
    }

    /**
     * Callbacks are counted and timed by {@code aigen_callbacks_total} and {@code
     * aigen_callback_publish_seconds}; observing each one as an {@code http.server.requests} too
     * cost a noticeable share of a callback's CPU.
     */
    @Bean
    public ObservationPredicate aiGenerationCallbacksNotObservedAsRequests() {
      return (name, context) ->
          !(context instanceof ServerRequestObservationContext request
              && request.getCarrier() != null
              && request.getCarrier().getRequestURI().startsWith("/callbacks/"));
    }
  }

  @Override
  protected void doPost(HttpServletRequest http, HttpServletResponse response) throws IOException {
    String provider = providerOf(http.getPathInfo());
    if (provider == null) {
      write(response, new CallbackHandler.Answer(404, Map.of("error", "callbacks go to /callbacks/<provider>"), null));
      return;
    }
    CallbackRequest request = new CallbackRequest(headers(http), body(http), query(http));
    AsyncContext async = http.startAsync();
    async.setTimeout(ASYNC_TIMEOUT_MILLIS);
    CompletionStage<CallbackHandler.Answer> answer;
    try {
      answer = handler.handleAsync(provider, http.getParameter("spec"), request, this::publish);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((done, failure) -> {
      try {
        if (failure != null) {
          LOG.warn("A {} callback failed unexpectedly: {}", provider, failure.toString());
          write((HttpServletResponse) async.getResponse(), new CallbackHandler.Answer(500, Map.of("error", "the runtime failed to handle the callback"), null));
        } else {
          write((HttpServletResponse) async.getResponse(), done);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("Answering a {} callback failed: {}", provider, e.toString());
      } finally {
        async.complete();
      }
    });
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
          .timeToLive(messageTtl)
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
    // the future fails with gRPC's own exception (join() would wrap it in a ClientStatusException)
    Status.Code code = EngineCommands.statusOf(cause);
    if (code == Status.Code.ALREADY_EXISTS) {
      return DUPLICATE;
    }
    LOG.debug("{} job {}: publishing failed: {}", publish.provider(), publish.jobId(), cause.toString());
    return new CallbackHandler.Delivered.Retry("the engine is unavailable; retry");
  }

  private void write(HttpServletResponse response, CallbackHandler.Answer answer) throws IOException {
    byte[] body = json.writeValueAsBytes(answer.body());
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** {@code /fal} → {@code fal}; anything with more segments is no provider. */
  private static String providerOf(String pathInfo) {
    if (pathInfo == null || pathInfo.length() < 2 || pathInfo.indexOf('/', 1) >= 0) {
      return null;
    }
    return pathInfo.substring(1);
  }

  private static Map<String, String> headers(HttpServletRequest http) {
    Map<String, String> headers = new HashMap<>();
    for (Enumeration<String> names = http.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      headers.put(name, http.getHeader(name));
    }
    return headers;
  }

  private static Map<String, String> query(HttpServletRequest http) {
    if (http.getQueryString() == null) {
      return Map.of();
    }
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
