package io.aigen.camunda.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.connector.callback.CallbackUrls;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.MissingSecret;
import io.aigen.camunda.connector.job.CancelReport;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.SubmitAttempt;
import io.aigen.camunda.connector.job.EnginePace;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.job.WaitStep;
import io.aigen.camunda.connector.model.AwaitRequest;
import io.aigen.camunda.connector.model.CancelRequest;
import io.aigen.camunda.connector.model.GenerateRequest;
import io.aigen.camunda.connector.model.SecretReference;
import io.aigen.camunda.connector.model.SubmitRequest;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.SpecException;
import io.aigen.camunda.connector.spec.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The four operations, each a short, stateless step. Whoever runs them (the job worker or an SDK
 * runtime) keeps the job handle between steps.
 */
public final class GenerationOperations {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GenerationOperations.class);
  /** Lists are searched from this long before the first attempt: clocks differ. */
  private static final Duration LOOKUP_SLACK = Duration.ofMinutes(2);

  private final ProviderSpecs specs;
  private final GenerationClients clients;
  private final CallbackUrls callbackUrls;
  private final Clock clock;
  private final ObjectMapper json;
  private final EnginePace pace;

  /**
   * @param callbackUrls where submits tell providers to call back
   * @param pace stretches poll delays while the engine answers slowly ({@link EnginePace#STEADY}
   *     without an engine of our own)
   */
  public GenerationOperations(ProviderSpecs specs, GenerationClients clients, CallbackUrls callbackUrls, Clock clock, ObjectMapper json, EnginePace pace) {
    this.specs = specs;
    this.clients = clients;
    this.callbackUrls = callbackUrls;
    this.clock = clock;
    this.json = json;
    this.pace = pace;
  }

  public JobHandle submit(SubmitRequest request) {
    return submit(request, null);
  }

  /** @param attempt marks the submit and, after an earlier attempt, finds its job instead; {@code null}: neither */
  public JobHandle submit(SubmitRequest request, SubmitAttempt attempt) {
    return submitWith(client(specFor(request), request.apiKey()), request, attempt);
  }

  /**
   * How long a task may keep trying to submit through passing outages (5xx, 429, network): the max
   * duration it would wait for the job ({@code maxDuration}, else the provider's).
   */
  public Duration submitWindow(SubmitRequest request, String maxDuration) {
    return timing(specFor(request), null, maxDuration).maxDuration();
  }

  /** Whether the request's provider lets a later attempt find the job a submit created (its spec's {@code recover}). */
  public boolean findsEarlierSubmits(SubmitRequest request) {
    return specFor(request).recover() != null;
  }

  /**
   * Polls a submitted job once, or only says when to, before its first poll is due. The handle is
   * the one the submit task returned; nothing else is kept between steps.
   */
  public WaitStep.Outcome await(AwaitRequest request) {
    JobHandle handle = handleOf(request.job());
    GenerationClient client = client(specOf(handle), request.apiKey());
    return waitStep(client, request.pollInterval(), request.maxDuration(), request.keepsOutputs()).step(handle);
  }

  /**
   * Submits on the first step ({@code submitted} is {@code null}) and says when the first poll is
   * due: one interval after submission, or when the provider expects the job to be done. Every
   * later step polls the handle the first step returned.
   */
  public WaitStep.Outcome generate(GenerateRequest request, JobHandle submitted) {
    return generate(request, submitted, null);
  }

  /** @param attempt as for {@link #submit(SubmitRequest, SubmitAttempt)} */
  public WaitStep.Outcome generate(GenerateRequest request, JobHandle submitted, SubmitAttempt attempt) {
    if (submitted != null) {
      GenerationClient client = client(specOf(submitted), request.apiKey());
      return waitStep(client, request.pollInterval(), request.maxDuration(), request.keepsOutputs()).step(submitted);
    }
    SubmitRequest submit = request.submitRequest();
    GenerationClient client = client(specFor(submit), request.apiKey());
    WaitStep wait = waitStep(client, request.pollInterval(), request.maxDuration(), request.keepsOutputs());
    return wait.afterSubmit(submitWith(client, submit, attempt));
  }

  public CancelReport cancel(CancelRequest request) {
    JobHandle handle = handleOf(request.job());
    GenerationClient client = client(specOf(handle), request.apiKey());
    if (!client.spec().canCancel()) {
      throw GenerationFailure.invalidInput("job", "the provider '" + handle.provider() + "' offers no cancel request.");
    }
    return client.cancel(handle);
  }

  private JobHandle submitWith(GenerationClient client, SubmitRequest request, SubmitAttempt attempt) {
    JsonNode customSpec = request.provider() == ProviderId.CUSTOM ? customSpecJson(request) : null;
    String callbackUrl = null;
    if (Boolean.TRUE.equals(request.waitForCallback()) && request.callbackUrl() != null && !request.callbackUrl().isBlank()) {
      callbackUrl = request.callbackUrl().trim();
      if (!callbackUrl.startsWith("https://") && !callbackUrl.startsWith("http://")) {
        throw GenerationFailure.invalidInput("callbackUrl", "'" + callbackUrl + "' is not an http(s) URL, e.g. https://connectors.example.com/inbound/aigen-fal.");
      }
    } else if (Boolean.TRUE.equals(request.waitForCallback())) {
      if (!callbackUrls.configured()) {
        throw GenerationFailure.invalidInput(
            "waitForCallback", "the runtime has no public base URL for callbacks. Set aigen.public-base-url, or wait by polling.");
      }
      if (customSpec != null && !callbackUrls.signsCustomSpecs()) {
        throw GenerationFailure.invalidInput(
            "waitForCallback", "custom specs call back only when the runtime signs their callback URLs. Set aigen.callbacks.url-signing-key, or wait by polling.");
      }
      callbackUrl = customSpec != null ? callbackUrls.forCustom(customSpec) : callbackUrls.forPreset(client.spec().id());
    }
    JsonNode input = inputOf(request.input());
    GenerationClient.SubmitExtras extras =
        new GenerationClient.SubmitExtras(optionsOf(request.options(), client.spec()), callbackUrl, customSpec, attempt == null ? null : attempt.marker());
    if (attempt != null && attempt.earlier()) {
      Optional<JobHandle> found = client.findSubmitted(request.model(), input, extras, attempt.firstSentAt().minus(LOOKUP_SLACK));
      if (found.isPresent()) {
        LOG.info("Found {} job {} that an earlier attempt submitted (marker {}); not submitting again", found.get().provider(), found.get().jobId(), attempt.marker());
        return found.get();
      }
    }
    return client.submit(request.model(), input, extras);
  }

  private GenerationClient client(PollSpec spec, String apiKey) {
    requireApiKey(apiKey);
    return clients.client(spec, apiKey);
  }

  private PollSpec specFor(SubmitRequest request) {
    if (request.provider() == null) {
      throw GenerationFailure.invalidInput("provider", "it is empty. Choose a provider, e.g. 'fal'.");
    }
    return request.provider() == ProviderId.CUSTOM ? customSpec(customSpecJson(request)) : specs.preset(request.provider());
  }

  /** A handle names its provider; a custom one carries its own spec. */
  private PollSpec specOf(JobHandle handle) {
    ProviderId provider;
    try {
      provider = ProviderId.of(handle.provider());
    } catch (IllegalArgumentException e) {
      provider = handle.customSpec() != null ? ProviderId.CUSTOM : null;
      if (provider == null) {
        throw GenerationFailure.invalidInput("job", "its provider is not known here: " + e.getMessage());
      }
    }
    if (provider == ProviderId.CUSTOM || handle.customSpec() != null) {
      if (handle.customSpec() == null) {
        throw GenerationFailure.invalidInput("job", "it is a custom provider's handle without its spec. Map the whole handle the submit task returned.");
      }
      return customSpec(handle.customSpec());
    }
    return specs.preset(provider);
  }

  /** The custom spec as JSON, with the Submit URL field filled in as AsyncQueue's targetUrl. */
  private JsonNode customSpecJson(SubmitRequest request) {
    Object raw = request.customSpec();
    if (raw == null || (raw instanceof String text && text.isBlank())) {
      throw GenerationFailure.invalidInput("customSpec", "it is empty. Paste AsyncQueue's pollConfig JSON or a full spec; see docs/poll-spec.md.");
    }
    JsonNode node = jsonOf("customSpec", raw);
    if (!node.isObject()) {
      throw GenerationFailure.invalidInput("customSpec", "it must be a JSON object such as {\"urlTemplate\": …, \"statusPath\": \"status\", …}.");
    }
    ObjectNode spec = node.has("urlTemplate") ? json.createObjectNode().set("pollConfig", node) : ((ObjectNode) node).deepCopy();
    if (request.submitUrl() != null && !request.submitUrl().isBlank()) {
      spec.put("targetUrl", request.submitUrl().trim());
    }
    if (!spec.has("id")) {
      spec.put("id", ProviderId.CUSTOM.id());
    }
    customSpec(spec);
    return spec;
  }

  private PollSpec customSpec(JsonNode spec) {
    try {
      return specs.custom(spec);
    } catch (SpecException e) {
      throw GenerationFailure.invalidInput("customSpec", e.getMessage());
    }
  }

  /**
   * The task's options, each checked against the spec's declarations: an option the spec does not
   * declare is refused, naming it and the declared ones, so a typo fails before anything is sent.
   */
  private JsonNode optionsOf(Object options, PollSpec spec) {
    if (options == null || (options instanceof String text && text.isBlank())) {
      return null;
    }
    JsonNode node = jsonOf("options", options);
    if (!node.isObject()) {
      throw GenerationFailure.invalidInput("options", "it must be a FEEL context, e.g. ={endpoint: \"text_to_image\"}.");
    }
    if (spec.options() == null) {
      return node;
    }
    for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
      String name = field.getKey();
      var declared = spec.option(name);
      if (declared.isEmpty()) {
        String known = spec.options().isEmpty()
            ? spec.label() + " takes no options."
            : spec.label() + " takes " + String.join(", ", spec.options().stream().map(o -> o.name()).toList()) + ".";
        throw GenerationFailure.invalidInput("options", "'" + name + "' is not an option of " + spec.label() + ". " + known);
      }
      String problem = declared.get().problemWith(field.getValue());
      if (problem != null) {
        throw GenerationFailure.invalidInput("options." + name, "'" + field.getValue() + "' " + problem + ".");
      }
    }
    return node;
  }

  private static void requireApiKey(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw GenerationFailure.invalidInput("apiKey", "it is empty. Reference a secret, e.g. {{secrets.FAL_KEY}}.");
    }
    Optional<String> unresolved = SecretReference.unresolvedIn(apiKey);
    if (unresolved.isPresent()) {
      throw new MissingSecret("apiKey", unresolved.get());
    }
  }

  private JsonNode inputOf(Object input) {
    if (input == null) {
      throw GenerationFailure.invalidInput("input", "it is empty. Give the model's input as a FEEL context, e.g. ={prompt: \"a cat\"}.");
    }
    JsonNode node = jsonOf("input", input);
    if (node == null || !node.isObject()) {
      throw GenerationFailure.invalidInput("input", "it must be an object (FEEL context or JSON object), e.g. ={prompt: \"a cat\"}.");
    }
    return node;
  }

  /** A FEEL context as it arrives, or JSON text. */
  private JsonNode jsonOf(String field, Object value) {
    if (value instanceof String text) {
      try {
        return json.readTree(text);
      } catch (JsonProcessingException e) {
        throw GenerationFailure.invalidInput(
            field, "it is not valid JSON (" + Json.problem(e) + "). Give a FEEL context, e.g. ={prompt: \"a cat\"}, or a JSON object.");
      }
    }
    return json.valueToTree(value);
  }

  private JobHandle handleOf(Object job) {
    if (job == null) {
      throw GenerationFailure.invalidInput("job", "it is empty. Map the handle that a submit task returned, e.g. =aiJob.");
    }
    JobHandle handle;
    try {
      handle = job instanceof String text ? json.readValue(text, JobHandle.class) : json.convertValue(job, JobHandle.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw GenerationFailure.invalidInput(
          "job", "it is not a job handle from a submit task (" + (e instanceof JsonProcessingException j ? Json.problem(j) : "not an object") + "). Map the whole handle, e.g. =aiJob.");
    }
    if (handle.provider() == null || handle.jobId() == null || handle.parts().isEmpty() || handle.submittedAt() == null) {
      throw GenerationFailure.invalidInput("job", "it lacks provider, jobId, parts or submittedAt. Map the whole handle a submit task returned, e.g. =aiJob.");
    }
    return handle;
  }

  private WaitStep waitStep(GenerationClient client, String pollInterval, String maxDuration, boolean keepOutputs) {
    return new WaitStep(client, timing(client.spec(), pollInterval, maxDuration), pace, clock, keepOutputs);
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
