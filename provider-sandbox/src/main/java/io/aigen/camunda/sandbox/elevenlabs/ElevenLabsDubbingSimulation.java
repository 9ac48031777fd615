package io.aigen.camunda.sandbox.elevenlabs;

import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.MultipartForm;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import io.aigen.camunda.sandbox.jobs.JobClock;
import io.aigen.camunda.sandbox.jobs.JobRegistry;
import io.aigen.camunda.sandbox.jobs.JobTimeline;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ElevenLabs dubbing (docs/providers.md §5), mounted at {@code /elevenlabs} as the equivalent of {@code
 * https://api.elevenlabs.io}. Submits are always multipart; the dubbed track is fetched from {@code
 * /audio/{language}}, which answers 425 until it is ready. There is no cancel, only delete.
 */
public final class ElevenLabsDubbingSimulation implements ProviderSimulation {

  static final String MOUNT_PATH = "/elevenlabs";
  static final String API_KEY_HEADER = "xi-api-key";

  private static final String ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int ID_LENGTH = 20;
  /** Automatic language detection in the sandbox always finds English. */
  private static final String DETECTED_LANGUAGE = "en";

  private final SandboxOptions options;
  private final JobClock clock;
  private final JobRegistry<ElevenLabsDub> dubs = new JobRegistry<>();

  public ElevenLabsDubbingSimulation(SandboxOptions options, JobClock clock) {
    this.options = options;
    this.clock = clock;
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    String key = request.header(API_KEY_HEADER);
    if (key == null || key.isBlank()) {
      return ElevenLabsErrors.detail(401, "invalid_api_key", "Invalid API key: send it in the 'xi-api-key' header");
    }
    List<String> segments = request.segments();
    if (segments.size() < 2 || !segments.get(0).equals("v1") || !segments.get(1).equals("dubbing")) {
      return notFound();
    }
    List<String> rest = segments.subList(2, segments.size());
    String method = request.method();
    if (rest.isEmpty()) {
      return method.equals("POST") ? submit(request) : methodNotAllowed();
    }
    Optional<ElevenLabsDub> dub = dubs.find(rest.getFirst()).filter(d -> !d.isDeleted());
    if (rest.size() == 1) {
      return switch (method) {
        case "GET" -> dub.map(this::metadata).orElseGet(ElevenLabsDubbingSimulation::dubNotFound);
        case "DELETE" -> dub.filter(ElevenLabsDub::delete)
            .map(d -> SandboxResponse.json(200, Json.object().put("status", "ok")))
            .orElseGet(ElevenLabsDubbingSimulation::dubNotFound);
        default -> methodNotAllowed();
      };
    }
    if (rest.size() == 3 && rest.get(1).equals("audio")) {
      return method.equals("GET")
          ? dub.map(d -> audio(d, rest.get(2))).orElseGet(ElevenLabsDubbingSimulation::dubNotFound)
          : methodNotAllowed();
    }
    return notFound();
  }

  private SandboxResponse submit(SandboxRequest request) {
    String contentType = request.header("Content-Type");
    if (!MultipartForm.isMultipart(contentType)) {
      return ElevenLabsErrors.validation(List.of("body"),
          "Expected multipart/form-data, got " + (contentType == null ? "no Content-Type" : contentType),
          "value_error");
    }
    MultipartForm form;
    try {
      form = MultipartForm.parse(contentType, request.body());
    } catch (MultipartForm.Malformed e) {
      return ElevenLabsErrors.validation(List.of("body"), "Invalid multipart body: " + e.getMessage(), "value_error");
    }
    Optional<MultipartForm.Part> file = form.file("file");
    Optional<String> sourceUrl = form.text("source_url");
    if (file.isPresent() == sourceUrl.isPresent()) {
      return file.isPresent()
          ? ElevenLabsErrors.validation(List.of("body", "source_url"), "Provide either file or source_url, not both", "value_error")
          : ElevenLabsErrors.validation(List.of("body", "file"), "Either file or source_url is required", "value_error.missing");
    }
    Optional<String> targetLanguage = form.text("target_lang");
    if (targetLanguage.isEmpty()) {
      return ElevenLabsErrors.validation(List.of("body", "target_lang"), "field required", "value_error.missing");
    }
    Optional<SandboxResponse> invalid = invalidOptionalField(form);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    Optional<String> name = form.text("name");
    SandboxDirectives directives;
    try {
      directives = form.directives(name.orElse(""));
    } catch (SandboxDirectives.InvalidDirective e) {
      List<String> loc = e.field.equals(SandboxDirectives.FIELD)
          ? List.of("body", SandboxDirectives.FIELD)
          : List.of("body", SandboxDirectives.FIELD, e.field);
      return ElevenLabsErrors.validation(loc, e.getMessage(), "value_error");
    }
    if (directives.rejectsSubmit()) {
      return ElevenLabsErrors.forcedSubmitError(directives.submitStatus(), directives.retryAfterSeconds());
    }
    String source = file.map(MultipartForm.Part::filename).orElseGet(sourceUrl::get);
    ElevenLabsDub dub = new ElevenLabsDub(
        newId(),
        name.orElse(source),
        form.text("source_lang").filter(lang -> !lang.equals("auto")).orElse(DETECTED_LANGUAGE),
        targetLanguage.get(),
        file.map(MultipartForm.Part::contentType).orElseGet(() -> mediaType(source)),
        JobTimeline.of(clock.now(), directives.duration(options.defaultJobDuration())),
        directives);
    dubs.add(dub.id, dub);
    return SandboxResponse.json(200,
        Json.object().put("dubbing_id", dub.id).put("expected_duration_sec", dub.durationSeconds()));
  }

  /** {@code num_speakers} (0 = automatic) and {@code watermark} are checked; other fields are ignored. */
  private static Optional<SandboxResponse> invalidOptionalField(MultipartForm form) {
    Optional<String> speakers = form.text("num_speakers");
    if (speakers.isPresent() && !speakers.get().trim().matches("\\d{1,9}")) {
      return Optional.of(ElevenLabsErrors.validation(
          List.of("body", "num_speakers"), "value is not a valid non-negative integer", "type_error.integer"));
    }
    Optional<String> watermark = form.text("watermark").map(v -> v.trim().toLowerCase(Locale.ROOT));
    if (watermark.isPresent() && !List.of("true", "false").contains(watermark.get())) {
      return Optional.of(ElevenLabsErrors.validation(
          List.of("body", "watermark"), "value could not be parsed to a boolean", "type_error.bool"));
    }
    return Optional.empty();
  }

  private SandboxResponse metadata(ElevenLabsDub dub) {
    if (dub.takeRateLimitedPoll()) {
      return ElevenLabsErrors.rateLimited(dub.retryAfterSeconds());
    }
    return SandboxResponse.json(200, dub.metadata(clock.now()));
  }

  private SandboxResponse audio(ElevenLabsDub dub, String language) {
    if (!dub.targetLanguage.equals(language)) {
      return ElevenLabsErrors.detail(404, "language_not_found",
          "Dubbing " + dub.id + " has no target language '" + language + "'");
    }
    return switch (dub.status(clock.now())) {
      case ElevenLabsDub.DUBBED -> SandboxResponse.bytes(200, "audio/mpeg", dub.audio());
      case ElevenLabsDub.FAILED -> ElevenLabsErrors.detail(404, "dubbing_failed",
          "Dubbing " + dub.id + " failed, there is no audio: " + dub.failure);
      default -> ElevenLabsErrors.detail(425, "dubbing_not_ready",
          "Dubbing " + dub.id + " is not finished yet; poll GET /v1/dubbing/" + dub.id);
    };
  }

  private static String mediaType(String source) {
    return source.toLowerCase(Locale.ROOT).endsWith(".mp3") ? "audio/mpeg" : "video/mp4";
  }

  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(ID_LENGTH);
    for (int i = 0; i < ID_LENGTH; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  private static SandboxResponse dubNotFound() {
    return ElevenLabsErrors.detail(404, "dubbing_not_found", "Dubbing not found");
  }

  private static SandboxResponse notFound() {
    return SandboxResponse.json(404, Json.detail("Not Found"));
  }

  private static SandboxResponse methodNotAllowed() {
    return SandboxResponse.json(405, Json.detail("Method Not Allowed"));
  }
}
