package io.aigen.camunda.runtime.web;

import io.aigen.camunda.connector.activity.Generation;
import io.aigen.camunda.connector.activity.GenerationActivity;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events for the generations page. The job worker only drops each change into a map
 * (the latest per generation); every {@link #FLUSH_EVERY} one thread sends what changed to every
 * open page, so a slow browser never holds up a job and a burst of polls becomes one event.
 */
@Component
public class GenerationEvents implements SmartLifecycle {

  static final Duration FLUSH_EVERY = Duration.ofMillis(500);
  /** Browsers reconnect by themselves (and get a new snapshot) when a stream ends. */
  private static final Duration STREAM_LIFETIME = Duration.ofMinutes(30);

  private final Map<String, Generation> changed = new ConcurrentHashMap<>();
  private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("generation-events").daemon().factory());
  private volatile boolean running;

  public GenerationEvents(GenerationActivity activity) {
    activity.addListener(generation -> changed.put(generation.key(), generation));
  }

  @Override
  public void start() {
    flusher.scheduleWithFixedDelay(this::flush, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    running = true;
  }

  /**
   * Ends every open stream before the web server shuts down: an open stream is a request in
   * progress, and a graceful shutdown would wait for it until its timeout.
   */
  @Override
  public void stop() {
    running = false;
    flusher.shutdownNow();
    emitters.forEach(SseEmitter::complete);
    emitters.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stopped first, before the web server's graceful shutdown. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }

  SseEmitter subscribe(Supplier<Object> snapshot) {
    SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
    emitter.onCompletion(() -> emitters.remove(emitter));
    emitter.onTimeout(() -> emitters.remove(emitter));
    emitter.onError(error -> emitters.remove(emitter));
    // subscribe before the snapshot: a change in between arrives twice, which the page absorbs
    emitters.add(emitter);
    try {
      emitter.send(SseEmitter.event().name("snapshot").data(snapshot.get()));
    } catch (IOException e) {
      emitters.remove(emitter);
      emitter.completeWithError(e);
    }
    return emitter;
  }

  private void flush() {
    if (changed.isEmpty()) {
      return;
    }
    List<Generation> batch = new ArrayList<>();
    for (String key : List.copyOf(changed.keySet())) {
      Generation generation = changed.remove(key);
      if (generation != null) {
        batch.add(generation);
      }
    }
    for (SseEmitter emitter : emitters) {
      try {
        emitter.send(SseEmitter.event().name("generations").data(batch));
      } catch (IOException | RuntimeException e) {
        emitters.remove(emitter);
      }
    }
  }
}
