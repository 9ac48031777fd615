package io.aigen.camunda.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.sandbox.JournalEntry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Listens to the sandbox's journal: counts every request the providers' side answered, by kind,
 * and remembers when each generation was submitted, by its prompt. A job's provider-done time is
 * its submit time + D (the sandbox completes a job exactly D after accepting it; the journal's time
 * is taken right after the job was created, so it is at most a fraction of a millisecond late).
 */
final class SandboxTap implements Consumer<JournalEntry> {

  enum Kind { SUBMIT, STATUS, RESULT, CANCEL, OTHER }

  private static final Pattern FAL_SUBMIT = Pattern.compile("/fal/fal-ai/flux/dev");
  private static final Pattern FAL_STATUS = Pattern.compile("/fal/[^/]+/[^/]+/requests/[^/]+/status");
  private static final Pattern FAL_RESULT = Pattern.compile("/fal/[^/]+/[^/]+/requests/[^/]+");
  private static final Pattern FAL_CANCEL = Pattern.compile("/fal/[^/]+/[^/]+/requests/[^/]+/cancel");

  private final ObjectMapper json = new ObjectMapper();
  private final Map<Kind, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Long> submittedAtByPrompt = new ConcurrentHashMap<>();

  SandboxTap() {
    for (Kind kind : Kind.values()) {
      counts.put(kind, new LongAdder());
    }
  }

  @Override
  public void accept(JournalEntry entry) {
    Kind kind = kindOf(entry);
    counts.get(kind).increment();
    if (kind == Kind.SUBMIT && entry.responseStatus() == 200) {
      try {
        JsonNode prompt = json.readTree(entry.requestBody()).path("prompt");
        if (prompt.isTextual()) {
          submittedAtByPrompt.putIfAbsent(prompt.asText(), entry.at().toEpochMilli());
        }
      } catch (Exception e) {
        // not a generation of the benchmark
      }
    }
  }

  private static Kind kindOf(JournalEntry entry) {
    String path = entry.path();
    return switch (entry.method()) {
      case "POST" -> FAL_SUBMIT.matcher(path).matches() ? Kind.SUBMIT : Kind.OTHER;
      case "GET" -> FAL_STATUS.matcher(path).matches() ? Kind.STATUS : FAL_RESULT.matcher(path).matches() ? Kind.RESULT : Kind.OTHER;
      case "PUT" -> FAL_CANCEL.matcher(path).matches() ? Kind.CANCEL : Kind.OTHER;
      default -> Kind.OTHER;
    };
  }

  /** When the sandbox accepted the generation with this prompt (epoch ms), or null. */
  Long submittedAt(String prompt) {
    return submittedAtByPrompt.get(prompt);
  }

  Counts counts() {
    Map<Kind, Long> snapshot = new java.util.EnumMap<>(Kind.class);
    counts.forEach((kind, adder) -> snapshot.put(kind, adder.sum()));
    return new Counts(snapshot);
  }

  /** Requests answered so far, by kind. */
  record Counts(Map<Kind, Long> byKind) {
    long total() {
      return byKind.values().stream().mapToLong(Long::longValue).sum();
    }

    long of(Kind kind) {
      return byKind.getOrDefault(kind, 0L);
    }

    Counts minus(Counts earlier) {
      Map<Kind, Long> delta = new java.util.EnumMap<>(Kind.class);
      byKind.forEach((kind, value) -> delta.put(kind, value - earlier.of(kind)));
      return new Counts(delta);
    }
  }
}
