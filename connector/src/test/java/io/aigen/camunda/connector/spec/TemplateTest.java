package io.aigen.camunda.connector.spec;

import static io.aigen.camunda.connector.support.FalFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  private static final Template.Values VALUES =
      new Template.Values(
          Map.<String, JsonNode>of(
              "baseUrl", TextNode.valueOf("https://queue.fal.run"),
              "model", TextNode.valueOf("fal-ai/flux/dev"),
              "id", TextNode.valueOf("req-1"),
              "input", parse("{\"prompt\":\"a cat\",\"target_lang\":\"de\"}"),
              "startResult",
                  parse(
                      "{\"body\":{\"request_id\":\"req-1\",\"status_url\":\"https://queue.fal.run/fal-ai/flux/requests/req-1/status\","
                          + "\"urls\":[\"https://a\",\"https://b\"]}}")));

  @Test
  void startResultBodyStatusUrlIsTheUrlFromTheSubmitAnswer() {
    assertThat(Template.resolve("{startResult.body.status_url}", VALUES))
        .isEqualTo("https://queue.fal.run/fal-ai/flux/requests/req-1/status");
  }

  @Test
  void baseUrlSlashModelKeepsTheModelsSubPathForSubmit() {
    assertThat(Template.resolve("{baseUrl}/{model}", VALUES)).isEqualTo("https://queue.fal.run/fal-ai/flux/dev");
  }

  @Test
  void placeholdersMixWithLiteralTextAndPathsIntoInput() {
    assertThat(Template.resolve("{baseUrl}/fal-ai/flux/requests/{id}/status?lang={input.target_lang}", VALUES))
        .isEqualTo("https://queue.fal.run/fal-ai/flux/requests/req-1/status?lang=de");
    assertThat(Template.resolve("{startResult.body.urls[1]}", VALUES)).isEqualTo("https://b");
    assertThat(Template.resolve("no placeholders here", VALUES)).isEqualTo("no placeholders here");
    assertThat(Template.resolve(null, VALUES)).isNull();
  }

  @Test
  void unknownRootIsIllegalArgumentNamingThePlaceholderAndTheKnownRoots() {
    assertThatThrownBy(() -> Template.resolve("{start.body.status_url}", VALUES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{start.body.status_url}")
        .hasMessageContaining("startResult");
    assertThatThrownBy(() -> Template.resolve("{baseUrl}/{requestId}/status", VALUES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{requestId}");
  }

  @Test
  void absentValueIsIllegalArgumentNamingThePlaceholder() {
    assertThatThrownBy(() -> Template.resolve("{startResult.body.cancel_url}", VALUES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{startResult.body.cancel_url}");
  }

  @Test
  void fieldsOfNamesTheFieldsOfOneRootInOrder() {
    assertThat(Template.fieldsOf("{baseUrl}/{query.fal_app}/{query.fal_path|x}/requests/{id}?v={query.v.n}", "query"))
        .containsExactly("fal_app", "fal_path", "v");
    assertThat(Template.fieldsOf("{query}/{id}", "query")).isEmpty();
  }

  @Test
  void rootsListsEveryPlaceholderRootInOrder() {
    assertThat(Template.roots("{baseUrl}/{model}?x={startResult.body.id}")).containsExactly("baseUrl", "model", "startResult");
  }
}
