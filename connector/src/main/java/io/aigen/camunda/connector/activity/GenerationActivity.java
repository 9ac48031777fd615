package io.aigen.camunda.connector.activity;

import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.Progress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded, in-memory view of the generations this runtime worked on: the latest {@code
 * capacity} (by when this runtime first saw them), for people to watch. Fed by the job worker and
 * the callback handler with what every provider has in common (handles, progress, normalised
 * results), never with provider-specific data. The engine keeps the state of record; nothing reads
 * this view back.
 */
public final class GenerationActivity {

  /** How many generations the runtime's view keeps. */
  public static final int DEFAULT_CAPACITY = 500;

  private final int capacity;
  private final Clock clock;
  private final LinkedHashMap<String, Generation> generations = new LinkedHashMap<>();
  private final List<Consumer<Generation>> listeners = new CopyOnWriteArrayList<>();

  public GenerationActivity(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  public int capacity() {
    return capacity;
  }

  /** The generations, newest first. */
  public synchronized List<Generation> newestFirst() {
    List<Generation> all = new ArrayList<>(generations.values());
    all.sort(Comparator.comparing(Generation::submittedAt, Comparator.nullsLast(Comparator.reverseOrder())));
    return all;
  }

  /** Calls {@code listener} with every changed generation, on the thread that changed it; keep it quick. */
  public void addListener(Consumer<Generation> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<Generation> listener) {
    listeners.remove(listener);
  }

  /** A job was submitted; {@code callback}: its end comes by callback. */
  public void submitted(TaskOrigin origin, JobHandle handle, boolean callback) {
    Instant now = clock.instant();
    update(keyOf(handle), origin, handle, previous -> new Generation(
        keyOf(handle), handle.provider(), handle.model(), handle.jobId(),
        origin.processId(), origin.processInstanceKey(), origin.elementId(),
        callback ? "WAITING_FOR_CALLBACK" : "SUBMITTED", null, null, null, null,
        handle.submittedAt(), now, null, 0, callback, List.of(), List.of(), null));
  }

  /**
   * A wait step found the job still running.
   *
   * @param progress what the provider said, or {@code null} when no poll was made (not due yet)
   */
  public void waiting(TaskOrigin origin, JobHandle handle, Progress progress) {
    Instant now = clock.instant();
    update(keyOf(handle), origin, handle, previous -> {
      Generation base = previous != null ? previous : fresh(origin, handle, now);
      if (progress == null) {
        return base;
      }
      return new Generation(
          base.key(), base.provider(), base.model(), base.jobId(), base.processId(), base.processInstanceKey(), base.elementId(),
          "WAITING", progress.status(), progress.queuePosition(), progress.percent(), progress.log(),
          base.submittedAt(), now, null, base.polls() + 1, base.callback(), List.of(), List.of(), null);
    });
  }

  /** The job ended with a result, polled ({@code handle} known) or called back ({@code handle} {@code null}). */
  public void finished(TaskOrigin origin, JobHandle handle, GenerationResult result, boolean callback) {
    Instant now = clock.instant();
    String key = result.provider() + ":" + result.jobId();
    update(key, origin, handle, previous -> {
      Generation base = previous != null ? previous : handle != null ? fresh(origin, handle, now) : unknownJob(key, result.provider(), result.jobId(), origin, now);
      Object polls = result.metrics() == null ? null : result.metrics().get("polls");
      int pollCount = polls instanceof Number number && number.intValue() > 0 ? number.intValue() : base.polls();
      return new Generation(
          key, base.provider(), base.model(), base.jobId(), base.processId(), base.processInstanceKey(), base.elementId(),
          result.status(), base.providerStatus(), null, null, base.log(), base.submittedAt(), now, now, pollCount,
          base.callback() || callback, outputs(result), result.warnings(), null);
    });
  }

  /**
   * The task ended with an error.
   *
   * @param handle the job, or {@code null} when the task failed before it had one
   */
  public void failed(TaskOrigin origin, JobHandle handle, ErrorCode code, String message) {
    Instant now = clock.instant();
    String key = handle != null ? keyOf(handle) : "element:" + origin.elementInstanceKey();
    update(key, origin, handle, previous -> {
      Generation base = previous != null ? previous : handle != null ? fresh(origin, handle, now) : unknownJob(key, null, null, origin, now);
      // a job's failure, cancellation or filtering is what the last status request said
      boolean polled = handle != null && !base.callback() && EnumSet.of(ErrorCode.AI_GENERATION_FAILED, ErrorCode.AI_GENERATION_CANCELLED, ErrorCode.AI_CONTENT_FILTERED).contains(code);
      return new Generation(
          key, base.provider(), base.model(), base.jobId(), base.processId(), base.processInstanceKey(), base.elementId(),
          statusOf(code), base.providerStatus(), null, null, base.log(), base.submittedAt(), now, now, base.polls() + (polled ? 1 : 0), base.callback(),
          List.of(), List.of(), code.name() + ": " + message);
    });
  }

  /** A callback reported a job's failure or cancellation. */
  public void calledBackFailed(String provider, String jobId, String status, String message) {
    Instant now = clock.instant();
    String key = provider + ":" + jobId;
    update(key, TaskOrigin.UNKNOWN, null, previous -> {
      Generation base = previous != null ? previous : unknownJob(key, provider, jobId, TaskOrigin.UNKNOWN, now);
      return new Generation(
          key, base.provider(), base.model(), base.jobId(), base.processId(), base.processInstanceKey(), base.elementId(),
          status, base.providerStatus(), null, null, base.log(), base.submittedAt(), now, now, base.polls(), true, List.of(), List.of(), message);
    });
  }

  private interface Change {
    Generation apply(Generation previous);
  }

  private void update(String key, TaskOrigin origin, JobHandle handle, Change change) {
    Generation updated;
    synchronized (this) {
      Generation previous = generations.get(key);
      updated = withOrigin(change.apply(previous), origin);
      if (previous != null && previous.finished() && !updated.finished()) {
        // a late step of a job that is over (a callback came first, a repeated activation) changes nothing
        return;
      }
      generations.put(key, updated);
      while (generations.size() > capacity) {
        generations.remove(generations.keySet().iterator().next());
      }
    }
    for (Consumer<Generation> listener : listeners) {
      try {
        listener.accept(updated);
      } catch (RuntimeException ignored) {
        // a watcher that went away must not disturb the worker
      }
    }
  }

  /** Fills in where the task is, when the generation did not know yet (a callback came first). */
  private static Generation withOrigin(Generation generation, TaskOrigin origin) {
    if (generation.processId() != null || origin.processId() == null) {
      return generation;
    }
    return new Generation(
        generation.key(), generation.provider(), generation.model(), generation.jobId(), origin.processId(), origin.processInstanceKey(), origin.elementId(),
        generation.status(), generation.providerStatus(), generation.queuePosition(), generation.percent(), generation.log(), generation.submittedAt(),
        generation.updatedAt(), generation.finishedAt(), generation.polls(), generation.callback(), generation.outputs(), generation.warnings(), generation.error());
  }

  private static Generation fresh(TaskOrigin origin, JobHandle handle, Instant now) {
    return new Generation(
        keyOf(handle), handle.provider(), handle.model(), handle.jobId(), origin.processId(), origin.processInstanceKey(), origin.elementId(),
        "SUBMITTED", null, null, null, null, handle.submittedAt(), now, null, 0, false, List.of(), List.of(), null);
  }

  private static Generation unknownJob(String key, String provider, String jobId, TaskOrigin origin, Instant now) {
    return new Generation(
        key, provider, null, jobId, origin.processId(), origin.processInstanceKey(), origin.elementId(),
        "SUBMITTED", null, null, null, null, now, now, null, 0, false, List.of(), List.of(), null);
  }

  private static String keyOf(JobHandle handle) {
    return handle.provider() + ":" + handle.jobId();
  }

  private static String statusOf(ErrorCode code) {
    return switch (code) {
      case AI_GENERATION_TIMEOUT -> "TIMED_OUT";
      case AI_GENERATION_CANCELLED -> "CANCELLED";
      default -> "FAILED";
    };
  }

  private static List<Generation.Output> outputs(GenerationResult result) {
    List<Generation.Output> outputs = new ArrayList<>();
    for (int i = 0; i < result.outputs().size(); i++) {
      String url = result.outputs().get(i);
      String original = i < result.originalOutputs().size() && !result.originalOutputs().get(i).equals(url) ? result.originalOutputs().get(i) : null;
      outputs.add(new Generation.Output(url, kindOf(url), original));
    }
    return outputs;
  }

  private static final Map<String, String> KINDS = kinds();

  private static Map<String, String> kinds() {
    Map<String, String> kinds = new LinkedHashMap<>();
    for (String ext : List.of("png", "jpg", "jpeg", "webp", "gif", "avif", "bmp", "svg")) {
      kinds.put(ext, "image");
    }
    for (String ext : List.of("mp4", "webm", "mov", "m4v", "ogv")) {
      kinds.put(ext, "video");
    }
    for (String ext : List.of("mp3", "wav", "ogg", "oga", "m4a", "aac", "flac", "opus")) {
      kinds.put(ext, "audio");
    }
    return kinds;
  }

  /** {@code image}, {@code video}, {@code audio} or {@code file}, by the URL path's extension. */
  static String kindOf(String url) {
    String path = url;
    int cut = path.indexOf('?');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    cut = path.indexOf('#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) {
      return "file";
    }
    return KINDS.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), "file");
  }
}
