package io.aigen.camunda.connector.store;

/**
 * Keeps files that a provider returns as bytes (a video, dubbed audio), so that process variables
 * carry a URL and never the bytes.
 */
public interface ResultStore {

  /**
   * Stores one file.
   *
   * @param name a file name unique to the job, e.g. {@code stability-video-<id>-0.mp4}
   * @return where the process finds it
   */
  StoredFile store(String name, String contentType, byte[] content);

  /** A stored file as the process sees it. */
  record StoredFile(String url, String name, String contentType, long sizeBytes) {}
}
