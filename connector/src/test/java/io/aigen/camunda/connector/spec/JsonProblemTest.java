package io.aigen.camunda.connector.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

/** Parser problems told without the parser's internals. */
class JsonProblemTest {

  private static String problemOf(String text) {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> Json.mapper().readTree(text));
    return Json.problem(e);
  }

  @Test
  void anUnclosedObjectSaysWhereWithoutTheSource() {
    String problem = problemOf("{\"prompt\": \"a cat\"");
    assertThat(problem).doesNotContain("Source:").doesNotContain("REDACTED").doesNotContain("StreamReadFeature").contains("line 1");
    assertThat(problem).startsWith("Unexpected end-of-input");
  }

  @Test
  void aBadTokenSaysWhereWithoutTheSource() {
    String problem = problemOf("{prompt: 'a cat'}");
    assertThat(problem).doesNotContain("Source:").contains("line 1, column 2");
  }

  @Test
  void aWrongTypeNamesTheKindNotTheJavaClass() {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> Json.mapper().readValue("{\"a\":1}", String.class));
    assertThat(Json.problem(e)).isEqualTo("expected a text");
  }
}
