package io.aigen.camunda.sandbox;

import io.aigen.camunda.sandbox.replicate.ReplicateWebhookSigner;
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
 * @param replicateWebhookSecret the {@code whsec_<base64>} secret Replicate's webhooks are signed
 *     with; {@code null} (or blank) = one is generated when the sandbox starts (see {@link
 *     ProviderSandbox#replicateWebhookSecret()})
 * @param unifiedCallbackSecret the secret the unified task API's callbacks are signed with ({@code
 *     X-Webhook-Signature}); {@code null} (or blank) = they are sent unsigned
 */
public record SandboxOptions(
    int port,
    String falKey,
    Duration defaultJobDuration,
    String replicateWebhookSecret,
    String unifiedCallbackSecret) {

  public SandboxOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
    Objects.requireNonNull(defaultJobDuration, "defaultJobDuration");
    if (defaultJobDuration.isNegative()) {
      throw new IllegalArgumentException("defaultJobDuration must not be negative: " + defaultJobDuration);
    }
    falKey = blankToNull(falKey);
    replicateWebhookSecret = blankToNull(replicateWebhookSecret);
    if (replicateWebhookSecret != null) {
      ReplicateWebhookSigner.keyOf(replicateWebhookSecret);
    }
    unifiedCallbackSecret = blankToNull(unifiedCallbackSecret);
  }

  /**
   * Any free port, any non-blank fal key, jobs of 3 seconds, a Replicate webhook secret generated
   * at start, unsigned unified-task callbacks.
   */
  public static SandboxOptions defaults() {
    return new SandboxOptions(0, null, Duration.ofSeconds(3), null, null);
  }

  public SandboxOptions withPort(int port) {
    return new SandboxOptions(port, falKey, defaultJobDuration, replicateWebhookSecret, unifiedCallbackSecret);
  }

  public SandboxOptions withFalKey(String falKey) {
    return new SandboxOptions(port, falKey, defaultJobDuration, replicateWebhookSecret, unifiedCallbackSecret);
  }

  public SandboxOptions withDefaultJobDuration(Duration defaultJobDuration) {
    return new SandboxOptions(port, falKey, defaultJobDuration, replicateWebhookSecret, unifiedCallbackSecret);
  }

  /** @param replicateWebhookSecret {@code whsec_<base64>}; {@code null} = generate one at start */
  public SandboxOptions withReplicateWebhookSecret(String replicateWebhookSecret) {
    return new SandboxOptions(port, falKey, defaultJobDuration, replicateWebhookSecret, unifiedCallbackSecret);
  }

  /** @param unifiedCallbackSecret any text; {@code null} = unsigned callbacks */
  public SandboxOptions withUnifiedCallbackSecret(String unifiedCallbackSecret) {
    return new SandboxOptions(port, falKey, defaultJobDuration, replicateWebhookSecret, unifiedCallbackSecret);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
