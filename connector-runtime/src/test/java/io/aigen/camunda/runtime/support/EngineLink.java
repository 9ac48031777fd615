package io.aigen.camunda.runtime.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between the runtime and the engine's gRPC port that a test can cut: while cut, every
 * open connection is closed and new ones are closed as soon as they are accepted, so the runtime's
 * commands fail with UNAVAILABLE, as when the engine is down or restarting. Restored, new
 * connections are forwarded again.
 */
public final class EngineLink implements AutoCloseable {

  private final ServerSocket server;
  private final int enginePort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean closed;

  public EngineLink(int enginePort) {
    this.enginePort = enginePort;
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread.ofPlatform().daemon().name("engine-link-accept").start(this::accept);
  }

  /** The port the runtime connects to instead of the engine's. */
  public int port() {
    return server.getLocalPort();
  }

  /** The engine becomes unreachable: open connections are closed, new ones refused. */
  public void cut() {
    cut = true;
    open.forEach(EngineLink::closeQuietly);
    open.clear();
  }

  public void restore() {
    cut = false;
  }

  @Override
  public void close() {
    closed = true;
    cut();
    closeQuietly(server);
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket engine = new Socket("127.0.0.1", enginePort);
        open.add(client);
        open.add(engine);
        Thread.ofVirtual().start(() -> pipe(client, engine));
        Thread.ofVirtual().start(() -> pipe(engine, client));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed: close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
