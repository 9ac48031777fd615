package io.aigen.camunda.runtime.embedded;

import io.aigen.camunda.runtime.embedded.state.SortedMemoryState;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import java.lang.reflect.Field;

/**
 * Gives the in-memory engine {@link SortedMemoryState} for its state, before it starts.
 *
 * <p>zeebe-process-test 8.8's factory offers no way to choose the state store. Its stream
 * processor opens its state from the store it holds only when the engine starts, so the store is
 * swapped in its field {@code StreamProcessor.zeebeDb} (and in {@code InMemoryEngine.database},
 * which the engine closes on stop). {@code SafeInMemoryLogTest} fails if those fields change. Both
 * are {@code final}: JDK 21 to 25 let reflection set them; JDK 26 warns (JEP 500), and a later JDK
 * will refuse, and then this fails at start with the reason.
 */
final class EngineState {

  private EngineState() {}

  /**
   * @param engine created and not yet started
   * @return {@code engine}
   */
  static ZeebeTestEngine replace(ZeebeTestEngine engine) {
    SortedMemoryState<?> state = new SortedMemoryState<>();
    try {
      Object processor = read(engine, engine.getClass(), "streamProcessor");
      write(processor, processor.getClass(), "zeebeDb", state);
      write(engine, engine.getClass(), "database", state);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot give the in-memory engine its sorted state store (zeebe-process-test changed?): " + e, e);
    }
    return engine;
  }

  private static Object read(Object owner, Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  private static void write(Object owner, Class<?> type, String name, Object value) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    field.set(owner, value);
  }
}
