package io.aigen.camunda.connector.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.MultipartForm;
import io.aigen.camunda.connector.http.OutgoingRequest;
import io.aigen.camunda.connector.http.ProviderEndpoint;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.spec.JsonPaths;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.store.ResultStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Speaks one provider's protocol, as its {@link PollSpec} describes it: submit ({@link
 * JobSubmission}), read the status ({@link StatusReader}), collect the result ({@link
 * ResultCollector}), cancel. Each call is a few HTTP exchanges (one per generation of the job) and
 * keeps no state between calls.
 */
public final class GenerationClient {

  /** What a submit needs besides the model and input. */
  /**
   * @param marker marks the submit so that a later attempt can find its job ({@link
   *     io.aigen.camunda.connector.spec.Recover}); {@code null}: unmarked
   */
  public record SubmitExtras(JsonNode options, String callbackUrl, JsonNode customSpec, String marker) {
    public static final SubmitExtras NONE = new SubmitExtras(null, null, null, null);

    public SubmitExtras(JsonNode options, String callbackUrl, JsonNode customSpec) {
      this(options, callbackUrl, customSpec, null);
    }
  }

  private final PollSpec spec;
  private final ProviderEndpoint endpoint;
  private final JobSubmission submission;
  private final StatusReader status;
  private final ResultCollector results;
  private final OutputKeeper keeper;
  private final JobLookup lookup;

  GenerationClient(PollSpec spec, ProviderEndpoint endpoint, ProviderHttp http, MultipartForm forms, ResultStore results, Clock clock) {
    ProviderAnswers answers = new ProviderAnswers(spec, endpoint);
    this.spec = spec;
    this.endpoint = endpoint;
    this.submission = new JobSubmission(spec, endpoint, forms, answers, clock);
    this.status = new StatusReader(spec, endpoint, answers);
    this.results = new ResultCollector(spec, endpoint, results, clock);
    this.keeper = new OutputKeeper(spec, http, results);
    this.lookup = spec.recover() == null ? null : new JobLookup(spec, endpoint);
  }

  public PollSpec spec() {
    return spec;
  }

  /** Submits a job. This is the only call that costs money. */
  public JobHandle submit(String model, JsonNode input, SubmitExtras extras) {
    return submission.submit(model, input, extras);
  }

  /**
   * The job an earlier submit marked with {@code extras.marker()} created, if the provider's lists
   * show it; empty when they do not, or the spec offers no lookup.
   *
   * @param since a little before the first attempt was sent
   */
  public java.util.Optional<JobHandle> findSubmitted(String model, JsonNode input, SubmitExtras extras, java.time.Instant since) {
    if (lookup == null || extras.marker() == null) {
      return java.util.Optional.empty();
    }
    return lookup.find(extras.marker(), since).map(answer -> submission.recovered(model, input, extras, answer));
  }

  /**
   * A handle for a job known only by its id, for specs whose URLs need nothing from the submit
   * answer (re-reading a job a callback announced).
   */
  public JobHandle handleFor(String jobId) {
    return submission.handleFor(jobId);
  }

  /** Reads the job's status once: every generation's. */
  public JobStatus poll(JobHandle handle) {
    return status.poll(handle);
  }

  /**
   * Fetches the finished job's result and normalises it.
   *
   * @param polls status requests made for it, for the result's metrics
   */
  public GenerationResult result(JobHandle handle, JobStatus finalStatus, int polls) {
    return results.result(handle, finalStatus, polls);
  }

  /**
   * Copies the result's output URLs into the result store (task option {@code keepOutputs}).
   *
   * @param lastAttempt no later attempt comes: what cannot be copied now becomes a warning
   * @throws ProviderUnavailable when a copy failed for a passing reason and another attempt comes
   */
  public GenerationResult keepOutputs(GenerationResult result, boolean lastAttempt) {
    return keeper.keep(result, lastAttempt);
  }

  /**
   * The result a callback carries, normalised like a polled one (files stored, output URLs
   * collected).
   */
  public GenerationResult fromCallback(String jobId, JsonNode callbackBody, String resultPath) {
    return results.fromCallback(jobId, callbackBody, resultPath);
  }

  /**
   * The result of a job whose end callback could not carry it, read from the provider at {@code
   * urlTemplate} with this client's API key.
   *
   * @param query the callback URL's query parameters, for {@code {query.<name>}}
   */
  public GenerationResult resultAt(String jobId, String urlTemplate, Map<String, String> query) {
    return results.fromUrl(jobId, urlTemplate, query);
  }

  /** The job is over and the provider cannot say how: a result with no outputs that says so. */
  public GenerationResult unknownOutcome(JobHandle handle, JobStatus finalStatus, int polls) {
    return results.unknownOutcome(handle, finalStatus, polls);
  }

  /** Asks the provider to cancel every generation. One that is already over is reported, not raised. */
  public CancelReport cancel(JobHandle handle) {
    if (spec.cancel() == null) {
      return new CancelReport(handle.provider(), handle.jobId(), false, 0, "NOT_SUPPORTED");
    }
    boolean accepted = false;
    boolean onlyRequested = false;
    int lastCode = 0;
    List<String> answers = new ArrayList<>();
    for (JobHandle.Part part : handle.parts()) {
      HttpReply reply =
          endpoint.call(new OutgoingRequest(spec.cancel().method(), part.cancelUrl(), JobUrls.JSON_ACCEPT, null, null, JobUrls.fieldName(spec.cancel().urlTemplate(), "cancel URL")), spec.forwardAuth());
      String word = spec.cancel().statusPath() == null ? null : JsonPaths.text(reply.json(), spec.cancel().statusPath());
      answers.add(word != null ? word : "HTTP " + reply.code());
      lastCode = reply.code();
      if (reply.ok()) {
        accepted = true;
        onlyRequested |= word != null && spec.cancel().requestedValues().contains(word);
      } else if (reply.code() < 400 || reply.code() >= 500) {
        throw new ProviderUnavailable("The " + spec.id() + " cancel request answered HTTP " + reply.code() + ": " + endpoint.redact(reply.excerpt()), null);
      }
    }
    String outcome = !accepted ? CancelReport.NOT_CANCELLED : onlyRequested ? CancelReport.CANCELLATION_REQUESTED : CancelReport.CANCELLED;
    return new CancelReport(handle.provider(), handle.jobId(), accepted, lastCode, String.join(",", answers), outcome);
  }

  /** An error given as text, or as an object with a message (some APIs send {code, message}). */
  public static String errorText(JsonNode error) {
    return ProviderAnswers.errorText(error);
  }
}
