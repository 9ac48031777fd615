package io.aigen.camunda.connector.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activates the connector's jobs and works each on a virtual thread of its own. It holds at most
 * {@code maxJobsActive} jobs, and asks the engine only for as many as it can start at once: a job
 * never waits in a queue here while its activation timeout runs out. A job counts as held until its
 * handler returned, engine commands included, so a slow engine slows activation down too.
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
   * @param pollInterval the least time between two activation requests that found nothing
   * @param requestTimeout how long the gateway may hold an activation request until jobs come (long
   *     polling; the in-memory engine answers at once)
   * @param fetchVariables the only variables the jobs get: a process may hold large ones that no
   *     poll needs
   */
  record Settings(
      String jobType, String workerName, int maxJobsActive, Duration activationTimeout, Duration pollInterval, Duration requestTimeout, List<String> fetchVariables) {}

  private final CamundaClient client;
  private final Settings settings;
  private final Consumer<ActivatedJob> handler;
  private final Semaphore free;
  private final ExecutorService jobs;
  private final Thread loop;
  private volatile boolean open = true;

  JobActivator(CamundaClient client, Settings settings, Consumer<ActivatedJob> handler) {
    this.client = client;
    this.settings = settings;
    this.handler = handler;
    this.free = new Semaphore(settings.maxJobsActive());
    this.jobs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(settings.workerName() + "-job-", 0).factory());
    this.loop = Thread.ofPlatform().daemon().name(settings.workerName() + "-activator").unstarted(this::activateWhileOpen);
  }

  JobActivator start() {
    loop.start();
    return this;
  }

  boolean isOpen() {
    return open;
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
        free.release(wanted);
        if (!open) {
          break;
        }
        if (!failing) {
          LOG.warn("Could not activate {} jobs; trying again with growing pauses up to {}: {}", settings.jobType(), MAX_ERROR_BACKOFF, e.getMessage());
          failing = true;
        } else {
          LOG.debug("Still cannot activate {} jobs: {}", settings.jobType(), e.getMessage());
        }
        sleep(errorBackoff.toNanos());
        errorBackoff = errorBackoff.multipliedBy(2).compareTo(MAX_ERROR_BACKOFF) > 0 ? MAX_ERROR_BACKOFF : errorBackoff.multipliedBy(2);
        continue;
      }
      free.release(wanted - activated.size());
      for (ActivatedJob job : activated) {
        jobs.execute(() -> work(job));
      }
      if (activated.isEmpty()) {
        sleep(settings.pollInterval().toNanos() - (System.nanoTime() - asked));
      }
    }
  }

  private void work(ActivatedJob job) {
    try {
      handler.accept(job);
    } catch (RuntimeException e) {
      LOG.error("Job {} of type {} failed unexpectedly; it will be activated again after its timeout", job.getKey(), job.getType(), e);
    } finally {
      free.release();
    }
  }

  private void sleep(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops activating, and gives the jobs being worked a few seconds to finish. */
  @Override
  public void close() {
    open = false;
    loop.interrupt();
    jobs.shutdown();
    try {
      if (!jobs.awaitTermination(10, TimeUnit.SECONDS)) {
        jobs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
