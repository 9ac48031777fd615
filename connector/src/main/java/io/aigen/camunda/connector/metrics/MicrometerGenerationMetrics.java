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
  /** Counters by name and tags: polls and callbacks count on every call, and building a meter costs more than counting. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> publishTimers = new ConcurrentHashMap<>();
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
    counter("aigen.provider.answers", "Answers from providers, by HTTP status class (none: no answer)", "provider", provider, "status_class", statusClass)
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
    counter("aigen.submits", "Jobs submitted to providers", "provider", provider, "operation", operation).increment();
  }

  @Override
  public void polled(String provider, String operation) {
    counter("aigen.polls", "Status reads of submitted jobs", "provider", provider, "operation", operation).increment();
  }

  @Override
  public void ended(String provider, String operation, String status, String errorCode, Duration sinceSubmit) {
    counter(
            "aigen.outcomes", "Tasks ended, by status and error code",
            "provider", provider, "operation", operation, "status", status, "code", errorCode == null ? "none" : errorCode)
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
    counter(
            "aigen.callbacks", "Provider callbacks answered, by outcome",
            "provider", provider == null ? "unknown" : provider, "outcome", outcome, "reason", reason == null ? "none" : reason)
        .increment();
    if (publishTime != null) {
      publishTimers
          .computeIfAbsent(outcome, key -> Timer.builder("aigen.callback.publish").description("Handing a callback to the engine").tag("outcome", outcome).register(registry))
          .record(publishTime);
    }
  }

  /** @param tags tag names and values, alternating */
  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + '\n' + String.join("\n", tags), key -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private double countWaiting(String provider) {
    Instant oldest = clock.instant().minus(staleAfter);
    waiting.values().removeIf(w -> w.due().isBefore(oldest));
    return waiting.values().stream().filter(w -> w.provider().equals(provider)).count();
  }
}
