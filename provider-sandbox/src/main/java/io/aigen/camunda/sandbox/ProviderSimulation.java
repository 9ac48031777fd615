package io.aigen.camunda.sandbox;

import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;

/**
 * One provider's HTTP protocol, mounted under a path prefix of the sandbox (e.g. {@code /fal}).
 * Implementations derive job states from a {@link io.aigen.camunda.sandbox.jobs.JobClock
 * JobClock} instead of running background work.
 */
public interface ProviderSimulation {

  /** Prefix this simulation answers under, starting with {@code /} and without a trailing one. */
  String mountPath();

  /** Answers a request whose {@link SandboxRequest#path()} is already relative to the mount path. */
  SandboxResponse handle(SandboxRequest request);
}
