package io.aigen.camunda.connector.job;

import io.aigen.camunda.connector.http.MultipartForm;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.metrics.GenerationMetrics;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.store.ResultStore;
import java.time.Clock;

/** Makes a {@link GenerationClient} for a spec and an API key, all on the runtime's one HTTP client. */
public final class GenerationClients {

  private final ProviderHttp http;
  private final MultipartForm forms;
  private final ResultStore results;
  private final Clock clock;
  private final GenerationMetrics metrics;

  public GenerationClients(ProviderHttp http, ResultStore results, Clock clock) {
    this(http, results, clock, GenerationMetrics.NONE);
  }

  public GenerationClients(ProviderHttp http, ResultStore results, Clock clock, GenerationMetrics metrics) {
    this.metrics = metrics;
    this.http = http;
    this.forms = new MultipartForm(http);
    this.results = results;
    this.clock = clock;
  }

  /** @param apiKey {@code null} when no request needs it (reading a signed callback) */
  public GenerationClient client(PollSpec spec, String apiKey) {
    return new GenerationClient(spec, new ProviderEndpoint(http, spec.baseUrl(), spec.auth(), apiKey, spec.headers(), spec.id(), metrics), http, forms, results, clock);
  }
}
