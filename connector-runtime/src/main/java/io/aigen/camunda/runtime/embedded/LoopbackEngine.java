package io.aigen.camunda.runtime.embedded;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The in-memory Zeebe engine with its gRPC gateway bound to one address (loopback by default).
 *
 * <p>{@link EngineFactory} binds the gateway to every interface of the machine, and the in-memory
 * engine has no authentication: anyone on the network could deploy and start processes. The
 * factory offers no address, so the engine's unstarted gRPC server is swapped for one bound to the
 * given address, serving the same gateway. Tied to zeebe-process-test 8.8's {@code InMemoryEngine}
 * (fields {@code grpcServer} and {@code gateway}); {@code SafeInMemoryLogTest} fails if they change.
 * Its log is made safe for concurrent reads too ({@link SafeInMemoryLog}), and its state is kept in
 * {@link io.aigen.camunda.runtime.embedded.state.SortedMemoryState} ({@link EngineState}). Tests and
 * the benchmark make their engines here too, so they measure the engine the runtime embeds.
 */
public final class LoopbackEngine {

  private LoopbackEngine() {}

  /** @return the engine, not yet started */
  public static ZeebeTestEngine create(InetAddress address, int port) {
    ZeebeTestEngine engine = EngineState.replace(SafeInMemoryLog.guard(EngineFactory.create(port)));
    try {
      Field gatewayField = engine.getClass().getDeclaredField("gateway");
      gatewayField.setAccessible(true);
      Server bound = NettyServerBuilder.forAddress(new InetSocketAddress(address, port)).addService((BindableService) gatewayField.get(engine)).build();
      Field serverField = engine.getClass().getDeclaredField("grpcServer");
      serverField.setAccessible(true);
      serverField.set(engine, bound);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "cannot bind the in-memory engine's gRPC gateway to " + address.getHostAddress() + " (zeebe-process-test changed?): " + e, e);
    }
    return engine;
  }
}
