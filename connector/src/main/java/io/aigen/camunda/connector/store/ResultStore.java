package io.aigen.camunda.connector.store;

/**
 * Keeps files that a provider returns as bytes (a video, dubbed audio), so that process variables
 * carry a URL and never the bytes.
 */
public interface ResultStore {

  /** The largest file a store keeps unless configured otherwise: 32 MB. */
  long DEFAULT_MAX_FILE_BYTES = 32L * 1024 * 1024;

  /**
   * Stores one file.
   *
   * @param name a file name unique to the job, e.g. {@code stability-video-<id>-0.mp4}
   * @return where the process finds it
   */
  StoredFile store(String name, String contentType, byte[] content);

  /** The largest file this store keeps, in bytes. */
  default long maxFileBytes() {
    return DEFAULT_MAX_FILE_BYTES;
  }

  /** Whether {@code url} is a file of this store, so there is nothing to copy. */
  default boolean holds(String url) {
    return false;
  }

  /** A stored file as the process sees it. */
  record StoredFile(String url, String name, String contentType, long sizeBytes) {}
}
