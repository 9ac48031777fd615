package io.aigen.camunda.sandbox;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The time every simulation derives its job states from. Jobs are not run by threads: a job's
 * state is a function of its {@link JobTimeline} and {@link #now()}.
 */
final class JobClock {

  private final InstantSource source;

  JobClock(InstantSource source) {
    this.source = source;
  }

  static JobClock system() {
    return new JobClock(InstantSource.system());
  }

  Instant now() {
    return source.instant();
  }
}
