package io.aigen.camunda.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.PollDelay;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.model.CancelRequest;
import io.aigen.camunda.connector.model.GenerateRequest;
import io.aigen.camunda.connector.model.SubmitRequest;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSettings;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four operations, each a short, stateless step. Whoever runs them (the job worker or an SDK
 * runtime) keeps the job handle between steps.
 */
public final class GenerationOperations {

  private static final Pattern UNRESOLVED_SECRET = Pattern.compile("\\{\\{\\s*secrets\\.([^}\\s]+)\\s*}}");

  private final ProviderHttp http;
  private final ProviderSettings settings;
  private final Clock clock;
  private final ObjectMapper json;

  public GenerationOperations(ProviderHttp http, ProviderSettings settings, Clock clock, ObjectMapper json) {
    this.http = http;
    this.settings = settings;
    this.clock = clock;
    this.json = json;
  }

  public JobHandle submit(SubmitRequest request) {
    ProviderId provider = requireProvider(request.provider());
    return client(provider, request.apiKey()).submit(request.model(), inputOf(request.input()));
  }

  /**
   * @param state the handle as the previous step left it, or {@code null} on the first step
   */
  public WaitStep.Outcome await(AwaitRequest request, JobHandle state) {
    JobHandle handle = state != null ? state : handleOf(request.job());
    ProviderId provider = providerOf(handle);
    GenerationClient client = client(provider, request.apiKey());
    return new WaitStep(client, timing(client.spec(), request.pollInterval(), request.maxDuration()), clock).step(handle);
  }

  /**
   * Submits on the first step (no state yet); every later step polls. The first poll is due one
   * interval after submission.
   */
  public WaitStep.Outcome generate(GenerateRequest request, JobHandle state) {
    ProviderId provider = requireProvider(request.provider());
    GenerationClient client = client(provider, request.apiKey());
    Timing timing = timing(client.spec(), request.pollInterval(), request.maxDuration());
    if (state == null) {
      JobHandle submitted = client.submit(request.model(), inputOf(request.input()));
      return new WaitStep.Pending(submitted, PollDelay.next(timing, 0, null), "SUBMITTED");
    }
    return new WaitStep(client, timing, clock).step(state);
  }

  public CancelReport cancel(CancelRequest request) {
    JobHandle handle = handleOf(request.job());
    ProviderId provider = providerOf(handle);
    if (!provider.spec().canCancel()) {
      throw GenerationFailure.invalidInput("job", "the provider '" + provider.id() + "' offers no cancel request.");
    }
    return client(provider, request.apiKey()).cancel(handle);
  }

  private GenerationClient client(ProviderId provider, String apiKey) {
    requireApiKey(apiKey);
    PollSpec spec = settings.resolve(provider.spec());
    return new GenerationClient(spec, new ProviderEndpoint(http, spec.baseUrl(), spec.auth(), apiKey, spec.headers()), clock);
  }

  private static ProviderId requireProvider(ProviderId provider) {
    if (provider == null) {
      throw GenerationFailure.invalidInput("provider", "it is empty. Choose a provider, e.g. 'fal'.");
    }
    return provider;
  }

  private static void requireApiKey(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw GenerationFailure.invalidInput("apiKey", "it is empty. Reference a secret, e.g. {{secrets.FAL_KEY}}.");
    }
    Matcher unresolved = UNRESOLVED_SECRET.matcher(apiKey);
    if (unresolved.find()) {
      throw GenerationFailure.invalidInput(
          "apiKey", "the secret '" + unresolved.group(1) + "' is not defined in the connector runtime. Define it (e.g. as environment variable " + unresolved.group(1) + ") and retry.");
    }
  }

  private ProviderId providerOf(JobHandle handle) {
    try {
      return ProviderId.of(handle.provider());
    } catch (IllegalArgumentException e) {
      throw GenerationFailure.invalidInput("job", "its provider is not known here: " + e.getMessage());
    }
  }

  private JsonNode inputOf(Object input) {
    if (input == null) {
      throw GenerationFailure.invalidInput("input", "it is empty. Give the model's input as a FEEL context, e.g. ={prompt: \"a cat\"}.");
    }
    JsonNode node;
    if (input instanceof String text) {
      try {
        node = json.readTree(text);
      } catch (JsonProcessingException e) {
        throw GenerationFailure.invalidInput(
            "input", "it is not valid JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                + "). Give a FEEL context, e.g. ={prompt: \"a cat\"}, or a JSON object.");
      }
    } else {
      node = json.valueToTree(input);
    }
    if (node == null || !node.isObject()) {
      throw GenerationFailure.invalidInput("input", "it must be an object (FEEL context or JSON object), e.g. ={prompt: \"a cat\"}.");
    }
    return node;
  }

  private JobHandle handleOf(Object job) {
    if (job == null) {
      throw GenerationFailure.invalidInput("job", "it is empty. Map the handle that a submit task returned, e.g. =aiJob.");
    }
    JobHandle handle;
    try {
      handle = job instanceof String text ? json.readValue(text, JobHandle.class) : json.convertValue(job, JobHandle.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw GenerationFailure.invalidInput("job", "it is not a job handle from a submit task: " + e.getMessage());
    }
    if (handle.provider() == null || handle.jobId() == null || handle.statusUrl() == null || handle.submittedAt() == null) {
      throw GenerationFailure.invalidInput("job", "it lacks provider, jobId, statusUrl or submittedAt. Map the whole handle a submit task returned, e.g. =aiJob.");
    }
    return handle;
  }

  private static Timing timing(PollSpec spec, String pollInterval, String maxDuration) {
    Timing timing = spec.timing();
    if (pollInterval != null && !pollInterval.isBlank()) {
      timing = timing.withInterval(duration("pollInterval", pollInterval));
    }
    if (maxDuration != null && !maxDuration.isBlank()) {
      timing = timing.withMaxDuration(duration("maxDuration", maxDuration));
    }
    return timing;
  }

  private static Duration duration(String field, String value) {
    try {
      Duration duration = Duration.parse(value.trim());
      if (duration.isNegative() || duration.isZero()) {
        throw GenerationFailure.invalidInput(field, "'" + value + "' must be positive, e.g. PT5S.");
      }
      return duration;
    } catch (DateTimeParseException e) {
      throw GenerationFailure.invalidInput(field, "'" + value + "' is not an ISO-8601 duration. Write e.g. PT5S (5 seconds) or PT10M (10 minutes).");
    }
  }
}
