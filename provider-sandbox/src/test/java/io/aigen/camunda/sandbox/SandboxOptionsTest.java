package io.aigen.camunda.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxOptionsTest {

  @Test
  void defaultsAndWithers() {
    SandboxOptions options = SandboxOptions.defaults();
    assertThat(options).isEqualTo(new SandboxOptions(0, null, Duration.ofSeconds(3), null, null));

    SandboxOptions changed = options.withPort(1234).withFalKey("k").withDefaultJobDuration(Duration.ofMillis(5))
        .withReplicateWebhookSecret("whsec_c2VjcmV0").withUnifiedCallbackSecret("s");
    assertThat(changed).isEqualTo(new SandboxOptions(1234, "k", Duration.ofMillis(5), "whsec_c2VjcmV0", "s"));
    assertThat(options.withFalKey(" ").falKey()).isNull();
    assertThat(options.withReplicateWebhookSecret(" ").replicateWebhookSecret()).isNull();
    assertThat(options.withUnifiedCallbackSecret("").unifiedCallbackSecret()).isNull();
  }

  @Test
  void rejectsImpossibleValues() {
    assertThatThrownBy(() -> SandboxOptions.defaults().withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SandboxOptions.defaults().withDefaultJobDuration(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    for (String notAWebhookSecret : new String[] {"c2VjcmV0", "whsec_", "whsec_not base64!"}) {
      assertThatThrownBy(() -> SandboxOptions.defaults().withReplicateWebhookSecret(notAWebhookSecret))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whsec_");
    }
  }

  @Test
  void startsOnLoopbackAndExposesItsUrls() {
    try (ProviderSandbox sandbox = ProviderSandbox.start(SandboxOptions.defaults())) {
      assertThat(sandbox.port()).isPositive();
      assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
      assertThat(sandbox.falBaseUrl()).isEqualTo(sandbox.baseUrl() + "/fal");
      assertThat(sandbox.journal().entries()).isEmpty();
      assertThat(sandbox.falJwksUrl()).isEqualTo(sandbox.baseUrl() + "/fal-rest/.well-known/jwks.json");
      assertThat(sandbox.replicateWebhookSecret()).matches("whsec_[A-Za-z0-9+/]{32}");
      assertThat(sandbox.callbacks()).isEmpty();
    }
    try (ProviderSandbox sandbox = ProviderSandbox.start(SandboxOptions.defaults().withReplicateWebhookSecret("whsec_c2VjcmV0"))) {
      assertThat(sandbox.replicateWebhookSecret()).isEqualTo("whsec_c2VjcmV0");
    }
  }
}
