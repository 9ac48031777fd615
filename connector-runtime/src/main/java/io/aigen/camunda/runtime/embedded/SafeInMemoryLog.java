package io.aigen.camunda.runtime.embedded;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the in-memory engine's log safe to read while it is written.
 *
 * <p>zeebe-process-test 8.8's {@code InMemoryLogStorage} appends to a plain {@code ArrayList} on the
 * log's writer thread while the stream processor reads it on an actor thread. Under load the reader
 * can see the list's new size before its new entry: it read {@code null}, the stream processor
 * failed ({@code NullPointerException} in {@code ListLogStorageReader.next}), and the engine
 * answered nothing more until restarted (seen once in a 3-minute stall soak at about 100 polls a
 * second). Before the engine starts, its entry list is swapped for a synchronized one, and its set
 * of commit listeners for a concurrent one.
 *
 * <p>Tied to zeebe-process-test 8.8 (fields {@code InMemoryEngine.logStream}, {@code
 * LogStreamImpl.logStorage}, {@code InMemoryLogStorage.logEntries} and {@code commitListeners});
 * {@code SafeInMemoryLogTest} fails if they change.
 */
public final class SafeInMemoryLog {

  private SafeInMemoryLog() {}

  /**
   * @param engine created and not yet started
   * @return {@code engine}
   */
  @SuppressWarnings("unchecked")
  public static ZeebeTestEngine guard(ZeebeTestEngine engine) {
    try {
      Object storage = read(read(engine, "logStream"), "logStorage");
      List<Object> entries = (List<Object>) read(storage, "logEntries");
      write(storage, "logEntries", Collections.synchronizedList(new ArrayList<>(entries)));
      Set<Object> listeners = ConcurrentHashMap.newKeySet();
      listeners.addAll((Collection<Object>) read(storage, "commitListeners"));
      write(storage, "commitListeners", listeners);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("cannot make the in-memory engine's log safe for concurrent reads (zeebe-process-test changed?): " + e, e);
    }
    return engine;
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    return field(owner, name).get(owner);
  }

  private static void write(Object owner, String name, Object value) throws ReflectiveOperationException {
    field(owner, name).set(owner, value);
  }

  private static Field field(Object owner, String name) throws NoSuchFieldException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
