package io.aigen.camunda.sandbox.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.media.MediaFiles;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * Test knobs a caller puts into a job's input, so tests can provoke each protocol case: the
 * optional {@code "sandbox"} object, and markers in the prompt ({@code [fail]}, {@code [slow]})
 * that apply where the object does not set the same thing. See the module README.
 *
 * @param durationMs job length; {@code null} = the sandbox default (10x that when {@code slow})
 * @param fail message the job fails with; {@code null} = it succeeds
 * @param failType provider error type of that failure
 * @param rateLimitPolls how many status polls are answered 429 first
 * @param retryAfterSeconds {@code Retry-After} of those 429 answers
 * @param submitStatus HTTP status to answer the submit with instead of accepting the job; {@code
 *     null} = accept
 * @param slow the prompt asked for a slow job
 * @param throttledMs how long the provider holds the job back before queueing it (Runway's {@code
 *     THROTTLED}); 0 = not at all
 * @param failIndex for providers that run several generations per request (Oxen): only the
 *     generation with this 0-based index fails; {@code null} = a failure applies to all
 * @param callbacks how the job's callbacks (webhooks) are delivered
 * @param outputServing how the job's output files are served (Replicate): another content type,
 *     padded to a size
 */
public record SandboxDirectives(
    Long durationMs,
    String fail,
    String failType,
    int rateLimitPolls,
    int retryAfterSeconds,
    Integer submitStatus,
    boolean slow,
    long throttledMs,
    Integer failIndex,
    CallbackKnobs callbacks,
    MediaFiles.Serving outputServing) {

  public static final String FIELD = "sandbox";
  static final String FAIL_MARKER = "[fail]";
  static final String SLOW_MARKER = "[slow]";
  public static final String DEFAULT_FAIL_TYPE = "runner_error";
  static final int SLOW_FACTOR = 10;
  static final int MAX_CALLBACK_DUPLICATES = 10;
  static final long MAX_CALLBACK_DELAY_MS = 600_000;
  static final long MAX_OUTPUT_BYTES = 256L * 1024 * 1024;

  private static final Set<String> KNOWN_FIELDS =
      Set.of("durationMs", "fail", "failType", "rateLimitPolls", "retryAfterSeconds", "submitStatus",
          "throttledMs", "failIndex", "callbackDuplicates", "callbackDelayMs", "callbackSkip", "callbackTamper",
          "outputContentType", "outputBytes",
          // fal only: read by its simulation (FalWebhookKnobs)
          "webhookPayloadError", "resultGone");

  /**
   * Test knobs for callback delivery.
   *
   * @param duplicates how many extra times each callback is delivered
   * @param delayMs how long each callback is held back
   * @param skip no callback is ever sent
   * @param tamper one byte of each body is changed after it was signed
   */
  public record CallbackKnobs(int duplicates, long delayMs, boolean skip, boolean tamper) {}

  /** A {@code sandbox} field with a wrong type or value, or one the sandbox does not know. */
  public static final class InvalidDirective extends Exception {
    public final String field;

    public InvalidDirective(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  public static SandboxDirectives from(JsonNode input, String prompt) throws InvalidDirective {
    JsonNode knobs = input.path(FIELD);
    if (!knobs.isMissingNode() && !knobs.isNull() && !knobs.isObject()) {
      throw new InvalidDirective(FIELD, "must be an object");
    }
    for (Iterator<String> names = knobs.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KNOWN_FIELDS.contains(name)) {
        throw new InvalidDirective(name, "unknown sandbox field; known: " + KNOWN_FIELDS);
      }
    }
    String text = prompt == null ? "" : prompt;
    String fail = text(knobs, "fail");
    if (fail == null && text.contains(FAIL_MARKER)) {
      fail = "Simulated failure: the prompt contains " + FAIL_MARKER;
    }
    String failType = text(knobs, "failType");
    Integer submitStatus = knobs.has("submitStatus") ? (int) number(knobs, "submitStatus", 200, 599) : null;
    return new SandboxDirectives(
        knobs.has("durationMs") ? number(knobs, "durationMs", 0, Long.MAX_VALUE) : null,
        fail,
        failType == null ? DEFAULT_FAIL_TYPE : failType,
        (int) numberOr(knobs, "rateLimitPolls", 0, 0, Integer.MAX_VALUE),
        (int) numberOr(knobs, "retryAfterSeconds", 2, 0, Integer.MAX_VALUE),
        submitStatus,
        text.contains(SLOW_MARKER),
        numberOr(knobs, "throttledMs", 0, 0, Long.MAX_VALUE),
        knobs.has("failIndex") ? (int) number(knobs, "failIndex", 0, Integer.MAX_VALUE) : null,
        new CallbackKnobs(
            (int) numberOr(knobs, "callbackDuplicates", 0, 0, MAX_CALLBACK_DUPLICATES),
            numberOr(knobs, "callbackDelayMs", 0, 0, MAX_CALLBACK_DELAY_MS),
            flag(knobs, "callbackSkip"),
            flag(knobs, "callbackTamper")),
        new MediaFiles.Serving(
            text(knobs, "outputContentType"),
            knobs.has("outputBytes") ? number(knobs, "outputBytes", 0, MAX_OUTPUT_BYTES) : null));
  }

  public Duration duration(Duration defaultDuration) {
    if (durationMs != null) {
      return Duration.ofMillis(durationMs);
    }
    return slow ? defaultDuration.multipliedBy(SLOW_FACTOR) : defaultDuration;
  }

  public boolean rejectsSubmit() {
    return submitStatus != null && submitStatus >= 400;
  }

  private static String text(JsonNode knobs, String field) throws InvalidDirective {
    JsonNode value = knobs.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new InvalidDirective(field, "must be a non-blank string");
    }
    return value.asText();
  }

  private static boolean flag(JsonNode knobs, String field) throws InvalidDirective {
    JsonNode value = knobs.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidDirective(field, "must be true or false");
    }
    return value.asBoolean();
  }

  private static long numberOr(JsonNode knobs, String field, long fallback, long min, long max)
      throws InvalidDirective {
    return knobs.has(field) ? number(knobs, field, min, max) : fallback;
  }

  private static long number(JsonNode knobs, String field, long min, long max)
      throws InvalidDirective {
    JsonNode value = knobs.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()
        || value.asLong() < min || value.asLong() > max) {
      throw new InvalidDirective(field, "must be an integer within " + min + ".." + max);
    }
    return value.asLong();
  }
}
