package io.aigen.camunda.runtime.web;

import io.aigen.camunda.connector.activity.Generation;
import io.aigen.camunda.connector.activity.GenerationActivity;
import io.aigen.camunda.connector.config.AiGenerationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import java.time.Instant;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The page of generations this runtime has seen: {@code GET /} and {@code /generations} (plain
 * HTML, CSS and JS from the jar), its data as JSON ({@code /generations/feed}) and its live updates
 * as server-sent events ({@code /generations/events}). It reads {@link GenerationActivity}, a
 * bounded in-memory view; the engine keeps the state of record.
 */
@RestController
public class GenerationsController {

  /** What the page shows: the view's limit, the generations newest first, and the server's clock. */
  public record Feed(int capacity, Instant serverTime, List<Generation> generations) {}

  private static final Resource PAGE = new ClassPathResource("static/generations.html");

  private static final Logger LOG = LoggerFactory.getLogger(GenerationsController.class);

  private final GenerationActivity activity;
  private final GenerationEvents events;
  private final String publicBaseUrl;

  public GenerationsController(GenerationActivity activity, GenerationEvents events, AiGenerationProperties properties) {
    this.activity = activity;
    this.events = events;
    this.publicBaseUrl = properties.publicBaseUrl();
  }

  @EventListener
  public void announce(WebServerInitializedEvent started) {
    String base = publicBaseUrl != null && !publicBaseUrl.isBlank() ? publicBaseUrl.replaceAll("/+$", "") : "http://127.0.0.1:" + started.getWebServer().getPort();
    LOG.info("The generations of this runtime: {}/", base);
  }

  @GetMapping({"/", "/generations"})
  public ResponseEntity<Resource> page() {
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache()).body(PAGE);
  }

  @GetMapping(path = "/generations/feed", produces = MediaType.APPLICATION_JSON_VALUE)
  public Feed feed() {
    return new Feed(activity.capacity(), Instant.now(), activity.newestFirst());
  }

  /** A {@code snapshot} event with the whole feed, then {@code generations} events with what changed. */
  @GetMapping(path = "/generations/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter events() {
    return events.subscribe(this::feed);
  }
}
