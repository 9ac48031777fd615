package io.aigen.camunda.connector.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.error.GenerationFailure;
import io.aigen.camunda.connector.error.ProviderRejected;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.job.GenerationClient;
import io.aigen.camunda.connector.job.GenerationClients;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.JobStatus;
import io.aigen.camunda.connector.provider.ProviderId;
import io.aigen.camunda.connector.provider.ProviderSpecs;
import io.aigen.camunda.connector.spec.Callback;
import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.spec.JsonPaths;
import io.aigen.camunda.connector.spec.Phase;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.SpecException;
import io.aigen.camunda.connector.spec.Template;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a provider's callback into what the waiting process needs: it checks the signature (or,
 * for unsigned providers, re-reads the job's status from the provider), reads the job id and its
 * end, and normalises the result the way {@code await} does. It keeps no state: what it needs is
 * in the callback URL, the preset and the runtime's secrets.
 */
public final class CallbackReceiver {

  public static final int MAX_BODY_BYTES = 1024 * 1024;

  /**
   * A job id that an unsigned callback may name: one URL path segment, since it goes into the
   * status URL that is read with the runtime's API key.
   */
  private static final Pattern REFETCH_JOB_ID = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~:-]*");

  /** A callback URL query value that may go into a URL path: segments of plain characters. */
  private static final Pattern QUERY_VALUE = Pattern.compile("[A-Za-z0-9_~.-]+(/[A-Za-z0-9_~.-]+)*");

  private final ProviderSpecs specs;
  private final GenerationClients clients;
  private final CallbackVerifiers verifiers;
  private final CallbackUrls urls;
  private final ObjectMapper json;

  /**
   * @param http fetches signing keys (JWKS)
   * @param secrets looks up a runtime secret by name ({@code null} when undefined)
   * @param urls opens the signed specs of custom callback URLs
   */
  public CallbackReceiver(
      ProviderSpecs specs, GenerationClients clients, ProviderHttp http, Function<String, String> secrets, CallbackUrls urls, Clock clock, ObjectMapper json) {
    this.specs = specs;
    this.clients = clients;
    this.verifiers = new CallbackVerifiers(http, secrets, clock);
    this.urls = urls;
    this.json = json;
  }

  /**
   * @param provider the provider segment of the callback URL
   * @param encodedCustomSpec the {@code spec} query parameter for custom providers, else {@code null}
   */
  public CallbackOutcome receive(String provider, String encodedCustomSpec, CallbackRequest request) throws CallbackRejected {
    if (request.body().length > MAX_BODY_BYTES) {
      throw new CallbackRejected(413, "the body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    ProviderId id = providerOf(provider);
    PollSpec spec = specOf(id, encodedCustomSpec);
    Callback callback = spec.callback();
    // custom is what the URL says, not the spec's own id (a custom spec may be called anything)
    CallbackVerifiers.Trust trust = verifiers.check(spec.id(), callback.verify(), request, id == ProviderId.CUSTOM);
    JsonNode body = parse(request.body());
    String jobId = JsonPaths.text(body, callback.jobIdPath());
    if (jobId == null || jobId.isBlank()) {
      throw CallbackRejected.badRequest("the callback has no job id at '" + callback.jobIdPath() + "'");
    }
    return switch (trust) {
      case CallbackVerifiers.Signed signed -> announced(spec, callback, jobId, body, request.query());
      case CallbackVerifiers.Hint hint -> {
        if (!REFETCH_JOB_ID.matcher(jobId).matches() || jobId.contains("..")) {
          throw CallbackRejected.badRequest("the callback's job id is not a plain id");
        }
        // only an end is worth a read at the provider; the read, not the claim, decides how it ended
        String claimed = callback.statusPath() == null ? null : JsonPaths.text(body, callback.statusPath());
        if (callback.statusPath() != null && callback.phaseOf(claimed) == null) {
          yield new CallbackOutcome.Ignored(spec.id(), jobId, claimed);
        }
        yield refetched(spec, jobId, hint.apiKeySecret());
      }
    };
  }

  /** A signed callback says how the job ended. */
  private CallbackOutcome announced(PollSpec spec, Callback callback, String jobId, JsonNode body, Map<String, String> query) throws CallbackRejected {
    String state = JsonPaths.text(body, callback.statusPath());
    Phase phase = callback.phaseOf(state);
    if (phase == null) {
      return new CallbackOutcome.Ignored(spec.id(), jobId, state);
    }
    if (phase == Phase.SUCCEEDED) {
      JsonNode carried = JsonPaths.read(body, callback.resultPath());
      if (callback.missingResult() != null && (carried.isMissingNode() || carried.isNull())) {
        return readMissingResult(spec, callback.missingResult(), jobId, body, query);
      }
      GenerationClient client = clients.client(spec, null);
      return publish(spec.id(), jobId, phase, client.fromCallback(jobId, body, callback.resultPath()));
    }
    String error = callback.errorPath() == null ? null : GenerationClient.errorText(JsonPaths.read(body, callback.errorPath()));
    return failure(spec.id(), jobId, phase, error != null ? error : "the provider reports status '" + state + "'");
  }

  /**
   * The job succeeded but its callback could not carry the result (fal's {@code payload_error}):
   * the result is read from the provider. If the provider cannot give it, the job failed, with the
   * callback's problem as the message; never a success without outputs.
   */
  private CallbackOutcome readMissingResult(PollSpec spec, Callback.MissingResult missing, String jobId, JsonNode body, Map<String, String> query)
      throws CallbackRejected {
    String problem = GenerationClient.errorText(JsonPaths.read(body, missing.errorPath()));
    String why = "its callback carried no result (" + (problem != null ? problem : "nothing at '" + spec.callback().resultPath() + "'") + ")";
    if (!REFETCH_JOB_ID.matcher(jobId).matches() || jobId.contains("..")) {
      throw CallbackRejected.badRequest("the callback's job id is not a plain id");
    }
    for (String parameter : Template.fieldsOf(missing.urlTemplate(), "query")) {
      String value = query.get(parameter);
      if (value == null) {
        return failure(spec.id(), jobId, Phase.FAILED, why + ", and its callback URL lacks the parameter '" + parameter + "' needed to read it from the provider");
      }
      if (!QUERY_VALUE.matcher(value).matches() || value.contains("..")) {
        throw CallbackRejected.badRequest("the callback URL's parameter '" + parameter + "' is not a plain path");
      }
    }
    String apiKey = verifiers.secretOrNull(missing.apiKeySecret());
    if (apiKey == null || apiKey.isBlank()) {
      return failure(spec.id(), jobId, Phase.FAILED, why + ", and the runtime has no secret " + missing.apiKeySecret() + " to read it from the provider");
    }
    GenerationClient client = clients.client(spec, apiKey);
    try {
      return publish(spec.id(), jobId, Phase.SUCCEEDED, client.resultAt(jobId, missing.urlTemplate(), query));
    } catch (ProviderUnavailable e) {
      throw CallbackRejected.unavailable("reading the result the callback could not carry failed: " + e.getMessage());
    } catch (ProviderRejected e) {
      // our own key or configuration is wrong: once fixed, a retried callback succeeds
      throw CallbackRejected.unavailable("reading the result the callback could not carry was refused: " + e.getMessage());
    } catch (GenerationFailure e) {
      return failure(spec.id(), jobId, Phase.FAILED, why + ", and the provider has none: " + e.getMessage());
    }
  }

  /** An unsigned callback is only a hint: the job's status is read from the provider itself. */
  private CallbackOutcome refetched(PollSpec spec, String jobId, String apiKeySecret) throws CallbackRejected {
    String apiKey = verifiers.secretOrNull(apiKeySecret);
    if (apiKey == null) {
      throw CallbackRejected.unavailable("the runtime has no secret " + apiKeySecret + " to re-read the " + spec.id() + " job's status");
    }
    GenerationClient client = clients.client(spec, apiKey);
    try {
      JobHandle handle = client.handleFor(jobId);
      JobStatus status = client.poll(handle);
      return switch (status.phase()) {
        case RUNNING -> new CallbackOutcome.Ignored(spec.id(), jobId, status.providerStatus());
        case SUCCEEDED -> publish(spec.id(), jobId, Phase.SUCCEEDED, client.result(handle, status, 0));
        case FAILED, CANCELLED -> failure(spec.id(), jobId, status.phase(), status.error());
        case OUTCOME_UNKNOWN -> publish(spec.id(), jobId, Phase.OUTCOME_UNKNOWN, client.unknownOutcome(handle, status, 0));
      };
    } catch (ProviderUnavailable e) {
      throw CallbackRejected.unavailable("re-reading the job failed: " + e.getMessage());
    } catch (ProviderRejected e) {
      // our own key or configuration is wrong: once fixed, a retried callback succeeds
      throw CallbackRejected.unavailable("re-reading the job was refused: " + e.getMessage());
    } catch (GenerationFailure e) {
      throw CallbackRejected.badRequest("the provider does not confirm job " + jobId + ": " + e.getMessage());
    }
  }

  private static ProviderId providerOf(String provider) throws CallbackRejected {
    try {
      return ProviderId.of(provider);
    } catch (IllegalArgumentException e) {
      throw new CallbackRejected(404, e.getMessage());
    }
  }

  private PollSpec specOf(ProviderId id, String encodedCustomSpec) throws CallbackRejected {
    PollSpec spec;
    if (id == ProviderId.CUSTOM) {
      String specJson = urls.openCustom(encodedCustomSpec);
      try {
        spec = specs.custom(json.readTree(specJson));
      } catch (IllegalArgumentException | IOException | SpecException e) {
        throw new CallbackRejected(404, "the callback URL's spec is unreadable: " + e.getMessage());
      }
    } else {
      spec = specs.preset(id);
    }
    if (!spec.canCallBack()) {
      throw new CallbackRejected(404, spec.id() + " has no callbacks");
    }
    return spec;
  }

  private JsonNode parse(byte[] body) throws CallbackRejected {
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw CallbackRejected.badRequest("the body is not a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw CallbackRejected.badRequest("the body is not JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw CallbackRejected.badRequest("the body could not be read: " + e.getMessage());
    }
  }

  private CallbackOutcome.Publish publish(String provider, String jobId, Phase phase, GenerationResult result) {
    // the result's fields as they are (no Jackson round trip: the publish serialises them once)
    Map<String, Object> generation = new LinkedHashMap<>();
    generation.put("status", result.status());
    generation.put("provider", result.provider());
    generation.put("jobId", result.jobId());
    generation.put("outputs", result.outputs());
    generation.put("providerResult", result.providerResult());
    generation.put("metrics", result.metrics());
    generation.put("warnings", result.warnings());
    return new CallbackOutcome.Publish(provider, jobId, phase.name(), messageId(provider, jobId, phase), Map.of("generation", generation), result);
  }

  private CallbackOutcome.Publish failure(String provider, String jobId, Phase phase, String message) {
    ErrorCode code = phase == Phase.CANCELLED ? ErrorCode.AI_GENERATION_CANCELLED : ErrorCode.AI_GENERATION_FAILED;
    Map<String, Object> generation = new LinkedHashMap<>();
    generation.put("status", phase.name());
    generation.put("provider", provider);
    generation.put("jobId", jobId);
    generation.put("outputs", List.of());
    generation.put("error", Map.of("code", code.name(), "message", "The " + provider + " job " + jobId + (phase == Phase.CANCELLED ? " was cancelled: " : " failed: ") + message));
    return new CallbackOutcome.Publish(provider, jobId, phase.name(), messageId(provider, jobId, phase), Map.of("generation", generation), null);
  }

  private static String messageId(String provider, String jobId, Phase phase) {
    return provider + ":" + jobId + ":" + phase.name();
  }
}
