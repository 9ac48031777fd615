package io.aigen.camunda.sandbox.media;

import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Generated media served under {@code /files/}, the sandbox's stand-in for a provider's CDN (no
 * auth, like fal's media URLs). Files are registered when a job is accepted and rendered on first
 * download, then served from memory.
 */
public final class MediaFiles {

  public static final String MOUNT_PATH = "/files";

  /** What to draw: the prompt on a background derived from it; {@code variant} tells images of one job apart. */
  public record ImageSpec(String text, int width, int height, int variant) {}

  private final String baseUrl;
  private final ConcurrentMap<String, StoredImage> images = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, StoredBytes> others = new ConcurrentHashMap<>();

  /** @param sandboxBaseUrl e.g. {@code http://127.0.0.1:8080} */
  public MediaFiles(String sandboxBaseUrl) {
    this.baseUrl = sandboxBaseUrl + MOUNT_PATH + "/";
  }

  /** Registers a PNG under {@code name} (e.g. {@code <id>-0.png}) and returns its absolute URL. */
  public String addImage(String name, ImageSpec spec) {
    images.put(name, new StoredImage(spec));
    return baseUrl + name;
  }

  /**
   * Registers a non-image file (a fake video or audio clip, see {@link FakeMedia}) under {@code
   * name} and returns its absolute URL.
   */
  public String addFile(String name, String contentType, byte[] content) {
    others.put(name, new StoredBytes(contentType, content.clone()));
    return baseUrl + name;
  }

  /**
   * How a job's outputs are served instead of as generated, for tests of clients that download
   * them (the {@code sandbox} knobs {@code outputContentType} and {@code outputBytes}).
   *
   * @param contentType served instead of the real one; {@code null} = the real one
   * @param bytes the file is padded with zeros to this size; {@code null} = as generated
   */
  public record Serving(String contentType, Long bytes) {
    public static final Serving AS_GENERATED = new Serving(null, null);

    boolean asGenerated() {
      return contentType == null && bytes == null;
    }
  }

  /** {@link #addImage}, served as {@code serving} says. */
  public String addImage(String name, ImageSpec spec, Serving serving) {
    if (serving.asGenerated()) {
      return addImage(name, spec);
    }
    images.put(name, new StoredImage(spec, serving));
    return baseUrl + name;
  }

  /** {@link #addFile}, served as {@code serving} says. */
  public String addFile(String name, String contentType, byte[] content, Serving serving) {
    byte[] bytes = serving.bytes() == null || serving.bytes() <= content.length ? content : java.util.Arrays.copyOf(content, Math.toIntExact(serving.bytes()));
    return addFile(name, serving.contentType() == null ? contentType : serving.contentType(), bytes);
  }

  /**
   * Deletes every file served so far, as providers do after a while (Replicate after an hour): they
   * answer 404 from now on.
   *
   * @return how many files were deleted
   */
  public int expireAll() {
    int count = images.size() + others.size();
    images.clear();
    others.clear();
    return count;
  }

  public SandboxResponse serve(SandboxRequest request) {
    List<String> segments = request.segments();
    String name = segments.size() == 2 ? segments.get(1) : null;
    StoredImage image = name == null ? null : images.get(name);
    StoredBytes other = name == null ? null : others.get(name);
    if (image == null && other == null) {
      return SandboxResponse.json(404, Json.detail("Not Found"));
    }
    if (!request.method().equals("GET")) {
      return SandboxResponse.json(405, Json.detail("Method Not Allowed"));
    }
    return image != null
        ? SandboxResponse.bytes(200, image.contentType(), image.png())
        : SandboxResponse.bytes(200, other.contentType(), other.content());
  }

  private record StoredBytes(String contentType, byte[] content) {}

  private static final class StoredImage {
    private final ImageSpec spec;
    private final Serving serving;
    private byte[] png;

    StoredImage(ImageSpec spec) {
      this(spec, Serving.AS_GENERATED);
    }

    StoredImage(ImageSpec spec, Serving serving) {
      this.spec = spec;
      this.serving = serving;
    }

    String contentType() {
      return serving.contentType() == null ? "image/png" : serving.contentType();
    }

    synchronized byte[] png() {
      if (png == null) {
        png = PngRenderer.render(spec);
        if (serving.bytes() != null && serving.bytes() > png.length) {
          png = java.util.Arrays.copyOf(png, Math.toIntExact(serving.bytes()));
        }
      }
      return png;
    }
  }
}
