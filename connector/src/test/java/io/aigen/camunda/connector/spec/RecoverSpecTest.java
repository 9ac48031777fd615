package io.aigen.camunda.connector.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The {@code recover} section: read from JSON, each mistake named by its field, the marker put into a body. */
class RecoverSpecTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode spec(String recover) throws Exception {
    return JSON.readTree("{\"targetUrl\": \"https://api.example.com/v1/jobs\", \"pollConfig\": {\"urlTemplate\": \"{baseUrl}/v1/jobs/{id}\", \"statusPath\": \"status\","
        + " \"doneValues\": [\"done\"], \"failValues\": [\"failed\"]}, \"recover\": " + recover + "}");
  }

  @Test
  void theReplicateOxenAndLumaPresetsCanFindAnEarlierSubmitAndFalCannot() {
    assertThat(ProviderCatalog.spec(ProviderId.REPLICATE).recover().listUrlTemplates()).containsExactly("{baseUrl}/predictions?created_after={since}");
    assertThat(ProviderCatalog.spec(ProviderId.OXEN).recover().listUrlTemplates()).hasSize(4);
    assertThat(ProviderCatalog.spec(ProviderId.LUMA).recover().morePath()).isEqualTo("has_more");
    assertThat(ProviderCatalog.spec(ProviderId.FAL).recover()).isNull();
  }

  @Test
  void aCompleteSectionIsRead() throws Exception {
    Recover recover = SpecReader.read(spec(
        "{\"markerField\": \"input.aigen_submission\", \"lists\": [\"{baseUrl}/v1/jobs?since={since}\"], \"itemsPath\": \"jobs\", \"markerPath\": \"input.aigen_submission\","
            + " \"nextPagePath\": \"next\"}"), "custom").recover();
    assertThat(recover.markerField()).isEqualTo("input.aigen_submission");
    assertThat(recover.answer().asText()).isEqualTo("{item}");
    assertThat(recover.mark(JSON.readTree("{\"input\": {\"prompt\": \"a cat\"}}"), "m-1").toString())
        .isEqualTo("{\"input\":{\"prompt\":\"a cat\",\"aigen_submission\":\"m-1\"}}");
    assertThat(recover.mark(JSON.readTree("{}"), "m-2").toString()).isEqualTo("{\"input\":{\"aigen_submission\":\"m-2\"}}");
  }

  @ParameterizedTest(name = "{0} → SpecException naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"lists\": [\"{baseUrl}/jobs\"], \"markerPath\": \"m\"}|recover.markerField",
        "{\"markerField\": \"a b\", \"lists\": [\"{baseUrl}/jobs\"], \"markerPath\": \"m\"}|recover.markerField",
        "{\"markerField\": \"m\", \"lists\": [], \"markerPath\": \"m\"}|recover.lists",
        "{\"markerField\": \"m\", \"lists\": [\"{baseUrl}/jobs\"]}|recover.markerPath",
        "{\"markerField\": \"m\", \"lists\": [\"{baseUrl}/jobs\"], \"markerPath\": \"m\", \"answer\": {\"jobs\": \"{all}\"}}|recover.answer",
        "{\"markerField\": \"m\", \"lists\": [\"{baseUrl}/jobs\"], \"markerPath\": \"m\", \"pages\": 3}|recover",
      })
  void aMistakeNamesItsField(String recover, String field) {
    assertThatThrownBy(() -> SpecReader.read(spec(recover), "custom"))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).startsWith(field));
  }
}
