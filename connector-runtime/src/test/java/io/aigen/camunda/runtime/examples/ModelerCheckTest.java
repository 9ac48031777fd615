package io.aigen.camunda.runtime.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code modeler-check/check.mjs}: Camunda's own template validator on every committed element
 * template, and {@code @camunda/linting} (Camunda 8.8) with the templates on every example
 * process. It needs Node.js and npm; without them it fails, saying how to install them ({@code
 * .ci/run} does). {@code npm ci} runs when the check's packages are missing or stale.
 */
class ModelerCheckTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path CHECK = ROOT.resolve("modeler-check");

  @Test
  void templatesValidateAndExamplesLintClean() throws Exception {
    String node = onPath("node");
    String npm = onPath("npm");
    if (node == null || npm == null) {
      fail("The modeler check needs Node.js and npm, which are not on the PATH. Install them (Debian: apt-get install nodejs npm;"
          + " .ci/run does) and run the build again.");
    }
    Path installed = CHECK.resolve("node_modules").resolve(".package-lock.json");
    if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(CHECK.resolve("package-lock.json"))) < 0) {
      Result ci = run(List.of(npm, "ci", "--no-audit", "--no-fund"), 600);
      assertThat(ci.exit()).as("npm ci in modeler-check/:\n%s", ci.output()).isZero();
    }
    Result check = run(List.of(node, "check.mjs", ROOT.toString()), 300);
    System.out.println(check.output());
    assertThat(check.exit()).as("modeler-check/check.mjs:\n%s", check.output()).isZero();
    assertThat(check.output()).contains(" passed, 0 failed");
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(CHECK.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " took longer than " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static String onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
