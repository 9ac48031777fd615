package io.aigen.camunda.connector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connector's metrics in Micrometer, under {@code aigen.*} (Prometheus: {@code aigen_*}). The
 * README lists them. Tags stay few: provider, operation, status, error code, outcome.
 */
public final class MicrometerGenerationMetrics implements GenerationMetrics {

  private final MeterRegistry registry;
  private final java.util.Map<String, Counter> callbackCounters = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, Timer> publishTimers = new java.util.concurrent.ConcurrentHashMap<>();
  private final Clock clock;
  /** How long past its due time a waiting job still counts: after that another runtime has it, or it ended unseen. */
  private final Duration staleAfter;
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final Set<String> waitingGauges = ConcurrentHashMap.newKeySet();

  private record Waiting(String provider, Instant due) {}

  public MicrometerGenerationMetrics(MeterRegistry registry, Clock clock, Duration staleAfter) {
    this.registry = registry;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  @Override
  public void providerAnswered(String provider, int httpStatus, Duration retryAfter) {
    String statusClass = httpStatus <= 0 ? "none" : (httpStatus / 100) + "xx";
    Counter.builder("aigen.provider.answers")
        .description("Answers from providers, by HTTP status class (none: no answer)")
        .tag("provider", provider)
        .tag("status_class", statusClass)
        .register(registry)
        .increment();
    if (retryAfter != null) {
      DistributionSummary.builder("aigen.provider.retry.after")
          .description("Waits a provider asked for with Retry-After")
          .baseUnit("seconds")
          .tag("provider", provider)
          .register(registry)
          .record(retryAfter.toMillis() / 1000.0);
    }
  }

  @Override
  public void submitted(String provider, String operation) {
    Counter.builder("aigen.submits").description("Jobs submitted to providers").tag("provider", provider).tag("operation", operation).register(registry).increment();
  }

  @Override
  public void polled(String provider, String operation) {
    Counter.builder("aigen.polls").description("Status reads of submitted jobs").tag("provider", provider).tag("operation", operation).register(registry).increment();
  }

  @Override
  public void ended(String provider, String operation, String status, String errorCode, Duration sinceSubmit) {
    Counter.builder("aigen.outcomes")
        .description("Tasks ended, by status and error code")
        .tag("provider", provider)
        .tag("operation", operation)
        .tag("status", status)
        .tag("code", errorCode == null ? "none" : errorCode)
        .register(registry)
        .increment();
    if (sinceSubmit != null) {
      Timer.builder("aigen.generation.duration")
          .description("Submit to done, per generation")
          .tag("provider", provider)
          .tag("status", status)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofSeconds(1))
          .maximumExpectedValue(Duration.ofHours(2))
          .register(registry)
          .record(sinceSubmit.isNegative() ? Duration.ZERO : sinceSubmit);
    }
  }

  @Override
  public void waiting(long jobKey, String provider, Instant due) {
    waiting.put(jobKey, new Waiting(provider, due));
    if (waitingGauges.add(provider)) {
      Gauge.builder("aigen.generations.waiting", this, metrics -> metrics.countWaiting(provider))
          .description("Generations waiting for their next poll in this runtime")
          .tag("provider", provider)
          .register(registry);
    }
  }

  @Override
  public void notWaiting(long jobKey) {
    waiting.remove(jobKey);
  }

  @Override
  public void callback(String provider, String outcome, String reason, Duration publishTime) {
    // one lookup per callback: building and registering meters each time cost more than counting
    String tagProvider = provider == null ? "unknown" : provider;
    String tagReason = reason == null ? "none" : reason;
    callbackCounters
        .computeIfAbsent(tagProvider + '\n' + outcome + '\n' + tagReason, key -> Counter.builder("aigen.callbacks")
            .description("Provider callbacks answered, by outcome")
            .tag("provider", tagProvider)
            .tag("outcome", outcome)
            .tag("reason", tagReason)
            .register(registry))
        .increment();
    if (publishTime != null) {
      publishTimers
          .computeIfAbsent(outcome, key -> Timer.builder("aigen.callback.publish").description("Handing a callback to the engine").tag("outcome", outcome).register(registry))
          .record(publishTime);
    }
  }

  private double countWaiting(String provider) {
    Instant oldest = clock.instant().minus(staleAfter);
    waiting.values().removeIf(w -> w.due().isBefore(oldest));
    return waiting.values().stream().filter(w -> w.provider().equals(provider)).count();
  }
}
