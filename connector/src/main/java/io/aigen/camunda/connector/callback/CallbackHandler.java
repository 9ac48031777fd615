package io.aigen.camunda.connector.callback;

import io.aigen.camunda.connector.activity.GenerationActivity;
import io.aigen.camunda.connector.activity.TaskOrigin;
import io.aigen.camunda.connector.metrics.GenerationMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a provider's callback, the same way for both entry points (the runtime's {@code
 * /callbacks} endpoint and the inbound connector): the receiver reads and checks it, the entry
 * point hands the job's end to the engine, and this says what the provider gets back.
 */
public final class CallbackHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackHandler.class);

  /** How an entry point hands a job's end to the engine, waiting for the engine's answer. */
  @FunctionalInterface
  public interface Deliverer {
    Delivered deliver(CallbackOutcome.Publish publish);
  }

  /**
   * How an entry point hands a job's end to the engine without waiting: the stage completes with
   * the engine's answer, so no thread is held for the round trip.
   */
  @FunctionalInterface
  public interface AsyncDeliverer {
    CompletionStage<Delivered> deliver(CallbackOutcome.Publish publish);
  }

  /** What handing the job's end to the engine came to. */
  public sealed interface Delivered {

    /** The engine has it; {@code how} says where it went, for the log. */
    record Published(String how) implements Delivered {}

    /** The engine had it already: a repeated callback, absorbed. */
    record Duplicate() implements Delivered {}

    /** Nothing waits for it, and nothing will: the callback is consumed. */
    record Dropped(String reason) implements Delivered {}

    /** The engine cannot take it now: the provider should send it again. */
    record Retry(String reason) implements Delivered {}

    /** It can never be delivered. */
    record Refused(int status, String reason) implements Delivered {}
  }

  /**
   * The answer to the provider.
   *
   * @param refusal why the callback itself was refused (a bad signature, body or provider), or
   *     {@code null}
   */
  public record Answer(int status, Map<String, Object> body, String refusal) {

    /** How long a provider should wait before sending a callback answered 503 again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** The answer to a callback that was refused before anything was read from it. */
    public static Answer refused(CallbackRejected rejected) {
      return new Answer(rejected.status(), Map.of("error", rejected.getMessage()), rejected.getMessage());
    }

    /** The headers to send with it: {@code Retry-After} on a 503, so the provider comes back. */
    public Map<String, String> headers() {
      return status == 503 ? Map.of("Retry-After", Long.toString(RETRY_AFTER.toSeconds())) : Map.of();
    }
  }

  /** Unbounded: for callers that bound their own deliveries. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private final CallbackReceiver receiver;
  private final GenerationMetrics metrics;
  private final GenerationActivity activity;
  private final int maxInFlight;
  /**
   * Callbacks being handled (read, then waiting for the engine); beyond {@link #maxInFlight} a
   * callback is answered 503.
   */
  private final Semaphore inFlight;

  public CallbackHandler(CallbackReceiver receiver) {
    this(receiver, GenerationMetrics.NONE, null, UNBOUNDED);
  }

  /**
   * @param activity told of every job end delivered to the engine; {@code null} for none
   * @param maxInFlight how many deliveries may wait for the engine at once
   */
  public CallbackHandler(CallbackReceiver receiver, GenerationMetrics metrics, GenerationActivity activity, int maxInFlight) {
    this.receiver = receiver;
    this.metrics = metrics;
    this.activity = activity;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
  }

  /**
   * Reads the callback and delivers its end, waiting for the engine on this thread.
   *
   * @param provider the provider segment of the callback URL, or the inbound element's provider
   * @param encodedCustomSpec the {@code spec} query parameter of a custom provider's callback URL
   */
  public Answer handle(String provider, String encodedCustomSpec, CallbackRequest request, Deliverer deliverer) {
    return handleAsync(provider, encodedCustomSpec, request, publish -> CompletableFuture.completedFuture(deliverer.deliver(publish)))
        .toCompletableFuture()
        .join();
  }

  /**
   * Reads the callback on this thread (verifying, and for unsigned providers re-reading the job),
   * then delivers its end without waiting for the engine here.
   */
  public CompletionStage<Answer> handleAsync(String provider, String encodedCustomSpec, CallbackRequest request, AsyncDeliverer deliverer) {
    // the bound is checked first: beyond it a callback costs no signature check and no provider read
    if (!inFlight.tryAcquire()) {
      String reason = "the engine is busy (" + maxInFlight + " callbacks waiting for it); retry";
      LOG.debug("A {} callback: {}", provider, reason);
      metrics.callback(knownOrUnknown(provider), "busy", null, null);
      return CompletableFuture.completedFuture(new Answer(503, Map.of("error", reason), null));
    }
    CallbackOutcome outcome;
    try {
      outcome = receiver.receive(provider, encodedCustomSpec, request);
    } catch (CallbackRejected rejected) {
      inFlight.release();
      LOG.warn("Refused a {} callback ({}): {}", provider, rejected.status(), rejected.getMessage());
      metrics.callback(knownOrUnknown(provider), "refused", String.valueOf(rejected.status()), null);
      return CompletableFuture.completedFuture(Answer.refused(rejected));
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    return switch (outcome) {
      case CallbackOutcome.Ignored ignored -> {
        inFlight.release();
        LOG.debug("{} callback for job {} is about '{}', not an end: nothing to deliver", provider, ignored.jobId(), ignored.state());
        metrics.callback(provider, "ignored", null, null);
        yield CompletableFuture.completedFuture(new Answer(200, Map.of("published", false, "state", String.valueOf(ignored.state())), null));
      }
      case CallbackOutcome.Publish publish -> deliver(publish, deliverer);
    };
  }

  /** Hands the end to the engine; the caller holds a place in {@link #inFlight}, released when the engine answers. */
  private CompletionStage<Answer> deliver(CallbackOutcome.Publish publish, AsyncDeliverer deliverer) {
    long start = System.nanoTime();
    CompletionStage<Delivered> delivery;
    try {
      delivery = deliverer.deliver(publish);
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    return delivery.handle((delivered, failure) -> {
      inFlight.release();
      Delivered outcome = failure == null ? delivered : new Delivered.Retry("the engine is unavailable; retry");
      return delivered(publish, outcome, start);
    });
  }

  private Answer delivered(CallbackOutcome.Publish publish, Delivered delivered, long start) {
    metrics.callback(publish.provider(), outcomeOf(delivered), delivered instanceof Delivered.Refused r ? String.valueOf(r.status()) : null, Duration.ofNanos(System.nanoTime() - start));
    return answer(publish, delivered);
  }

  /** A provider id for metrics: anything may be in a URL, but only known ids become tags. */
  private static String knownOrUnknown(String provider) {
    try {
      return io.aigen.camunda.connector.provider.ProviderId.of(provider).id();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  private static String outcomeOf(Delivered delivered) {
    return switch (delivered) {
      case Delivered.Published published -> "published";
      case Delivered.Duplicate duplicate -> "duplicate";
      case Delivered.Dropped dropped -> "dropped";
      case Delivered.Retry retry -> "retry";
      case Delivered.Refused refused -> "refused";
    };
  }

  private Answer answer(CallbackOutcome.Publish publish, Delivered delivered) {
    return switch (delivered) {
      case Delivered.Published published -> {
        // DEBUG: one line per callback costs more than the rest of its path at line rate
        LOG.debug("{} job {} ended {}: {}", publish.provider(), publish.jobId(), publish.state(), published.how());
        record(publish);
        yield new Answer(200, Map.of("published", true, "messageId", publish.messageId()), null);
      }
      case Delivered.Duplicate duplicate -> {
        LOG.debug("{} job {}: duplicate callback absorbed", publish.provider(), publish.jobId());
        yield new Answer(200, Map.of("published", false, "duplicate", true, "messageId", publish.messageId()), null);
      }
      case Delivered.Dropped dropped -> {
        LOG.debug("{} job {}: {}; callback consumed", publish.provider(), publish.jobId(), dropped.reason());
        yield new Answer(200, Map.of("published", false, "reason", dropped.reason()), null);
      }
      case Delivered.Retry retry -> {
        LOG.warn("{} job {}: delivering failed, the provider should retry: {}", publish.provider(), publish.jobId(), retry.reason());
        yield new Answer(503, Map.of("error", retry.reason()), null);
      }
      case Delivered.Refused refused -> {
        LOG.warn("{} job {}: cannot be delivered ({}): {}", publish.provider(), publish.jobId(), refused.status(), refused.reason());
        yield new Answer(refused.status(), Map.of("error", refused.reason()), null);
      }
    };
  }

  /** Shows the job's end in the runtime's activity view. */
  private void record(CallbackOutcome.Publish publish) {
    if (activity == null) {
      return;
    }
    try {
      if (publish.result() != null) {
        activity.finished(TaskOrigin.UNKNOWN, null, publish.result(), true);
      } else if (publish.variables().get("generation") instanceof Map<?, ?> generation && generation.get("error") instanceof Map<?, ?> error) {
        activity.calledBackFailed(publish.provider(), publish.jobId(), publish.state(), error.get("code") + ": " + error.get("message"));
      }
    } catch (RuntimeException e) {
      LOG.debug("{} job {}: not shown in the activity view: {}", publish.provider(), publish.jobId(), e.toString());
    }
  }
}
