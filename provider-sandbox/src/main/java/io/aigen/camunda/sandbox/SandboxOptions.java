package io.aigen.camunda.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ProviderSandbox} is started.
 *
 * @param port TCP port on 127.0.0.1; 0 picks any free port
 * @param falKey the fal key callers must send as {@code Authorization: Key <falKey>}; {@code null}
 *     (or blank) accepts any non-blank key
 * @param defaultJobDuration how long a job takes from submission to completion unless its input
 *     says otherwise
 */
public record SandboxOptions(int port, String falKey, Duration defaultJobDuration) {

  public SandboxOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
    Objects.requireNonNull(defaultJobDuration, "defaultJobDuration");
    if (defaultJobDuration.isNegative()) {
      throw new IllegalArgumentException("defaultJobDuration must not be negative: " + defaultJobDuration);
    }
    falKey = falKey == null || falKey.isBlank() ? null : falKey;
  }

  /** Any free port, any non-blank fal key, jobs of 3 seconds. */
  public static SandboxOptions defaults() {
    return new SandboxOptions(0, null, Duration.ofSeconds(3));
  }

  public SandboxOptions withPort(int port) {
    return new SandboxOptions(port, falKey, defaultJobDuration);
  }

  public SandboxOptions withFalKey(String falKey) {
    return new SandboxOptions(port, falKey, defaultJobDuration);
  }

  public SandboxOptions withDefaultJobDuration(Duration defaultJobDuration) {
    return new SandboxOptions(port, falKey, defaultJobDuration);
  }
}
