package io.aigen.camunda.connector.job;

import io.aigen.camunda.connector.error.ProviderUnavailable;
import io.aigen.camunda.connector.http.ProviderHttp;
import io.aigen.camunda.connector.spec.MediaHosts;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.store.ResultStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The task option {@code keepOutputs}: copies every output URL of a finished job into the result
 * store, so the process keeps what the provider deletes after a while. Downloads carry no
 * credentials and go only to the provider's own host or one of its media hosts ({@link
 * PollSpec#mediaHosts()}); plain {@code http} only to the provider's own origin.
 *
 * <p>An output that cannot be copied for good (too large, not media, gone, on another host) keeps
 * its provider URL and a warning says why. One that failed for a passing reason (unreachable, 5xx,
 * 429) is tried again on the poll schedule, and kept as a warning on the last attempt.
 */
record OutputKeeper(PollSpec spec, ProviderHttp http, ResultStore store) {

  private static final int MAX_REDIRECTS = 3;
  private static final Set<Integer> PASSING = Set.of(408, 425, 429, 500, 502, 503, 504);
  private static final Set<String> BINARY = Set.of("application/octet-stream", "binary/octet-stream");

  /** Why one output was not copied. */
  private static final class NotKept extends Exception {
    NotKept(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * The result with copies' URLs in {@code outputs} and the provider's in {@code originalOutputs}.
   *
   * @param lastAttempt no later attempt comes: a passing failure becomes a warning too
   * @throws ProviderUnavailable when an output could not be copied for a passing reason and this is
   *     not the last attempt
   */
  GenerationResult keep(GenerationResult result, boolean lastAttempt) {
    List<String> outputs = new ArrayList<>();
    List<String> warnings = new ArrayList<>(result.warnings());
    for (int i = 0; i < result.outputs().size(); i++) {
      String url = result.outputs().get(i);
      if (store.holds(url)) {
        outputs.add(url);
        continue;
      }
      try {
        outputs.add(copy(result, i, url));
      } catch (NotKept notKept) {
        outputs.add(url);
        warnings.add("Output " + (i + 1) + " (" + withoutQuery(url) + ") was not kept: " + notKept.getMessage()
            + ". The process has the provider's URL, which expires.");
      } catch (ProviderUnavailable passing) {
        if (!lastAttempt) {
          throw passing;
        }
        outputs.add(url);
        warnings.add("Output " + (i + 1) + " (" + withoutQuery(url) + ") was not kept: " + passing.getMessage()
            + ", until the task's max duration. The process has the provider's URL, which expires.");
      }
    }
    return new GenerationResult(
        result.status(), result.provider(), result.jobId(), outputs, result.providerResult(), result.metrics(), warnings, result.outputs());
  }

  private String copy(GenerationResult result, int index, String url) throws NotKept {
    String current = url;
    for (int redirects = 0; ; redirects++) {
      requireMediaHost(current);
      ProviderHttp.Download download;
      try {
        download = http.download(current, store.maxFileBytes());
      } catch (ProviderHttp.TooLarge tooLarge) {
        throw new NotKept("it is larger than the result store's limit of " + store.maxFileBytes() + " bytes (aigen.results.max-file-size)");
      } catch (IOException e) {
        throw new ProviderUnavailable("downloading it failed (" + e.getMessage() + ")", null);
      }
      if (download.code() >= 300 && download.code() < 400 && download.location() != null) {
        if (redirects == MAX_REDIRECTS) {
          throw new NotKept("it redirects more than " + MAX_REDIRECTS + " times");
        }
        current = URI.create(current).resolve(download.location()).toString();
        continue;
      }
      if (PASSING.contains(download.code())) {
        throw new ProviderUnavailable("its host answered HTTP " + download.code(), null);
      }
      if (download.code() != 200) {
        throw new NotKept("its host answered HTTP " + download.code() + (download.code() == 404 || download.code() == 410 ? " (it is gone)" : ""));
      }
      String type = baseType(download.contentType());
      if (type == null || !(type.startsWith("image/") || type.startsWith("video/") || type.startsWith("audio/") || BINARY.contains(type))) {
        throw new NotKept("its content type is " + (type == null ? "missing" : "'" + type + "'") + ", not an image, video or audio file");
      }
      String name = (result.provider() + "-" + result.jobId() + "-output-" + index).replaceAll("[^A-Za-z0-9._-]", "_") + extension(type, url);
      return store.store(name, type, download.body()).url();
    }
  }

  /** The provider's own origin, or https on one of its media hosts. */
  private void requireMediaHost(String url) throws NotKept {
    URI target;
    try {
      target = new URI(url);
    } catch (URISyntaxException e) {
      throw new NotKept("it is not a valid URL");
    }
    URI base = URI.create(spec.baseUrl());
    String scheme = String.valueOf(target.getScheme()).toLowerCase(Locale.ROOT);
    boolean providerOrigin = scheme.equalsIgnoreCase(base.getScheme()) && String.valueOf(target.getHost()).equalsIgnoreCase(base.getHost()) && port(target) == port(base);
    boolean mediaHost = scheme.equals("https") && MediaHosts.matches(spec.mediaHosts(), target.getHost());
    if (!providerOrigin && !mediaHost) {
      throw new NotKept(
          "its host " + target.getHost() + " is neither the provider's (" + base.getHost() + ") nor one of its media hosts " + spec.mediaHosts()
              + "; add it with aigen.providers." + spec.id() + ".media-hosts (or mediaHosts in a custom spec) if it is the provider's CDN");
    }
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String baseType(String contentType) {
    return contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  /** The URL's own extension when it has a short one, else one for the content type. */
  private static String extension(String contentType, String url) {
    String path = withoutQuery(url);
    int dot = path.lastIndexOf('.');
    if (dot > path.lastIndexOf('/') && path.length() - dot <= 6 && path.substring(dot + 1).matches("[A-Za-z0-9]+")) {
      return path.substring(dot).toLowerCase(Locale.ROOT);
    }
    return ResultCollector.extension(contentType);
  }
}
