package io.aigen.camunda.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every request the sandbox answered, oldest first. Keeps the latest {@value #MAX_ENTRIES} entries
 * so long benchmarks cannot exhaust memory.
 */
public final class Journal {

  public static final int MAX_ENTRIES = 50_000;
  static final int MAX_BODY_BYTES = 4096;

  private final Deque<JournalEntry> entries = new ArrayDeque<>();
  private final List<Consumer<JournalEntry>> listeners = new CopyOnWriteArrayList<>();

  Journal() {}

  public synchronized List<JournalEntry> entries() {
    return List.copyOf(entries);
  }

  /**
   * Entries with the given method ({@code null} = any, case-insensitive) whose whole path matches
   * {@code pathRegex}.
   */
  public List<JournalEntry> matching(String method, String pathRegex) {
    Pattern path = Pattern.compile(pathRegex);
    return entries().stream()
        .filter(e -> method == null || e.method().equalsIgnoreCase(method))
        .filter(e -> path.matcher(e.path()).matches())
        .toList();
  }

  public synchronized void clear() {
    entries.clear();
  }

  /**
   * Calls {@code listener} with every entry from now on, as it is recorded: on the request's thread,
   * before the answer is sent, and regardless of the {@value #MAX_ENTRIES}-entry limit (benchmarks
   * count requests with it). Keep it quick; an exception it throws is ignored.
   */
  public void addListener(Consumer<JournalEntry> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Consumer<JournalEntry> listener) {
    listeners.remove(listener);
  }

  void record(JournalEntry entry) {
    synchronized (this) {
      if (entries.size() == MAX_ENTRIES) {
        entries.removeFirst();
      }
      entries.addLast(entry);
    }
    for (Consumer<JournalEntry> listener : listeners) {
      try {
        listener.accept(entry);
      } catch (RuntimeException ignored) {
        // a listener must not break the sandbox's answer
      }
    }
  }

  static String bodyForJournal(byte[] body) {
    byte[] kept = body.length > MAX_BODY_BYTES ? Arrays.copyOf(body, MAX_BODY_BYTES) : body;
    return new String(kept, StandardCharsets.UTF_8);
  }
}
