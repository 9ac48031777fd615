package io.aigen.camunda.connector.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.CamundaFuture;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.response.StreamJobsResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activates the connector's jobs and works each on a virtual thread of its own. It works at most
 * {@code maxJobsActive} jobs at once, and keeps at most four times that many waiting for their
 * poll to be due (a backlog stays with the engine, where other replicas can take it). Jobs come
 * two ways:
 *
 * <ul>
 *   <li><b>pushed</b> over a job stream: the engine activates a job for this runtime the moment it
 *       can be worked (created, timed out after a wait, retried), with no request from here;
 *   <li><b>polled</b>: asking the engine for as many jobs as can start at once. The engine does
 *       not push a job whose timeout ran out, and this runtime's waits end that way: so while a
 *       job this runtime handed back is due ({@link JobReturns}), every {@code pollInterval};
 *       besides, at start, whenever the stream closed, and every {@code streamPollInterval} (for
 *       other runtimes' jobs, and jobs the engine could not push). Without a stream, every {@code
 *       pollInterval} while none came.
 * </ul>
 *
 * <p>A job this runtime handed back that comes back before its poll is due waits here, without a
 * slot, until then; one it gets by asking and whose due time it does not know (another replica
 * handed it back) waits {@link JobReturns#EARLY}, which says why. A job pushed while every slot is
 * taken waits here for the next free slot, before anything is polled, and one that has waited too
 * long for its activation is left to time out (see {@code GenerationJobWorker#handle}). The stream is not closed to hold pushes back: the engine counts a
 * job pushed into a closing stream as activated, and it would come back only after its activation
 * timeout. A job counts as held until its handler returned, engine commands included, so a slow
 * engine slows polling down too.
 *
 * <p>Streams matter most on the in-memory engine, which answers an activation request at once
 * (no long polling) and copies its whole state for each: polling every 100 ms while nothing
 * happens costs it and this runtime more than the work does.
 *
 * <p>Why not the client's {@code JobWorker}: it runs handlers on the client's shared execution
 * threads (one by default, also serving every other connector of the runtime), and counts a job as
 * done once the handler returned, so handing the provider's HTTP exchange to another thread would
 * leave it without any bound.
 */
final class JobActivator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JobActivator.class);
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(5);

  /**
   * @param activationTimeout how long a job stays with this runtime while it is being worked
   * @param pollInterval the least time between two activation requests that found nothing, while
   *     no stream is open
   * @param requestTimeout how long the gateway may hold an activation request until jobs come (long
   *     polling; the in-memory engine answers at once)
   * @param fetchVariables the only variables the jobs get: a process may hold large ones that no
   *     poll needs
   * @param streamEnabled open a job stream, so that the engine pushes jobs
   * @param streamPollInterval the time between two activation requests that found nothing, while
   *     a stream is open
   */
  record Settings(
      String jobType,
      String workerName,
      int maxJobsActive,
      Duration activationTimeout,
      Duration pollInterval,
      Duration requestTimeout,
      List<String> fetchVariables,
      boolean streamEnabled,
      Duration streamPollInterval) {}

  private final CamundaClient client;
  private final Settings settings;
  private final Consumer<ActivatedJob> handler;
  private final Semaphore free;
  /**
   * Pushed jobs, and jobs whose poll came due after they were back early, that found no free slot;
   * started as slots free, before anything is polled.
   */
  private final Queue<ActivatedJob> waitingForSlot = new ConcurrentLinkedQueue<>();
  /** Released to end the activation loop's pause early: the stream closed, or a job is due sooner. */
  private final Semaphore wakeUp = new Semaphore(0);
  private final ExecutorService jobs;
  /** Starts the jobs that came back before their poll was due, when it is. */
  private final ScheduledExecutorService early;
  /** The jobs kept until their poll is due, with that time. */
  private final Map<ActivatedJob, Instant> held = new ConcurrentHashMap<>();
  private final Thread loop;
  private volatile boolean open = true;
  /** The open job stream, or {@code null}. */
  private volatile CamundaFuture<StreamJobsResponse> stream;
  /** No stream is opened before this {@link System#nanoTime()}: the last one failed. */
  private volatile long nextStreamAttempt;
  private volatile boolean streamFailing;

  private final JobReturns returns;

  /** @param returns when jobs handed back by this runtime are due again: asked for often around those times */
  JobActivator(CamundaClient client, Settings settings, JobReturns returns, Consumer<ActivatedJob> handler) {
    this.client = client;
    this.settings = settings;
    this.returns = returns;
    this.handler = handler;
    returns.whenSooner(wakeUp::release);
    this.free = new Semaphore(settings.maxJobsActive());
    this.jobs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(settings.workerName() + "-job-", 0).factory());
    this.early = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(settings.workerName() + "-early").factory());
    this.loop = Thread.ofPlatform().daemon().name(settings.workerName() + "-activator").unstarted(this::activateWhileOpen);
  }

  JobActivator start() {
    loop.start();
    return this;
  }

  boolean isOpen() {
    return open;
  }

  /** Whether a job stream is open now. */
  boolean isStreaming() {
    return stream != null;
  }

  private void activateWhileOpen() {
    Duration errorBackoff = settings.pollInterval();
    boolean failing = false;
    while (open) {
      int wanted;
      try {
        free.acquire();
        wanted = 1 + free.drainPermits();
      } catch (InterruptedException e) {
        break;
      }
      if (!waitingForSlot.isEmpty()) { // pushed jobs take free slots first
        release(wanted);
        continue;
      }
      if (held.size() >= maxKept()) { // kept jobs need slots soon: take no more until some started
        release(wanted);
        pause(settings.pollInterval().toNanos());
        continue;
      }
      returns.looking();
      // opened before polling: a job made ready after the poll is pushed, one made ready before is polled
      openStreamWhenClosed();
      long asked = System.nanoTime();
      List<ActivatedJob> activated;
      try {
        activated = client.newActivateJobsCommand()
            .jobType(settings.jobType())
            .maxJobsToActivate(wanted)
            .workerName(settings.workerName())
            .timeout(settings.activationTimeout())
            .fetchVariables(settings.fetchVariables())
            .requestTimeout(settings.requestTimeout())
            .send()
            .join()
            .getJobs();
        if (failing) {
          LOG.info("Activating {} jobs works again", settings.jobType());
          failing = false;
        }
        errorBackoff = settings.pollInterval();
      } catch (RuntimeException e) {
        release(wanted);
        if (!open) {
          break;
        }
        if (!failing) {
          LOG.warn("Could not activate {} jobs; trying again with growing pauses up to {}: {}", settings.jobType(), MAX_ERROR_BACKOFF, e.getMessage());
          failing = true;
        } else {
          LOG.debug("Still cannot activate {} jobs: {}", settings.jobType(), e.getMessage());
        }
        pause(errorBackoff.toNanos());
        errorBackoff = errorBackoff.multipliedBy(2).compareTo(MAX_ERROR_BACKOFF) > 0 ? MAX_ERROR_BACKOFF : errorBackoff.multipliedBy(2);
        continue;
      }
      release(wanted - activated.size());
      for (ActivatedJob job : activated) {
        if (!open) { // activated while closing: back to the engine at once
          handBack(job, Duration.ZERO);
          release(1);
        } else if (heldUntilDue(job, true)) {
          release(1);
        } else {
          start(job);
        }
      }
      if (activated.size() < wanted) { // the engine has no more ready: wait for pushes, or poll again later
        long interval = isStreaming()
            ? returns.pauseNanos(settings.pollInterval().toNanos(), settings.streamPollInterval().toNanos())
            : settings.pollInterval().toNanos();
        pause(interval - (System.nanoTime() - asked));
      }
    }
  }

  /** Opens the job stream, unless it is open, off, or failed lately. */
  private void openStreamWhenClosed() {
    if (!settings.streamEnabled() || stream != null || !open || System.nanoTime() < nextStreamAttempt) {
      return;
    }
    CamundaFuture<StreamJobsResponse> opened;
    try {
      opened = client.newStreamJobsCommand()
          .jobType(settings.jobType())
          .consumer(this::pushed)
          .workerName(settings.workerName())
          .timeout(settings.activationTimeout())
          .fetchVariables(settings.fetchVariables())
          .send();
    } catch (RuntimeException e) {
      streamFailed(e);
      return;
    }
    stream = opened;
    opened.whenComplete((done, failure) -> streamEnded(opened, failure));
  }

  private void streamEnded(CamundaFuture<StreamJobsResponse> ended, Throwable failure) {
    if (stream != ended) {
      return; // closed here on purpose
    }
    stream = null;
    if (failure != null && open && !(failure instanceof CancellationException)) {
      streamFailed(failure);
    } else if (streamFailing) {
      streamFailing = false;
    }
    wakeUp.release(); // polls at once, and opens a new stream
  }

  private void streamFailed(Throwable failure) {
    nextStreamAttempt = System.nanoTime() + settings.streamPollInterval().toNanos();
    if (!streamFailing) {
      streamFailing = true;
      LOG.info("The {} job stream closed ({}); polling every {} until it opens again", settings.jobType(), failure.getMessage(), settings.pollInterval());
    } else {
      LOG.debug("The {} job stream cannot open: {}", settings.jobType(), failure.getMessage());
    }
  }

  private void closeStream() {
    CamundaFuture<StreamJobsResponse> open = stream;
    if (open != null) {
      stream = null;
      open.cancel(true);
    }
  }

  /** A job the engine pushed: started in a free slot, or kept until one frees. */
  private void pushed(ActivatedJob job) {
    if (!heldUntilDue(job, false)) {
      startWhenFree(job);
    }
  }

  /**
   * Keeps a job that may be back before its poll is due until then.
   *
   * @param asked whether the job came by asking; pushed jobs are new or failed, never timed out
   * @return whether the job is kept
   */
  private boolean heldUntilDue(ActivatedJob job, boolean asked) {
    Instant now = Instant.now();
    Instant due = returns.dueOf(job.getKey());
    if (due == null && asked) {
      due = now.plus(returns.early());
    }
    if (due == null || !due.isAfter(now)) {
      return false;
    }
    if (due.isAfter(Instant.ofEpochMilli(job.getDeadline()).minus(GenerationJobWorker.SAFETY_MARGIN))) {
      // back long before its poll (its timeout could not be set): the engine keeps it until then
      handBack(job, Duration.between(now, due));
      return true;
    }
    held.put(job, due);
    try {
      // rounded up: never started before its time
      early.schedule(() -> {
        if (held.remove(job) != null) {
          startWhenFree(job);
        }
      }, Duration.between(now, due).toNanos() + 1, TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException closing) {
      held.remove(job);
      handBack(job, Duration.between(now, due));
      return true;
    }
  }

  /** How many jobs may wait here for their poll at once: about what the slots work through in a few seconds. */
  private int maxKept() {
    return settings.maxJobsActive() * 4;
  }

  private void startWhenFree(ActivatedJob job) {
    waitingForSlot.add(job);
    startPushed();
  }

  private void startPushed() {
    while (!waitingForSlot.isEmpty() && free.tryAcquire()) {
      ActivatedJob job = waitingForSlot.poll();
      if (job == null) {
        free.release();
        return;
      }
      start(job);
    }
  }

  /** Works a job in the slot taken for it; once closing, hands it back instead. */
  private void start(ActivatedJob job) {
    try {
      jobs.execute(() -> work(job));
    } catch (RejectedExecutionException closing) {
      free.release();
      handBack(job, Duration.ZERO);
    }
  }

  /** Gives slots back: to pushed jobs waiting for one first. */
  private void release(int slots) {
    if (slots <= 0) {
      return;
    }
    free.release(slots);
    startPushed();
  }

  private void work(ActivatedJob job) {
    try {
      handler.accept(job);
    } catch (RuntimeException e) {
      LOG.error("Job {} of type {} failed unexpectedly; it will be activated again after its timeout", job.getKey(), job.getType(), e);
      returns.expect(job.getKey(), Instant.ofEpochMilli(job.getDeadline()), Instant.ofEpochMilli(job.getDeadline()));
    } finally {
      release(1);
    }
  }

  private void handBackKept() {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    Instant now = Instant.now();
    for (ActivatedJob job : List.copyOf(held.keySet())) {
      Instant due = held.remove(job);
      if (due != null) {
        sent.add(handBack(job, Duration.between(now, due)));
      }
    }
    for (ActivatedJob job; (job = waitingForSlot.poll()) != null; ) {
      sent.add(handBack(job, Duration.ZERO));
    }
    try {
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("Not every kept job could be handed back; those come back after their activation timeout: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CompletableFuture<?> handBack(ActivatedJob job, Duration after) {
    try {
      return client.newUpdateTimeoutCommand(job.getKey()).timeout(after.toMillis() < 1 ? Duration.ofMillis(1) : after).send().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Waits {@code nanos}, or less when woken up. */
  private void pause(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      if (wakeUp.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
        wakeUp.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops activating, hands the jobs kept here back to the engine (until their poll is due, or at
   * once), and gives the jobs being worked a few seconds to finish. A runtime killed instead leaves
   * the jobs it kept to come back after their activation timeout, and so does one whose engine
   * does not take them back within a few seconds.
   */
  @Override
  public void close() {
    open = false;
    closeStream();
    loop.interrupt();
    try {
      // an activation request in flight ends with the gateway's request timeout; what it brings is handed back
      loop.join(settings.requestTimeout().plusSeconds(1).toMillis());
      early.shutdownNow();
      early.awaitTermination(1, TimeUnit.SECONDS);
      handBackKept();
      jobs.shutdown();
      if (!jobs.awaitTermination(10, TimeUnit.SECONDS)) {
        jobs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handBackKept(); // started after the first hand-back, and refused by the closed executor
  }
}
