package io.aigen.camunda.runtime.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's own HTTP
 * client and WebSocket: one page, navigate, evaluate JavaScript, take screenshots. No Selenium, no
 * driver binary. Started by the test and stopped (its process, by handle) when closed.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path profile;
  private final WebSocket page;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path profile, URI pageSocket) {
    this.process = process;
    this.profile = profile;
    this.page = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(pageSocket, new Listener()).join();
  }

  /**
   * The binary: system property {@code chromium.binary}, else {@code chromium} on the path. Its
   * absence is a failure that says how to install it, never a skipped test.
   */
  public static Path binary() {
    String configured = System.getProperty("chromium.binary");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      for (String name : new String[] {"chromium", "chromium-browser"}) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "The browser test needs Debian's chromium: apt-get install -y chromium (.ci/run installs it), or point -Dchromium.binary=… at a Chromium.");
  }

  /** Starts a headless browser with one blank page of {@code width} x {@code height}. */
  public static HeadlessChromium start(int width, int height) {
    Path profile;
    try {
      profile = Files.createTempDirectory("aigen-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessBuilder builder = new ProcessBuilder(
        binary().toString(),
        "--headless",
        "--no-sandbox", // tests run as root in CI containers
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--mute-audio",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height,
        "about:blank");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + builder.command().get(0), e);
    }
    try {
      URI browser = devToolsUrl(process);
      return new HeadlessChromium(process, profile, pageSocket(browser));
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Reads the DevTools address from stderr, then keeps draining it so the browser never blocks. */
  private static URI devToolsUrl(Process process) {
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<URI> found = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread.ofPlatform().daemon().name("chromium-stderr").start(() -> {
      try {
        for (String line; (line = err.readLine()) != null; ) {
          Matcher matcher = DEVTOOLS.matcher(line);
          if (matcher.find()) {
            found.complete(URI.create(matcher.group(1)));
          } else if (!found.isDone() && seen.length() < 4000) {
            seen.append(line).append('\n');
          }
        }
      } catch (IOException ignored) {
        // the browser is gone
      }
      found.completeExceptionally(new IllegalStateException("chromium ended before it listened for DevTools:\n" + seen));
    });
    try {
      return found.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("chromium did not start its DevTools endpoint: " + e.getMessage() + "\n" + seen, e);
    }
  }

  /** The first page target's WebSocket, from {@code /json/list} next to the browser's endpoint. */
  private static URI pageSocket(URI browser) {
    URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
    try {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString());
      for (JsonNode target : JSON.readTree(answer.body())) {
        if ("page".equals(target.path("type").asText())) {
          return URI.create(target.path("webSocketDebuggerUrl").asText());
        }
      }
      throw new IllegalStateException("chromium lists no page: " + answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a DevTools command and waits for its result. */
  public JsonNode command(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    page.sendText(message.toString(), true).join();
    try {
      JsonNode reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new IllegalStateException(method + " failed: " + reply.get("error"));
      }
      return reply.path("result");
    } catch (Exception e) {
      throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(method + " got no answer: " + e, e);
    } finally {
      pending.remove(id);
    }
  }

  /** Opens {@code url} and waits for its load event. */
  public void navigate(String url) {
    command("Page.enable", Map.of());
    command("Page.navigate", Map.of("url", url));
    waitFor("document.readyState === 'complete'", Duration.ofSeconds(20), "the page to load");
  }

  /** Evaluates {@code expression} in the page (promises awaited) and returns its JSON value. */
  public JsonNode evaluate(String expression) {
    JsonNode result = command("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("'" + expression + "' threw: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /**
   * Evaluates {@code expression} every 200 ms until it is {@code true}.
   *
   * @throws AssertionError naming {@code what} when it is not within {@code limit}
   */
  public void waitFor(String expression, Duration limit, String what) {
    waitFor(expression, limit, what, JsonNode::asBoolean);
  }

  public JsonNode waitFor(String expression, Duration limit, String what, Predicate<JsonNode> done) {
    Instant end = Instant.now().plus(limit);
    JsonNode last = null;
    while (Instant.now().isBefore(end)) {
      last = evaluate(expression);
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("waited " + limit + " for " + what + "; last value of " + expression + ": " + last);
  }

  /** Saves a PNG of the page as far as it is laid out, up to {@code maxHeight} pixels. */
  public Path screenshot(Path file, int maxHeight) {
    double height = Math.min(maxHeight, evaluate("document.documentElement.scrollHeight").asDouble());
    double width = evaluate("document.documentElement.clientWidth").asDouble();
    JsonNode shot = command("Page.captureScreenshot", Map.of(
        "format", "png", "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    page.abort();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  /** Collects each message (a screenshot arrives in many frames) and hands results to their command. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        try {
          JsonNode reply = JSON.readTree(message.toString());
          if (reply.has("id")) {
            CompletableFuture<JsonNode> waiting = pending.get(reply.get("id").asInt());
            if (waiting != null) {
              waiting.complete(reply);
            }
          }
        } catch (IOException ignored) {
          // not JSON: nothing waits for it
        }
        message.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
