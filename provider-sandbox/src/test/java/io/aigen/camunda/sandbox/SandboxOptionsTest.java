package io.aigen.camunda.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxOptionsTest {

  @Test
  void defaultsAndWithers() {
    SandboxOptions options = SandboxOptions.defaults();
    assertThat(options).isEqualTo(new SandboxOptions(0, null, Duration.ofSeconds(3)));

    SandboxOptions changed = options.withPort(1234).withFalKey("k").withDefaultJobDuration(Duration.ofMillis(5));
    assertThat(changed).isEqualTo(new SandboxOptions(1234, "k", Duration.ofMillis(5)));
    assertThat(options.withFalKey(" ").falKey()).isNull();
  }

  @Test
  void rejectsImpossibleValues() {
    assertThatThrownBy(() -> SandboxOptions.defaults().withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SandboxOptions.defaults().withDefaultJobDuration(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void startsOnLoopbackAndExposesItsUrls() {
    try (ProviderSandbox sandbox = ProviderSandbox.start(SandboxOptions.defaults())) {
      assertThat(sandbox.port()).isPositive();
      assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
      assertThat(sandbox.falBaseUrl()).isEqualTo(sandbox.baseUrl() + "/fal");
      assertThat(sandbox.journal().entries()).isEmpty();
    }
  }
}
