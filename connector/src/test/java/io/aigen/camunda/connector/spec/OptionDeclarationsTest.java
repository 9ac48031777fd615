package io.aigen.camunda.connector.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A spec's {@code "options"} and {@code "modeler"} sections, as {@link SpecReader} checks them. */
class OptionDeclarationsTest {

  private static final String BASE =
      "'baseUrl':'https://api.example.com','submit':{'url':'{baseUrl}/{options.route|v1}/jobs','headers':{'Prefer':'wait={options.wait}'}},"
          + "'pollConfig':{'urlTemplate':'{baseUrl}/jobs/{id}','statusPath':'status','doneValues':['done']}";

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text.replace('\'', '"'));
  }

  private static PollSpec read(String options) throws Exception {
    return SpecReader.read(json("{" + BASE + ",'options':" + options + "}"), "test");
  }

  @Test
  void declaredOptionsAreRead() throws Exception {
    PollSpec spec =
        read("[{'name':'route','type':'choice','choices':['v1','v2'],'default':'v1','description':'The route.'},"
            + "{'name':'wait','type':'number','description':'Seconds to wait.'}]");
    assertThat(spec.options()).extracting(ProviderOption::name).containsExactly("route", "wait");
    assertThat(spec.option("route").orElseThrow().choices()).containsExactly("v1", "v2");
    assertThat(spec.option("wait").orElseThrow().type()).isEqualTo(ProviderOption.Type.NUMBER);
  }

  @Test
  void aSpecWithoutDeclarationsTakesAnyOption() throws Exception {
    assertThat(SpecReader.read(json("{" + BASE + "}"), "test").options()).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // a placeholder the declarations do not name
        "[{'name':'route','type':'text','description':'d'}] | submit.headers.Prefer | {options.wait} in 'wait={options.wait}' is not a declared option. Declared: [route]",
        // a declaration no template reads
        "[{'name':'route','type':'text','description':'d'},{'name':'wait','type':'number','description':'d'},{'name':'seed','type':'number','description':'d'}] | options.seed | declared, but no template",
        "[{'name':'route','type':'choice','description':'d'},{'name':'wait','type':'number','description':'d'}] | options.route.choices | missing",
        "[{'name':'route','type':'choice','choices':['v1'],'description':'d'},{'name':'wait','type':'number','description':'d'}] | options.route.default | missing",
        "[{'name':'route','type':'text','description':'d'},{'name':'wait','type':'number','default':'soon','description':'d'}] | options.wait.default | must be a number",
        "[{'name':'route','type':'colour','description':'d'}] | options.route.type | is not one of",
        "[{'name':'route','type':'text','description':'d'},{'name':'route','type':'text','description':'d'}] | options[1].name | declared twice",
        "[{'name':'route','type':'text'}] | options.route.description | missing",
        "[{'name':'route','type':'text','description':'d','typo':1}] | options[0].typo | unknown key",
        "{'route':'text'} | options | must be a list",
      })
  void mistakesInTheDeclarationsNameTheirField(String options, String field, String message) {
    assertThatThrownBy(() -> read(options))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.getMessage()).contains(field).contains(message));
  }

  @Test
  void everyPresetDeclaresItsOptionsAndModelerEntry() {
    for (ProviderCatalog.Entry entry : ProviderCatalog.entries()) {
      assertThat(entry.spec().options()).as(entry.provider().id()).isNotNull();
      assertThat(entry.spec().modeler()).as(entry.provider().id()).isNotNull();
      assertThat(entry.spec().modeler().keywords()).as(entry.provider().id()).isNotEmpty();
    }
  }

  @Test
  void modelerEntryMistakesNameTheirField() {
    assertThatThrownBy(() -> SpecReader.read(json("{" + BASE.replace("{options.route|v1}", "v1").replace(",'headers':{'Prefer':'wait={options.wait}'}", "")
            + ",'modeler':{'name':'X','version':1,'keywords':['x'],'apiKeySecret':'x-key','icon':{'letters':'X','color':'#000000'},'exampleInput':'={}'}}"), "test"))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.getMessage()).contains("modeler.apiKeySecret"));
  }
}
