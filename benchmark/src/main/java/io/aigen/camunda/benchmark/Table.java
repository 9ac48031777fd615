package io.aigen.camunda.benchmark;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table in Markdown pipe syntax, columns padded; numbers right-aligned. */
final class Table {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(String... cells) {
    List<String> row = new ArrayList<>(List.of(cells));
    while (row.size() < header.size()) {
      row.add("");
    }
    rows.add(row);
    return this;
  }

  String render() {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths, false);
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      out.append(c == 0 ? ":" : "").append("-".repeat(widths[c] + (c == 0 ? 1 : 1))).append(c == 0 ? "" : ":").append('|');
    }
    out.append('\n');
    for (List<String> row : rows) {
      line(out, row, widths, true);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths, boolean alignNumbers) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      boolean right = alignNumbers && c > 0;
      String padded = right ? " ".repeat(widths[c] - cell.length()) + cell : cell + " ".repeat(widths[c] - cell.length());
      out.append(' ').append(padded).append(" |");
    }
    out.append('\n');
  }
}
