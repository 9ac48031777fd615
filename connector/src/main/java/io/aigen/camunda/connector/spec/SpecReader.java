package io.aigen.camunda.connector.spec;

import static io.aigen.camunda.connector.spec.SpecFields.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a poll spec written in JSON: AsyncQueue's {@code pollConfig} keys plus this project's
 * extensions (see {@code docs/poll-spec.md}). Presets and users' custom specs use the same format.
 * A bare {@code pollConfig} (an object with {@code urlTemplate}) is accepted as-is.
 *
 * <p>Every mistake is reported as a {@link SpecException} naming the field; unknown keys are
 * mistakes too, so a typo never silently changes behaviour.
 */
public final class SpecReader {

  private static final Set<String> TOP =
      Set.of(
          "id", "label", "description", "baseUrl", "auth", "headers", "submit", "targetUrl", "method", "pollConfig", "cancel", "callback",
          "mediaHosts", "options", "modeler", "recover");
  private static final Set<String> RECOVER = Set.of("markerField", "lists", "itemsPath", "markerPath", "nextPagePath", "morePath", "answer");
  private static final Set<String> SUBMIT =
      Set.of("method", "url", "body", "encoding", "fileFields", "headers", "routes", "idPath", "expectedSecondsPath", "requiredInput");
  private static final Set<String> ROUTE = Set.of("model", "url", "body");
  private static final Set<String> POLL =
      Set.of(
          // AsyncQueue's pollConfig
          "urlTemplate", "interval", "statusPath", "doneValues", "failValues", "resultPath",
          "resultUrlTemplate", "errorPath", "forwardAuth", "maxDuration",
          // extensions
          "method", "statusQuery", "runningValues", "cancelledValues", "statusCodes", "unknownStatus", "notErrorValues",
          "errorCodePath", "contentFilteredCodes", "progressPath", "progressScale", "queuePositionPath", "logPath", "outputsPath", "metricsPath",
          "resultNotReadyCodes", "resultFile", "notice", "backoff", "maxInterval", "jitter", "failureDetailFromResult");
  private static final Set<String> CANCEL = Set.of("method", "urlTemplate", "statusPath", "requestedValues");
  private static final Set<String> AUTH = Set.of("header", "prefix");
  private static final Set<String> CALLBACK =
      Set.of("queryParameter", "body", "verify", "jobIdPath", "statusPath", "doneValues", "failValues", "cancelledValues", "resultPath", "errorPath",
          "urlQuery", "missingResult");
  private static final Set<String> MISSING_RESULT = Set.of("errorPath", "urlTemplate", "apiKeySecret");
  private static final Set<String> VERIFY = Set.of("scheme", "secret", "header", "version", "maxAgeSeconds", "apiKeySecret", "jwksUrl", "headerPrefix");
  private static final Set<String> RESULT_FILE = Set.of("base64Path", "contentType");
  private static final Set<String> OPTION = Set.of("name", "type", "choices", "default", "description");
  private static final Set<String> MODELER =
      Set.of("name", "version", "keywords", "apiKeySecret", "icon", "exampleModels", "exampleInput");
  private static final Set<String> ICON = Set.of("letters", "color");
  private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

  private SpecReader() {}

  /**
   * @param json a spec, or a bare AsyncQueue {@code pollConfig}
   * @param defaultId the id to use when the JSON has none
   */
  public static PollSpec read(JsonNode json, String defaultId) {
    if (json == null || !json.isObject()) {
      throw new SpecException("spec", "must be a JSON object, e.g. {\"targetUrl\": \"https://api.example.com/v1/jobs\", \"pollConfig\": {…}}");
    }
    ObjectNode spec = json.has("urlTemplate") ? wrapBarePollConfig(json) : (ObjectNode) json;
    knownKeys(spec, TOP, "spec");
    JsonNode poll = required(spec, "pollConfig", "spec");
    knownKeys(poll, POLL, "pollConfig");
    Submit submit = submit(spec);
    String baseUrl = text(spec, "baseUrl", "baseUrl");
    if (baseUrl == null) {
      baseUrl = origin(submit.urlTemplate(), submit.routes().isEmpty() ? "submit.url" : "submit.routes");
    }
    PollSpec result =
        new PollSpec(
            orDefault(text(spec, "id", "id"), defaultId),
            orDefault(text(spec, "label", "label"), defaultId),
            baseUrl,
            auth(spec.get("auth")),
            stringMap(spec.get("headers"), "headers"),
            submit,
            status(poll),
            result(poll),
            cancel(spec.get("cancel")),
            timing(poll),
            !poll.has("forwardAuth") || bool(poll, "forwardAuth", "pollConfig.forwardAuth"),
            callback(spec.get("callback")),
            mediaHosts(spec.get("mediaHosts")),
            options(spec.get("options")),
            modeler(spec.get("modeler")),
            recover(spec.get("recover")));
    TemplateCheck.check(result);
    if (result.callback() != null
        && result.callback().verify() instanceof Verification.Refetch
        && Template.roots(result.status().urlTemplate()).contains("startResult")) {
      throw new SpecException("callback.verify", "refetch needs a status URL built from {baseUrl} and {id}, not from the submit answer");
    }
    return result;
  }

  /** Host names, or {@code *.example.com} for any subdomain; no scheme, path or port. */
  private static List<String> mediaHosts(JsonNode hosts) {
    if (hosts == null || hosts.isNull()) {
      return List.of();
    }
    if (!hosts.isArray()) {
      throw new SpecException("mediaHosts", "must be a list of host names, e.g. [\"replicate.delivery\", \"*.replicate.delivery\"]");
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      result.add(MediaHosts.checked(hosts.get(i).isTextual() ? hosts.get(i).asText() : hosts.get(i).toString(), "mediaHosts[" + i + "]"));
    }
    return result;
  }

  private static ObjectNode wrapBarePollConfig(JsonNode pollConfig) {
    ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
    wrapped.set("pollConfig", pollConfig);
    return wrapped;
  }

  private static Submit submit(JsonNode spec) {
    JsonNode submit = spec.get("submit");
    if (submit == null || submit.isNull()) {
      String targetUrl = text(spec, "targetUrl", "targetUrl");
      if (targetUrl == null) {
        throw new SpecException("targetUrl", "missing: say where jobs are submitted, e.g. \"targetUrl\": \"https://api.example.com/v1/jobs\" (or \"submit\": {\"url\": …})");
      }
      return new Submit(text(spec, "method", "method"), targetUrl, null, null, null, null, null, null, null, null);
    }
    knownKeys(submit, SUBMIT, "submit");
    List<Submit.Route> routes = new ArrayList<>();
    JsonNode routeList = submit.get("routes");
    if (routeList != null && !routeList.isNull()) {
      if (!routeList.isArray()) {
        throw new SpecException("submit.routes", "must be a list of {\"model\": <regex>, \"url\": …, \"body\": …}");
      }
      for (int i = 0; i < routeList.size(); i++) {
        String where = "submit.routes[" + i + "]";
        JsonNode route = routeList.get(i);
        knownKeys(route, ROUTE, where);
        String pattern = requiredText(route, "model", where);
        try {
          Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
          throw new SpecException(where + ".model", "'" + pattern + "' is not a regular expression: " + e.getDescription());
        }
        routes.add(new Submit.Route(pattern, requiredText(route, "url", where), route.get("body")));
      }
    }
    String url = text(submit, "url", "submit.url");
    if (url == null && routes.isEmpty()) {
      url = text(spec, "targetUrl", "targetUrl");
    }
    if (url == null && routes.isEmpty()) {
      throw new SpecException("submit.url", "missing: say where jobs are submitted, e.g. \"{baseUrl}/v1/jobs\"");
    }
    String encoding = text(submit, "encoding", "submit.encoding");
    return new Submit(
        text(submit, "method", "submit.method"),
        url,
        submit.get("body"),
        encoding == null ? null : enumValue(Submit.Encoding.class, encoding, "submit.encoding"),
        strings(submit.get("fileFields"), "submit.fileFields"),
        stringMap(submit.get("headers"), "submit.headers"),
        routes,
        path(submit, "idPath", "submit.idPath"),
        path(submit, "expectedSecondsPath", "submit.expectedSecondsPath"),
        strings(submit.get("requiredInput"), "submit.requiredInput"));
  }

  private static Status status(JsonNode poll) {
    String url = requiredText(poll, "urlTemplate", "pollConfig");
    Map<Integer, Phase> codes = new LinkedHashMap<>();
    JsonNode codeMap = poll.get("statusCodes");
    if (codeMap != null && !codeMap.isNull()) {
      if (!codeMap.isObject()) {
        throw new SpecException("pollConfig.statusCodes", "must map HTTP codes to phases, e.g. {\"202\": \"running\", \"200\": \"succeeded\"}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = codeMap.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String where = "pollConfig.statusCodes." + entry.getKey();
        int code;
        try {
          code = Integer.parseInt(entry.getKey());
        } catch (NumberFormatException e) {
          throw new SpecException(where, "'" + entry.getKey() + "' is not an HTTP status code");
        }
        codes.put(code, enumValue(Phase.class, entry.getValue().asText(), where));
      }
    }
    String statusPath = path(poll, "statusPath", "pollConfig.statusPath");
    List<String> done = strings(poll.get("doneValues"), "pollConfig.doneValues");
    if (statusPath == null && codes.isEmpty()) {
      throw new SpecException("pollConfig.statusPath", "missing: say where the poll answer holds the status, e.g. \"status\" (or map HTTP codes with \"statusCodes\")");
    }
    if (statusPath != null && done.isEmpty() && !codes.containsValue(Phase.SUCCEEDED)) {
      throw new SpecException("pollConfig.doneValues", "missing: list the status values that mean success, e.g. [\"completed\"]");
    }
    String filtered = text(poll, "contentFilteredCodes", "pollConfig.contentFilteredCodes");
    if (filtered != null) {
      try {
        Pattern.compile(filtered);
      } catch (PatternSyntaxException e) {
        throw new SpecException("pollConfig.contentFilteredCodes", "'" + filtered + "' is not a regular expression: " + e.getDescription());
      }
    }
    String unknown = text(poll, "unknownStatus", "pollConfig.unknownStatus");
    return new Status(
        text(poll, "method", "pollConfig.method"),
        url,
        stringMap(poll.get("statusQuery"), "pollConfig.statusQuery"),
        statusPath,
        new StatusValues(
            done,
            strings(poll.get("failValues"), "pollConfig.failValues"),
            strings(poll.get("cancelledValues"), "pollConfig.cancelledValues"),
            strings(poll.get("runningValues"), "pollConfig.runningValues")),
        codes,
        path(poll, "errorPath", "pollConfig.errorPath"),
        strings(poll.get("notErrorValues"), "pollConfig.notErrorValues"),
        path(poll, "errorCodePath", "pollConfig.errorCodePath"),
        filtered,
        progressPaths(poll),
        unknown == null ? null : enumValue(UnknownStatusPolicy.class, unknown, "pollConfig.unknownStatus"));
  }

  private static Status.ProgressPaths progressPaths(JsonNode poll) {
    String scale = text(poll, "progressScale", "pollConfig.progressScale");
    if (scale != null && !scale.equals("fraction") && !scale.equals("percent")) {
      throw new SpecException("pollConfig.progressScale", "'" + scale + "' is not a scale. Use \"fraction\" (0 to 1, the default) or \"percent\" (0 to 100).");
    }
    return new Status.ProgressPaths(
        path(poll, "progressPath", "pollConfig.progressPath"),
        "percent".equals(scale),
        path(poll, "queuePositionPath", "pollConfig.queuePositionPath"),
        path(poll, "logPath", "pollConfig.logPath"));
  }

  private static Result result(JsonNode poll) {
    Result.ResultFile file = null;
    JsonNode fileNode = poll.get("resultFile");
    if (fileNode != null && !fileNode.isNull()) {
      knownKeys(fileNode, RESULT_FILE, "pollConfig.resultFile");
      file = new Result.ResultFile(path(fileNode, "base64Path", "pollConfig.resultFile.base64Path"), text(fileNode, "contentType", "pollConfig.resultFile.contentType"));
    }
    List<Integer> notReady = new ArrayList<>();
    JsonNode codes = poll.get("resultNotReadyCodes");
    if (codes != null && !codes.isNull()) {
      if (!codes.isArray()) {
        throw new SpecException("pollConfig.resultNotReadyCodes", "must be a list of HTTP codes, e.g. [425]");
      }
      codes.forEach(code -> notReady.add(code.asInt()));
    }
    return new Result(
        text(poll, "resultUrlTemplate", "pollConfig.resultUrlTemplate"),
        path(poll, "resultPath", "pollConfig.resultPath"),
        orDefault(path(poll, "outputsPath", "pollConfig.outputsPath"), "$..url"),
        path(poll, "metricsPath", "pollConfig.metricsPath"),
        notReady,
        file,
        text(poll, "notice", "pollConfig.notice"),
        poll.has("failureDetailFromResult") && bool(poll, "failureDetailFromResult", "pollConfig.failureDetailFromResult"));
  }

  private static Cancel cancel(JsonNode cancel) {
    if (cancel == null || cancel.isNull()) {
      return null;
    }
    knownKeys(cancel, CANCEL, "cancel");
    return new Cancel(
        orDefault(text(cancel, "method", "cancel.method"), "POST"),
        requiredText(cancel, "urlTemplate", "cancel"),
        path(cancel, "statusPath", "cancel.statusPath"),
        strings(cancel.get("requestedValues"), "cancel.requestedValues"));
  }

  private static Recover recover(JsonNode recover) {
    if (recover == null || recover.isNull()) {
      return null;
    }
    knownKeys(recover, RECOVER, "recover");
    String markerField = requiredText(recover, "markerField", "recover");
    if (!markerField.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new SpecException("recover.markerField", "'" + markerField + "' is not a dot path of field names, e.g. input.aigen_submission");
    }
    List<String> lists = strings(recover.get("lists"), "recover.lists");
    if (lists == null || lists.isEmpty()) {
      throw new SpecException("recover.lists", "missing: name at least one list URL, e.g. [\"{baseUrl}/jobs?created_after={since}\"]");
    }
    JsonNode answer = recover.get("answer");
    if (answer != null && !answer.isNull() && !answer.toString().contains("{item}") && !answer.toString().contains("{items}")) {
      throw new SpecException("recover.answer", "must use {item} or {items}, e.g. {\"generations\": \"{items}\"}");
    }
    return new Recover(
        markerField,
        lists,
        path(recover, "itemsPath", "recover.itemsPath"),
        requiredPath(recover, "markerPath"),
        path(recover, "nextPagePath", "recover.nextPagePath"),
        path(recover, "morePath", "recover.morePath"),
        answer == null || answer.isNull() ? null : answer);
  }

  private static String requiredPath(JsonNode recover, String field) {
    String value = path(recover, field, "recover." + field);
    if (value == null) {
      throw new SpecException("recover." + field, "missing: say where a listed job echoes the marker, e.g. input.aigen_submission");
    }
    return value;
  }

  private static Callback callback(JsonNode callback) {
    if (callback == null || callback.isNull()) {
      return null;
    }
    knownKeys(callback, CALLBACK, "callback");
    Verification verify = verification(required(callback, "verify", "callback"));
    String statusPath = path(callback, "statusPath", "callback.statusPath");
    if (!(verify instanceof Verification.Refetch) && statusPath == null) {
      throw new SpecException("callback.statusPath", "missing: say where the callback holds the status, e.g. \"status\"");
    }
    return new Callback(
        text(callback, "queryParameter", "callback.queryParameter"),
        callback.get("body"),
        verify,
        requiredText(callback, "jobIdPath", "callback"),
        statusPath,
        new StatusValues(
            strings(callback.get("doneValues"), "callback.doneValues"),
            strings(callback.get("failValues"), "callback.failValues"),
            strings(callback.get("cancelledValues"), "callback.cancelledValues"),
            null),
        path(callback, "resultPath", "callback.resultPath"),
        path(callback, "errorPath", "callback.errorPath"),
        stringMap(callback.get("urlQuery"), "callback.urlQuery"),
        missingResult(callback.get("missingResult")));
  }

  private static Callback.MissingResult missingResult(JsonNode missing) {
    if (missing == null || missing.isNull()) {
      return null;
    }
    knownKeys(missing, MISSING_RESULT, "callback.missingResult");
    String secret = requiredText(missing, "apiKeySecret", "callback.missingResult");
    if (!SECRET_NAME.matcher(secret).matches()) {
      throw new SpecException("callback.missingResult.apiKeySecret", "'" + secret + "' is not a secret name: upper case, digits and _, e.g. FAL_KEY");
    }
    String urlTemplate = requiredText(missing, "urlTemplate", "callback.missingResult");
    for (String root : Template.roots(urlTemplate)) {
      if (!Set.of("baseUrl", "id", "query").contains(root)) {
        throw new SpecException(
            "callback.missingResult.urlTemplate", "{" + root + "…} in '" + urlTemplate + "' has no value when a callback arrives. Use {baseUrl}, {id} and {query.<name>}");
      }
    }
    String errorPath = path(missing, "errorPath", "callback.missingResult.errorPath");
    if (errorPath == null) {
      throw new SpecException("callback.missingResult.errorPath", "missing: say where the callback tells why its result is missing, e.g. \"payload_error\"");
    }
    return new Callback.MissingResult(errorPath, urlTemplate, secret);
  }

  /** {@code callback.verify}: the scheme's name picks the record, and each takes only its own keys. */
  private static Verification verification(JsonNode verify) {
    knownKeys(verify, VERIFY, "callback.verify");
    String scheme = requiredText(verify, "scheme", "callback.verify").toLowerCase(Locale.ROOT).replace('_', '-');
    Verification read =
        switch (scheme) {
          case "ed25519-jwks" ->
              new Verification.Ed25519Jwks(requiredText(verify, "jwksUrl", "callback.verify"), requiredText(verify, "headerPrefix", "callback.verify"));
          case "standard-webhooks" -> new Verification.StandardWebhooks(secretName(verify));
          case "hmac" -> {
            Duration maxAge = duration(verify, "maxAgeSeconds", "callback.verify.maxAgeSeconds");
            yield new Verification.TimestampedHmac(
                secretName(verify),
                orDefault(text(verify, "header", "callback.verify.header"), "X-Webhook-Signature"),
                orDefault(text(verify, "version", "callback.verify.version"), "v1"),
                maxAge == null ? Duration.ofMinutes(5) : maxAge,
                text(verify, "apiKeySecret", "callback.verify.apiKeySecret"));
          }
          case "refetch" -> {
            String apiKeySecret = text(verify, "apiKeySecret", "callback.verify.apiKeySecret");
            if (apiKeySecret == null) {
              throw new SpecException("callback.verify.apiKeySecret", "missing: name the runtime secret with the API key used to re-read the status");
            }
            yield new Verification.Refetch(apiKeySecret);
          }
          default ->
              throw new SpecException(
                  "callback.verify.scheme", "'" + scheme + "' is not a scheme. Use one of ed25519-jwks, standard-webhooks, hmac, refetch.");
        };
    return read;
  }

  private static String secretName(JsonNode verify) {
    String secret = text(verify, "secret", "callback.verify.secret");
    if (secret == null) {
      throw new SpecException("callback.verify.secret", "missing: name the runtime secret that holds the signing key, e.g. \"MY_WEBHOOK_SECRET\"");
    }
    return secret;
  }

  /** {@code "options"}: the options the spec understands, each declared once. */
  private static List<ProviderOption> options(JsonNode options) {
    if (options == null || options.isNull()) {
      return null;
    }
    if (!options.isArray()) {
      throw new SpecException("options", "must be a list of {\"name\", \"type\", \"description\", …}; [] when the provider takes no options");
    }
    List<ProviderOption> declared = new ArrayList<>();
    for (int i = 0; i < options.size(); i++) {
      String where = "options[" + i + "]";
      JsonNode option = options.get(i);
      knownKeys(option, OPTION, where);
      String name = requiredText(option, "name", where);
      if (!OPTION_NAME.matcher(name).matches()) {
        throw new SpecException(where + ".name", "'" + name + "' is not a name: use letters, digits and _, starting with a letter");
      }
      if (declared.stream().anyMatch(o -> o.name().equals(name))) {
        throw new SpecException(where + ".name", "'" + name + "' is declared twice");
      }
      where = "options." + name;
      ProviderOption.Type type = enumValue(ProviderOption.Type.class, requiredText(option, "type", where), where + ".type");
      List<String> choices = strings(option.get("choices"), where + ".choices");
      if (type == ProviderOption.Type.CHOICE && choices.isEmpty()) {
        throw new SpecException(where + ".choices", "missing: a choice option lists its values, e.g. [\"text_to_image\", \"image_to_video\"]");
      }
      if (type != ProviderOption.Type.CHOICE && !choices.isEmpty()) {
        throw new SpecException(where + ".choices", "only a choice option lists choices; this one is " + type.id());
      }
      if (type == ProviderOption.Type.CHOICE && (option.get("default") == null || option.get("default").isNull())) {
        throw new SpecException(where + ".default", "missing: a choice option names the value the provider uses when none is given");
      }
      String description = requiredText(option, "description", where);
      if (description.contains("\n") || description.length() > 200) {
        throw new SpecException(where + ".description", "must be one line of at most 200 characters");
      }
      ProviderOption read = new ProviderOption(name, type, choices, option.get("default"), description);
      String problem = read.problemWith(read.defaultValue());
      if (problem != null) {
        throw new SpecException(where + ".default", "'" + read.defaultValue() + "' " + problem);
      }
      declared.add(read);
    }
    return declared;
  }

  /** {@code "modeler"}: how a preset appears in Camunda Modeler. */
  private static ModelerEntry modeler(JsonNode modeler) {
    if (modeler == null || modeler.isNull()) {
      return null;
    }
    knownKeys(modeler, MODELER, "modeler");
    JsonNode version = required(modeler, "version", "modeler");
    if (!version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
      throw new SpecException("modeler.version", "must be a whole number from 1 on, raised whenever the template's bindings change");
    }
    List<String> keywords = strings(modeler.get("keywords"), "modeler.keywords");
    if (keywords.isEmpty()) {
      throw new SpecException("modeler.keywords", "missing: list what a modeler searches for, e.g. [\"fal\", \"image\", \"video\"]");
    }
    String secret = requiredText(modeler, "apiKeySecret", "modeler");
    if (!SECRET_NAME.matcher(secret).matches()) {
      throw new SpecException("modeler.apiKeySecret", "'" + secret + "' is not a secret name such as FAL_KEY");
    }
    JsonNode icon = required(modeler, "icon", "modeler");
    knownKeys(icon, ICON, "modeler.icon");
    String letters = requiredText(icon, "letters", "modeler.icon");
    if (letters.length() > 3) {
      throw new SpecException("modeler.icon.letters", "'" + letters + "' is too long: one to three letters");
    }
    String color = requiredText(icon, "color", "modeler.icon");
    if (!COLOR.matcher(color).matches()) {
      throw new SpecException("modeler.icon.color", "'" + color + "' is not a colour such as #1f6feb");
    }
    return new ModelerEntry(
        requiredText(modeler, "name", "modeler"),
        version.asInt(),
        keywords,
        secret,
        letters,
        color,
        strings(modeler.get("exampleModels"), "modeler.exampleModels"),
        requiredText(modeler, "exampleInput", "modeler"));
  }

  private static Timing timing(JsonNode poll) {
    String backoff = text(poll, "backoff", "pollConfig.backoff");
    double jitter = poll.has("jitter") ? poll.get("jitter").asDouble() : Timing.DEFAULT.jitter();
    if (jitter < 0 || jitter > 1) {
      throw new SpecException("pollConfig.jitter", "must be between 0 and 1, e.g. 0.1");
    }
    return new Timing(
        duration(poll, "interval"),
        backoff == null ? null : enumValue(Timing.Backoff.class, backoff, "pollConfig.backoff"),
        duration(poll, "maxInterval"),
        jitter,
        duration(poll, "maxDuration"));
  }

  private static Auth auth(JsonNode auth) {
    if (auth == null || auth.isNull()) {
      return Auth.bearer();
    }
    if (auth.isTextual() && auth.asText().equals("none")) {
      return null;
    }
    knownKeys(auth, AUTH, "auth");
    return new Auth(requiredText(auth, "header", "auth"), text(auth, "prefix", "auth.prefix"));
  }

  private static String origin(String url, String field) {
    if (url == null) {
      throw new SpecException("baseUrl", "missing: with submit routes, say the provider's base URL, e.g. \"https://api.example.com\"");
    }
    String literal = url.contains("{") ? url.substring(0, url.indexOf('{')) : url;
    try {
      URI uri = URI.create(literal);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      throw new SpecException(field, "'" + url + "' must start with an absolute URL such as https://api.example.com/…, or set \"baseUrl\"");
    }
  }

}
