package io.aigen.camunda.runtime.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example processes are what the element templates make: every AI task as Modeler writes it
 * when its provider's template is applied, and every process declaring Camunda 8.8. A stale example
 * is written to {@code target/processes/}, ready to copy. (The modeler check, {@code
 * ModelerCheckTest}, lints them with Camunda's own libraries.)
 */
class ExampleProcessesTest {

  static final Path EXAMPLES = Path.of("src", "main", "resources", "processes");
  private static final Path EXPECTED = Path.of("target", "processes");

  static Stream<String> examples() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".bpmn")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsMadeFromItsProvidersTemplate(String file) throws Exception {
    String committed = Files.readString(EXAMPLES.resolve(file));
    String expected = ExampleProcesses.regenerate(committed);
    Files.createDirectories(EXPECTED);
    Files.writeString(EXPECTED.resolve(file), expected);
    assertThat(committed)
        .as("%s is not what the templates make. Refresh with: cp connector-runtime/%s/*.bpmn connector-runtime/%s/", file, EXPECTED, EXAMPLES)
        .isEqualTo(expected);
    assertThat(committed).as(file).contains("modeler:executionPlatformVersion=\"" + ExampleProcesses.PLATFORM_VERSION + "\"");
  }
}
