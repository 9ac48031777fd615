package io.aigen.camunda.sandbox.jobs;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** In-memory jobs of one simulation, by id. Jobs are kept for the sandbox's lifetime. */
public final class JobRegistry<J> {

  private final ConcurrentMap<String, J> jobs = new ConcurrentHashMap<>();

  public void add(String id, J job) {
    jobs.put(id, job);
  }

  public Optional<J> find(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  public Collection<J> all() {
    return jobs.values();
  }
}
