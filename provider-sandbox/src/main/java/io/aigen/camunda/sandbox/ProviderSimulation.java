package io.aigen.camunda.sandbox;

/**
 * One provider's HTTP protocol, mounted under a path prefix of the sandbox (e.g. {@code /fal}).
 * Implementations derive job states from a {@link JobClock} instead of running background work.
 */
interface ProviderSimulation {

  /** Prefix this simulation answers under, starting with {@code /} and without a trailing one. */
  String mountPath();

  /** Answers a request whose {@link SandboxRequest#path()} is already relative to the mount path. */
  SandboxResponse handle(SandboxRequest request);
}
