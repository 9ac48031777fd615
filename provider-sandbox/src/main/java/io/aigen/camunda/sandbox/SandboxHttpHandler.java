package io.aigen.camunda.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.aigen.camunda.sandbox.faults.Fault;
import io.aigen.camunda.sandbox.faults.FaultInjector;
import io.aigen.camunda.sandbox.faults.FaultKind;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes every request to a simulation or to the media files, and journals it. */
final class SandboxHttpHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxHttpHandler.class);

  private final List<ProviderSimulation> simulations;
  private final MediaFiles mediaFiles;
  private final Journal journal;
  private final JobClock clock;
  private final FaultInjector faults;
  private final Function<String, String> providerOfPath;

  /** @param providerOfPath the provider id a request path belongs to, {@code null} for none */
  SandboxHttpHandler(
      List<ProviderSimulation> simulations, MediaFiles mediaFiles, Journal journal, JobClock clock, FaultInjector faults,
      Function<String, String> providerOfPath) {
    this.simulations = List.copyOf(simulations);
    this.mediaFiles = mediaFiles;
    this.journal = journal;
    this.clock = clock;
    this.faults = faults;
    this.providerOfPath = providerOfPath;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      URI uri = exchange.getRequestURI();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String rawQuery = Objects.requireNonNullElse(uri.getRawQuery(), "");
      byte[] body = exchange.getRequestBody().readAllBytes();
      SandboxRequest request = new SandboxRequest(method, uri.getPath(), rawQuery, exchange.getRequestHeaders(), body);
      Fault fault = faults.draw(providerOfPath.apply(uri.getPath()), request, uri.getPath());
      SandboxResponse response;
      int providerStatus;
      if (fault != null && !fault.kind().providerHandled()) {
        response = fault.instead(FaultInjector.isSubmit(method, uri.getPath()));
        providerStatus = 0;
      } else {
        response = answer(request);
        providerStatus = response.status();
        SandboxResponse spoiled = fault == null ? null : fault.spoil(response);
        if (spoiled == null) {
          fault = null;
        } else {
          response = spoiled;
        }
      }
      // Journal before sending, so a caller that got the answer always finds it in the journal.
      journal.record(
          new JournalEntry(
              clock.now(), method, uri.getRawPath(), rawQuery, response == null ? 0 : response.status(),
              Journal.bodyForJournal(body), credentialHeaders(exchange), fault == null ? null : fault.kind().name(), providerStatus));
      LOG.debug("{} {} -> {}{}", method, uri.getRawPath(), response == null ? "connection closed" : response.status(), fault == null ? "" : " (fault " + fault.kind() + ")");
      if (response == null) {
        return; // closing the exchange before any answer closes the connection
      }
      if (fault != null && fault.kind() == FaultKind.READ_TIMEOUT) {
        Thread.sleep(fault.plan().slowAnswer());
      }
      send(exchange, response);
    } catch (IOException e) {
      LOG.debug("Client went away: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  private static List<String> credentialHeaders(HttpExchange exchange) {
    return exchange.getRequestHeaders().keySet().stream()
        .map(name -> name.toLowerCase(Locale.ROOT))
        .filter(JournalEntry.CREDENTIAL_HEADERS::contains)
        .sorted()
        .toList();
  }

  private SandboxResponse answer(SandboxRequest request) {
    try {
      if (request.path().startsWith(MediaFiles.MOUNT_PATH + "/")) {
        return mediaFiles.serve(request);
      }
      for (ProviderSimulation simulation : simulations) {
        String mount = simulation.mountPath();
        if (request.path().equals(mount) || request.path().startsWith(mount + "/")) {
          return simulation.handle(
              new SandboxRequest(
                  request.method(), request.path().substring(mount.length()), request.rawQuery(),
                  request.headers(), request.body()));
        }
      }
      return SandboxResponse.json(404, Json.detail("Not Found"));
    } catch (RuntimeException e) {
      LOG.warn("Sandbox failed on {} {}", request.method(), request.path(), e);
      return SandboxResponse.json(500, Json.detail("Sandbox internal error: " + e));
    }
  }

  private static void send(HttpExchange exchange, SandboxResponse response) throws IOException {
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      exchange.getResponseHeaders().set(header.getKey(), header.getValue());
    }
    if (response.stream() != null) {
      exchange.sendResponseHeaders(response.status(), 0); // 0 = chunked, length unknown
      try (OutputStream out = exchange.getResponseBody()) {
        response.stream().writeTo(out);
      }
      return;
    }
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
