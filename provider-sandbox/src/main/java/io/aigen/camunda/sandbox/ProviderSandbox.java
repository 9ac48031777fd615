package io.aigen.camunda.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local HTTP server that speaks AI media providers' async protocols, for tests, demos and
 * benchmarks. Listens on 127.0.0.1 only. Providers are mounted under their own prefix (fal's queue
 * under {@code /fal}); generated media under {@code /files}.
 *
 * <pre>{@code
 * try (ProviderSandbox sandbox = ProviderSandbox.start(SandboxOptions.defaults())) {
 *   String submitUrl = sandbox.falBaseUrl() + "/fal-ai/flux/dev";
 * }
 * }</pre>
 */
public final class ProviderSandbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderSandbox.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final String baseUrl;
  private final int port;
  private final Journal journal;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ProviderSandbox(HttpServer server, ExecutorService executor, Journal journal) {
    this.server = server;
    this.executor = executor;
    this.port = server.getAddress().getPort();
    this.baseUrl = "http://127.0.0.1:" + port;
    this.journal = journal;
  }

  public static ProviderSandbox start(SandboxOptions options) {
    Objects.requireNonNull(options, "options");
    HttpServer server;
    try {
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      server = HttpServer.create(new InetSocketAddress(loopback, options.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind the provider sandbox to 127.0.0.1:" + options.port(), e);
    }
    String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    JobClock clock = JobClock.system();
    MediaFiles mediaFiles = new MediaFiles(baseUrl);
    // One line per provider; keep in step with PROVIDER_BASE_PATHS.
    List<ProviderSimulation> simulations =
        List.of(
            new FalQueueSimulation(baseUrl, options, clock, mediaFiles),
            new ReplicateSimulation(baseUrl, options, clock, mediaFiles),
            new RunwaySimulation(options, clock, mediaFiles),
            new LumaSimulation(options, clock, mediaFiles),
            new DoAsyncInvokeSimulation(options, clock, mediaFiles),
            new ElevenLabsDubbingSimulation(options, clock),
            new StabilityVideoSimulation(options, clock),
            new OxenQueueSimulation(OxenQueueSimulation.Behaviour.CURRENT, options, clock, mediaFiles),
            new OxenQueueSimulation(OxenQueueSimulation.Behaviour.LEGACY, options, clock, mediaFiles),
            new UnifiedTaskSimulation(options, clock, mediaFiles));
    Journal journal = new Journal();
    server.createContext("/", new SandboxHttpHandler(simulations, mediaFiles, journal, clock));
    // Virtual threads: status streams block their thread for the life of a job.
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    LOG.info("Provider sandbox listening on {}", baseUrl);
    return new ProviderSandbox(server, executor, journal);
  }

  /**
   * Where each provider's base URL (the preset's, e.g. {@code https://api.replicate.com/v1}) lives in
   * the sandbox, by the connector's provider id.
   */
  private static final Map<String, String> PROVIDER_BASE_PATHS =
      Map.of(
          "fal", FalQueueSimulation.MOUNT_PATH,
          "do-async-invoke", "/do",
          "replicate", "/replicate/v1",
          "runway", "/runway",
          "luma", "/luma/dream-machine/v1",
          "elevenlabs-dubbing", "/elevenlabs",
          "stability-video", "/stability",
          "oxen", "/oxen/api",
          "oxen-legacy", "/oxen-legacy/api",
          "unified-task", "/unified");

  /** The provider ids the sandbox simulates, as the connector names them. */
  public static Set<String> providerIds() {
    return new TreeSet<>(PROVIDER_BASE_PATHS.keySet());
  }

  /**
   * The sandbox's stand-in for a provider's base URL, e.g. {@code providerBaseUrl("replicate")} =
   * {@code baseUrl() + "/replicate/v1"} for {@code https://api.replicate.com/v1}.
   */
  public String providerBaseUrl(String providerId) {
    String path = PROVIDER_BASE_PATHS.get(providerId);
    if (path == null) {
      throw new IllegalArgumentException("The sandbox does not simulate '" + providerId + "'; it simulates " + providerIds());
    }
    return baseUrl + path;
  }

  /** {@code http://127.0.0.1:<port>} */
  public String baseUrl() {
    return baseUrl;
  }

  /** fal's queue host equivalent of {@code https://queue.fal.run}: {@code baseUrl() + "/fal"}. */
  public String falBaseUrl() {
    return baseUrl + FalQueueSimulation.MOUNT_PATH;
  }

  public Journal journal() {
    return journal;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
      LOG.info("Provider sandbox on {} stopped", baseUrl);
    }
  }
}
