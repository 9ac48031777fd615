package io.aigen.camunda.connector.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A reference to a runtime secret in a task's input, as Camunda writes it: {@code {{secrets.NAME}}}. */
public final class SecretReference {

  /** Group 1 is the secret's name. */
  public static final Pattern PATTERN = Pattern.compile("\\{\\{\\s*secrets\\.([^}\\s]+)\\s*}}");

  private SecretReference() {}

  /** The name of the first secret {@code text} still refers to, when the runtime could not resolve it. */
  public static Optional<String> unresolvedIn(String text) {
    Matcher matcher = PATTERN.matcher(text);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
