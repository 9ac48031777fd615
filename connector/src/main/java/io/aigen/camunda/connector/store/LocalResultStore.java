package io.aigen.camunda.connector.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Stores files in a local directory. The runtime serves that directory under {@code
 * <publicBaseUrl>/results/}; without a public base URL the files get {@code file:} URLs.
 */
public final class LocalResultStore implements ResultStore {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Path directory;
  private final String publicBaseUrl;
  private final long maxFileBytes;

  /**
   * @param publicBaseUrl e.g. {@code http://localhost:8080}; {@code null} for {@code file:} URLs
   * @param maxFileBytes the largest file kept
   */
  public LocalResultStore(Path directory, String publicBaseUrl, long maxFileBytes) {
    if (maxFileBytes <= 0) {
      throw new IllegalArgumentException("aigen.results.max-file-size must be positive, e.g. 32MB");
    }
    this.directory = directory;
    this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.replaceAll("/+$", "");
    this.maxFileBytes = maxFileBytes;
  }

  public LocalResultStore(Path directory, String publicBaseUrl) {
    this(directory, publicBaseUrl, DEFAULT_MAX_FILE_BYTES);
  }

  /** A store in {@code <tmp>/aigen-results} with {@code file:} URLs, for use without a runtime. */
  public static LocalResultStore inTempDirectory() {
    return new LocalResultStore(Path.of(System.getProperty("java.io.tmpdir"), "aigen-results"), null);
  }

  public Path directory() {
    return directory;
  }

  @Override
  public long maxFileBytes() {
    return maxFileBytes;
  }

  @Override
  public boolean holds(String url) {
    return url != null && (publicBaseUrl == null ? url.startsWith(directory.toUri().toString()) : url.startsWith(publicBaseUrl + "/results/"));
  }

  @Override
  public StoredFile store(String name, String contentType, byte[] content) {
    if (!SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("unsafe result file name '" + name + "'");
    }
    if (content.length > maxFileBytes) {
      throw new IllegalArgumentException("the file " + name + " has " + content.length + " bytes, more than the result store's limit of " + maxFileBytes + " (aigen.results.max-file-size)");
    }
    try {
      Files.createDirectories(directory);
      Path target = directory.resolve(name);
      // Write beside and move, so a reader never sees half a file.
      Path partial = Files.createTempFile(directory, name, ".part");
      Files.write(partial, content);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      String url = publicBaseUrl == null ? target.toUri().toString() : publicBaseUrl + "/results/" + name;
      return new StoredFile(url, name, contentType, content.length);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store the result file " + name + " in " + directory, e);
    }
  }
}
