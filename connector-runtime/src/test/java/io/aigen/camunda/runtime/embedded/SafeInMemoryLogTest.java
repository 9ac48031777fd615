package io.aigen.camunda.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.runtime.embedded.state.SortedMemoryState;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine as {@link LoopbackEngine} makes it: its log swapped for one safe to read while
 * written ({@link SafeInMemoryLog}), its state in {@link SortedMemoryState}, its gateway on loopback,
 * and working. Fails when
 * zeebe-process-test renames the fields both reach into.
 */
class SafeInMemoryLogTest {

  @Test
  void theEmbeddedEnginesLogIsSynchronizedAndTheEngineWorks() throws Exception {
    ZeebeTestEngine engine = LoopbackEngine.create(InetAddress.getLoopbackAddress(), freePort());
    engine.start();
    try (ZeebeClient client = engine.createClient()) {
      Object storage = read(read(engine, "logStream"), "logStorage");
      assertThat(read(storage, "logEntries").getClass()).isEqualTo(Collections.synchronizedList(new java.util.ArrayList<>()).getClass());
      assertThat(read(storage, "commitListeners").getClass()).isEqualTo(ConcurrentHashMap.newKeySet().getClass());
      assertThat((Set<?>) read(storage, "commitListeners")).as("the log stream still hears of commits").isNotEmpty();
      assertThat(read(read(engine, "streamProcessor"), "zeebeDb")).as("the engine's state store").isInstanceOf(SortedMemoryState.class);
      assertThat(read(engine, "database")).as("the store the engine closes on stop").isSameAs(read(read(engine, "streamProcessor"), "zeebeDb"));

      client.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess("p").startEvent().endEvent().done(), "p.bpmn").send().join();
      for (int i = 0; i < 50; i++) {
        assertThat(client.newCreateInstanceCommand().bpmnProcessId("p").latestVersion().withResult().send().join().getProcessInstanceKey()).isPositive();
      }
    } finally {
      engine.stop();
    }
  }

  @Test
  void anEngineWithoutThoseFieldsIsRefusedWithTheReason() {
    ZeebeTestEngine other = (ZeebeTestEngine) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ZeebeTestEngine.class}, (proxy, method, args) -> null);
    assertThatThrownBy(() -> SafeInMemoryLog.guard(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("zeebe-process-test changed?")
        .hasMessageContaining("logStream");
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
