package io.aigen.camunda.connector.spec;

import static io.aigen.camunda.connector.support.FalFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonPathsTest {

  private static final JsonNode BODY =
      parse(
          """
          {"assets":{"video":"https://cdn/v.mp4"},
           "output":["https://cdn/0.png","https://cdn/1.png"],
           "images":[{"url":"https://fal/a.png","width":1024},{"url":"https://fal/b.png"}],
           "video":{"url":"https://fal/v.mp4"},
           "metrics":{"inference_time":4.2},
           "error":null,
           "nested":{"list":[{"x":[{"url":"https://deep"}]}]}}""");

  @Test
  void dotPathAssetsVideo() {
    assertThat(JsonPaths.text(BODY, "assets.video")).isEqualTo("https://cdn/v.mp4");
  }

  @Test
  void dotPathWithNumericSegmentOutput0() {
    assertThat(JsonPaths.text(BODY, "output.0")).isEqualTo("https://cdn/0.png");
    assertThat(JsonPaths.text(BODY, "output.1")).isEqualTo("https://cdn/1.png");
    assertThat(JsonPaths.text(BODY, "nested.list.0.x.0.url")).isEqualTo("https://deep");
  }

  @Test
  void bracketIndexImages0Url() {
    assertThat(JsonPaths.text(BODY, "images[0].url")).isEqualTo("https://fal/a.png");
    assertThat(JsonPaths.text(BODY, "$.images[1].url")).isEqualTo("https://fal/b.png");
  }

  @Test
  void deepScanCollectsEveryUrlInDocumentOrder() {
    assertThat(JsonPaths.strings(BODY, "$..url"))
        .containsExactly("https://fal/a.png", "https://fal/b.png", "https://fal/v.mp4", "https://deep");
  }

  @Test
  void stringsFlattensAnArrayOfUrls() {
    assertThat(JsonPaths.strings(BODY, "output")).containsExactly("https://cdn/0.png", "https://cdn/1.png");
    assertThat(JsonPaths.strings(BODY, "$.images[*].url")).containsExactly("https://fal/a.png", "https://fal/b.png");
  }

  @Test
  void emptyPathOrDollarIsTheWholeBody() {
    assertThat(JsonPaths.read(BODY, "")).isSameAs(BODY);
    assertThat(JsonPaths.read(BODY, "$")).isSameAs(BODY);
    assertThat(JsonPaths.read(BODY, null)).isSameAs(BODY);
  }

  @Test
  void absentOrJsonNullIsNoTextSoFalsNullErrorIsNotAFailure() {
    assertThat(JsonPaths.text(BODY, "error")).isNull();
    assertThat(JsonPaths.text(BODY, "error_type")).isNull();
    assertThat(JsonPaths.read(BODY, "assets.audio").isMissingNode()).isTrue();
    assertThat(JsonPaths.text(BODY, "output.7")).isNull();
    assertThat(JsonPaths.strings(BODY, "$..nothing")).isEmpty();
    assertThat(JsonPaths.read(null, "status").isMissingNode()).isTrue();
  }

  @Test
  void numbersAndObjectsAreGivenAsText() {
    assertThat(JsonPaths.text(BODY, "metrics.inference_time")).isEqualTo("4.2");
    assertThat(JsonPaths.text(BODY, "metrics")).isEqualTo("{\"inference_time\":4.2}");
  }

  @Test
  void invalidPathIsIllegalArgumentNamingThePath() {
    assertThatThrownBy(() -> JsonPaths.validate("$.images[0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'$.images[0'");
  }
}
