package io.aigen.camunda.sandbox.jobs;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The time every simulation derives its job states from. Jobs are not run by threads: a job's
 * state is a function of its {@link JobTimeline} and {@link #now()}.
 */
public final class JobClock {

  private final InstantSource source;

  JobClock(InstantSource source) {
    this.source = source;
  }

  public static JobClock system() {
    return new JobClock(InstantSource.system());
  }

  public Instant now() {
    return source.instant();
  }
}
