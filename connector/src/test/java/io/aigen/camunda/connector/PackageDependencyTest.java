package io.aigen.camunda.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connector's packages form layers: no two import each other, directly or round a circle, and
 * the callback package never reaches up into the root facade. Read from the main sources' imports
 * and fully qualified names (comments left out).
 */
class PackageDependencyTest {

  private static final String BASE = "io.aigen.camunda.connector";
  private static final Path SOURCES = Path.of("src/main/java/io/aigen/camunda/connector");
  private static final Pattern REFERENCE = Pattern.compile("\\b" + Pattern.quote(BASE) + "((?:\\.[a-z]\\w*)*)\\.[A-Z]");
  private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

  /** Package (relative to the base; "" is the root) to the packages its classes use. */
  private static final Map<String, Set<String>> USES = new TreeMap<>();

  @BeforeAll
  static void readSources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = packageOf(SOURCES.relativize(file.getParent()));
        String code = COMMENT.matcher(read(file)).replaceAll("");
        Set<String> uses = USES.computeIfAbsent(from, p -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(code);
        while (reference.find()) {
          String to = reference.group(1).isEmpty() ? "" : reference.group(1).substring(1);
          if (!to.equals(from)) {
            uses.add(to);
          }
        }
      }
    }
  }

  @Test
  void noPackagesImportEachOtherInACircle() {
    List<List<String>> circles = circles();
    assertThat(circles).as("package circles in %s", USES).isEmpty();
  }

  @Test
  void theCallbackPackageDoesNotReachUpIntoTheRootFacade() {
    assertThat(USES.get("callback")).as("packages callback/ uses").doesNotContain("");
  }

  @Test
  void theCheckSeesThePackagesItGuards() {
    assertThat(USES).containsKeys("", "callback", "config", "inbound", "job", "provider", "spec", "worker");
    assertThat(USES.get("config")).as("config wires the rest").contains("", "worker", "callback");
  }

  /** Every strongly connected group of more than one package (Tarjan). */
  private static List<List<String>> circles() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<List<String>> found = new ArrayList<>();
    int[] next = {0};
    for (String start : USES.keySet()) {
      if (!index.containsKey(start)) {
        connect(start, index, low, stack, found, next);
      }
    }
    return found;
  }

  private static void connect(String node, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack, List<List<String>> found, int[] next) {
    index.put(node, next[0]);
    low.put(node, next[0]);
    next[0]++;
    stack.push(node);
    for (String used : USES.getOrDefault(node, Set.of())) {
      if (!index.containsKey(used)) {
        connect(used, index, low, stack, found, next);
        low.put(node, Math.min(low.get(node), low.get(used)));
      } else if (stack.contains(used)) {
        low.put(node, Math.min(low.get(node), index.get(used)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> group = new ArrayList<>();
      String member;
      do {
        member = stack.pop();
        group.add(member.isEmpty() ? "(root)" : member);
      } while (!member.equals(node));
      if (group.size() > 1) {
        found.add(group);
      }
    }
  }

  private static String packageOf(Path relative) {
    return relative.toString().replace('/', '.').replace('\\', '.');
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
