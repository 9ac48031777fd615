package io.aigen.camunda.connector.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.provider.ProviderCatalog;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Timing;
import java.time.Clock;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/**
 * Builds a fal client against a MockWebServer, and fal's answers as docs/providers.md §1 shows them. The
 * other providers use {@link ProviderFixture}.
 */
public final class FalFixture {

  public static final String KEY = "test-key";
  public static final String REQUEST_ID = "80e732af-660e-45cd-bd63-580e4f2a94cc";
  /** Status/result/cancel live under owner/app only: fal drops the model's sub-path. */
  public static final String APP_PATH = "/fal-ai/flux/requests/" + REQUEST_ID;

  private static final ProviderHttp HTTP = ProviderHttp.withDefaults();

  private FalFixture() {}

  /** A started server that answers 404 at once when no answer is queued, instead of hanging. */
  public static MockWebServer server() {
    return ProviderFixture.server();
  }

  public static PollSpec spec(MockWebServer server) {
    return ProviderCatalog.spec(ProviderId.FAL).withBaseUrl(server.url("/").toString());
  }

  /** fal's timing without jitter, so delays can be asserted exactly. */
  public static PollSpec specWithoutJitter(MockWebServer server) {
    Timing fal = ProviderCatalog.spec(ProviderId.FAL).timing();
    return spec(server).withTiming(new Timing(fal.interval(), fal.backoff(), fal.maxInterval(), 0.0, fal.maxDuration()));
  }

  public static GenerationClient client(PollSpec spec, Clock clock) {
    return new GenerationClients(HTTP, LocalResultStore.inTempDirectory(), clock).client(spec, KEY);
  }

  public static GenerationClient client(MockWebServer server, Clock clock) {
    return client(spec(server), clock);
  }

  /** The submit answer with status/result/cancel URLs on {@code server}, under owner/app only. */
  public static String submitAnswer(MockWebServer server) {
    return submitAnswer(
        server.url(APP_PATH + "/status").toString(), server.url(APP_PATH).toString(), server.url(APP_PATH + "/cancel").toString());
  }

  public static String submitAnswer(String statusUrl, String responseUrl, String cancelUrl) {
    return """
        {"status":"IN_QUEUE","request_id":"%s","response_url":"%s","status_url":"%s","cancel_url":"%s","queue_position":0}"""
        .formatted(REQUEST_ID, responseUrl, statusUrl, cancelUrl);
  }

  public static MockResponse json(int code, String body) {
    return ProviderFixture.json(code, body);
  }

  public static JsonNode parse(String json) {
    return ProviderFixture.parse(json);
  }

  public static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
