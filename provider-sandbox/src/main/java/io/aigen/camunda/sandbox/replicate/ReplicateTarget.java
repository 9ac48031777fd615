package io.aigen.camunda.sandbox.replicate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Replicate prediction runs (docs/providers.md §2.1): a model version, an official model, or a
 * deployment.
 *
 * @param model {@code owner/name}
 * @param version 64 hex digits, or {@code hidden} for an official model
 * @param deployment {@code owner/name} of the deployment; {@code null} otherwise
 */
record ReplicateTarget(String model, String version, String deployment) {

  static final String HIDDEN_VERSION = "hidden";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern VERSION =
      Pattern.compile("(?:(" + NAME + "/" + NAME + "):)?([0-9a-f]{64})|(" + NAME + "/" + NAME + ")");

  /**
   * The {@code version} of {@code POST /predictions}: {@code owner/name}, {@code owner/name:<64 hex>}
   * or {@code <64 hex>}. A bare version id does not say which model it belongs to; the sandbox
   * names it {@code sandbox/<first 8 hex digits>}.
   */
  static Optional<ReplicateTarget> fromVersion(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.matches()) {
      return Optional.empty();
    }
    if (m.group(3) != null) {
      return Optional.of(new ReplicateTarget(m.group(3), HIDDEN_VERSION, null));
    }
    String hex = m.group(2);
    String model = m.group(1) != null ? m.group(1) : "sandbox/" + hex.substring(0, 8);
    return Optional.of(new ReplicateTarget(model, hex, null));
  }

  /** {@code POST /models/{owner}/{name}/predictions}: an official model, whose version is hidden. */
  static Optional<ReplicateTarget> officialModel(String owner, String name) {
    return validName(owner, name) ? Optional.of(new ReplicateTarget(owner + "/" + name, HIDDEN_VERSION, null)) : Optional.empty();
  }

  /** {@code POST /deployments/{owner}/{name}/predictions}: runs a version pinned by the deployment. */
  static Optional<ReplicateTarget> deployment(String owner, String name) {
    if (!validName(owner, name)) {
      return Optional.empty();
    }
    String id = owner + "/" + name;
    return Optional.of(new ReplicateTarget(id, pinnedVersion(id), id));
  }

  private static boolean validName(String owner, String name) {
    return NAME.matcher(owner).matches() && NAME.matcher(name).matches();
  }

  private static String pinnedVersion(String deployment) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(deployment.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
