package io.aigen.camunda.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The tables and notes of a run: printed, and kept in a file under {@code --out}. */
final class Report {

  private final StringBuilder text = new StringBuilder();
  private final Path file;

  Report(Path file) {
    this.file = file;
  }

  void line(String format, Object... args) {
    String line = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
    System.out.println(line);
    System.out.flush();
    text.append(line).append('\n');
  }

  Path save() throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }
}
