package io.aigen.camunda.connector.spec;

/** A poll spec that cannot be used, with the JSON field at fault, e.g. {@code pollConfig.statusPath}. */
public final class SpecException extends RuntimeException {

  private final String field;

  public SpecException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
