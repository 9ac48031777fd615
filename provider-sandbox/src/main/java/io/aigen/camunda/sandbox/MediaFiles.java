package io.aigen.camunda.sandbox;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Generated media served under {@code /files/}, the sandbox's stand-in for a provider's CDN (no
 * auth, like fal's media URLs). Files are registered when a job is accepted and rendered on first
 * download, then served from memory.
 */
final class MediaFiles {

  static final String MOUNT_PATH = "/files";

  /** What to draw: the prompt on a background derived from it; {@code variant} tells images of one job apart. */
  record ImageSpec(String text, int width, int height, int variant) {}

  private final String baseUrl;
  private final ConcurrentMap<String, StoredImage> images = new ConcurrentHashMap<>();

  /** @param sandboxBaseUrl e.g. {@code http://127.0.0.1:8080} */
  MediaFiles(String sandboxBaseUrl) {
    this.baseUrl = sandboxBaseUrl + MOUNT_PATH + "/";
  }

  /** Registers a PNG under {@code name} (e.g. {@code <id>-0.png}) and returns its absolute URL. */
  String addImage(String name, ImageSpec spec) {
    images.put(name, new StoredImage(spec));
    return baseUrl + name;
  }

  SandboxResponse serve(SandboxRequest request) {
    List<String> segments = request.segments();
    StoredImage image = segments.size() == 2 ? images.get(segments.get(1)) : null;
    if (image == null) {
      return SandboxResponse.json(404, Json.detail("Not Found"));
    }
    if (!request.method().equals("GET")) {
      return SandboxResponse.json(405, Json.detail("Method Not Allowed"));
    }
    return SandboxResponse.bytes(200, "image/png", image.png());
  }

  private static final class StoredImage {
    private final ImageSpec spec;
    private byte[] png;

    StoredImage(ImageSpec spec) {
      this.spec = spec;
    }

    synchronized byte[] png() {
      if (png == null) {
        png = PngRenderer.render(spec);
      }
      return png;
    }
  }
}
