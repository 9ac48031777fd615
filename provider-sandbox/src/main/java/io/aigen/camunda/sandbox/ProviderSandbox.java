package io.aigen.camunda.sandbox;

import com.sun.net.httpserver.HttpServer;
import io.aigen.camunda.sandbox.callbacks.CallbackSender;
import io.aigen.camunda.sandbox.doasync.DoAsyncInvokeSimulation;
import io.aigen.camunda.sandbox.elevenlabs.ElevenLabsDubbingSimulation;
import io.aigen.camunda.sandbox.fal.FalQueueSimulation;
import io.aigen.camunda.sandbox.fal.FalWebhookSigner;
import io.aigen.camunda.sandbox.faults.FaultInjector;
import io.aigen.camunda.sandbox.faults.FaultPlan;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.luma.LumaSimulation;
import io.aigen.camunda.sandbox.media.MediaFiles;
import io.aigen.camunda.sandbox.oxen.OxenQueueSimulation;
import io.aigen.camunda.sandbox.replicate.ReplicateSimulation;
import io.aigen.camunda.sandbox.replicate.ReplicateWebhookSigner;
import io.aigen.camunda.sandbox.runway.RunwaySimulation;
import io.aigen.camunda.sandbox.stability.StabilityVideoSimulation;
import io.aigen.camunda.sandbox.unified.UnifiedTaskSimulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
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
  private final SandboxOptions options;
  private final CallbackSender callbacks;
  private final FalWebhookSigner falSigner;
  private final MediaFiles mediaFiles;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final FaultInjector faults;

  private ProviderSandbox(
      HttpServer server,
      ExecutorService executor,
      Journal journal,
      SandboxOptions options,
      CallbackSender callbacks,
      FalWebhookSigner falSigner,
      MediaFiles mediaFiles,
      FaultInjector faults) {
    this.faults = faults;
    this.server = server;
    this.executor = executor;
    this.port = server.getAddress().getPort();
    this.baseUrl = "http://127.0.0.1:" + port;
    this.journal = journal;
    this.options = options;
    this.callbacks = callbacks;
    this.falSigner = falSigner;
    this.mediaFiles = mediaFiles;
  }

  public static ProviderSandbox start(SandboxOptions requested) {
    Objects.requireNonNull(requested, "options");
    SandboxOptions options = requested.replicateWebhookSecret() != null
        ? requested
        : requested.withReplicateWebhookSecret(ReplicateWebhookSigner.newSecret());
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
    CallbackSender callbacks = new CallbackSender(clock);
    FalWebhookSigner falSigner = new FalWebhookSigner();
    // One line per provider; keep in step with PROVIDER_BASE_PATHS.
    List<ProviderSimulation> simulations =
        List.of(
            new FalQueueSimulation(baseUrl, options, clock, mediaFiles, callbacks, falSigner),
            falSigner,
            new ReplicateSimulation(baseUrl, options, clock, mediaFiles, callbacks),
            new RunwaySimulation(options, clock, mediaFiles),
            new LumaSimulation(options, clock, mediaFiles, callbacks),
            new DoAsyncInvokeSimulation(options, clock, mediaFiles),
            new ElevenLabsDubbingSimulation(options, clock),
            new StabilityVideoSimulation(options, clock),
            new OxenQueueSimulation(OxenQueueSimulation.Behaviour.CURRENT, options, clock, mediaFiles),
            new OxenQueueSimulation(OxenQueueSimulation.Behaviour.LEGACY, options, clock, mediaFiles),
            new UnifiedTaskSimulation(options, clock, mediaFiles, callbacks));
    Journal journal = new Journal();
    FaultInjector faults = new FaultInjector();
    server.createContext("/", new SandboxHttpHandler(simulations, mediaFiles, journal, clock, faults, ProviderSandbox::providerOfPath));
    // Virtual threads: status streams block their thread for the life of a job.
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    LOG.info("Provider sandbox listening on {}", baseUrl);
    return new ProviderSandbox(server, executor, journal, options, callbacks, falSigner, mediaFiles, faults);
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

  /** The provider whose base path {@code path} is under (the longest match), or {@code null}. */
  static String providerOfPath(String path) {
    String found = null;
    int length = -1;
    for (Map.Entry<String, String> entry : PROVIDER_BASE_PATHS.entrySet()) {
      String base = entry.getValue();
      if ((path.equals(base) || path.startsWith(base + "/")) && base.length() > length) {
        found = entry.getKey();
        length = base.length();
      }
    }
    return found;
  }

  /**
   * Injects faults into provider answers from now on, as {@code plan} says ({@link FaultPlan#NONE}
   * stops). Each answer a fault changed is marked in the {@link #journal()} ({@link
   * JournalEntry#fault()}).
   */
  public void injectFaults(FaultPlan plan) {
    faults.use(plan);
  }

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

  /**
   * Deletes every generated file served under {@code /files/} so far, as providers do after a while
   * (Replicate an hour after the prediction): their URLs answer 404 from now on.
   *
   * @return how many files were deleted
   */
  public int expireMedia() {
    return mediaFiles.expireAll();
  }

  /**
   * Every attempt to deliver a provider callback (fal and Replicate webhooks, Luma and unified-task
   * callbacks), oldest first.
   */
  public List<CallbackDelivery> callbacks() {
    return callbacks.deliveries();
  }

  /**
   * Where the public keys of fal's webhook signatures are served (no auth), the equivalent of
   * {@code https://rest.alpha.fal.ai/.well-known/jwks.json}.
   */
  public String falJwksUrl() {
    return baseUrl + FalWebhookSigner.MOUNT_PATH + FalWebhookSigner.JWKS_PATH;
  }

  /**
   * Signs fal webhooks with a new key from now on. The JWKS then lists the new key and the one
   * before it, so a verifier holding the old JWKS must fetch it again.
   */
  public void rotateFalSigningKey() {
    falSigner.rotate();
  }

  /**
   * fal's four webhook headers ({@code X-Fal-Webhook-Request-Id}, {@code -User-Id}, {@code
   * -Timestamp}, {@code -Signature}) for {@code body} about job {@code requestId}, signed at {@code
   * at} with the current key, exactly as the sandbox signs its own fal webhooks. For load
   * generators and tests that post fal webhooks themselves (no job needs to exist).
   */
  public Map<String, String> signFalWebhook(String requestId, byte[] body, Instant at) {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(body, "body");
    return falSigner.headers(requestId, body, at.getEpochSecond());
  }

  /**
   * The {@code whsec_…} secret Replicate webhooks are signed with: the option's, or the one
   * generated at start. Also served at {@code GET <replicate>/webhooks/default/secret}.
   */
  public String replicateWebhookSecret() {
    return options.replicateWebhookSecret();
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      callbacks.close();
      executor.shutdownNow();
      LOG.info("Provider sandbox on {} stopped", baseUrl);
    }
  }
}
