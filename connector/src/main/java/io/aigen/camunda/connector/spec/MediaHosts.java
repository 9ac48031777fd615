package io.aigen.camunda.connector.spec;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hosts a provider serves its outputs from besides its API host (its CDN): exact host names, or
 * {@code *.example.com} for every subdomain of {@code example.com}.
 */
public final class MediaHosts {

  private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private MediaHosts() {}

  /**
   * The host in lower case.
   *
   * @throws SpecException naming {@code field} when it is not a host name or pattern
   */
  public static String checked(String host, String field) {
    String name = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
    if (!HOST.matcher(name).matches()) {
      throw new SpecException(field, "'" + host + "' is not a host name: write e.g. \"cdn.example.com\" or \"*.example.com\", without scheme, port or path");
    }
    return name;
  }

  /** Whether {@code host} is one of {@code patterns}, or a subdomain of a {@code *.} pattern. */
  public static boolean matches(List<String> patterns, String host) {
    if (host == null) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    for (String pattern : patterns) {
      if (pattern.startsWith("*.") ? name.endsWith(pattern.substring(1)) : name.equals(pattern)) {
        return true;
      }
    }
    return false;
  }
}
