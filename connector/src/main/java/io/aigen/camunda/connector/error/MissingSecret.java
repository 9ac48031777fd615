package io.aigen.camunda.connector.error;

/**
 * A {@code {{secrets.NAME}}} that the runtime cannot resolve. No process can fix that, so it is an
 * incident: the operator defines the secret and retries.
 */
public class MissingSecret extends RuntimeException {

  private final String field;
  private final String name;

  public MissingSecret(String field, String name) {
    super("The secret " + name + " (in " + field + ") is not defined in the connector runtime. Define it in the runtime's secret provider and retry.");
    this.field = field;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /**
   * What to fix, naming the environment variable a runtime reads the secret from.
   *
   * @param environmentPrefix the runtime's prefix ({@code camunda.connector.secretprovider.environment.prefix})
   */
  public String describe(String environmentPrefix) {
    String variable = (environmentPrefix == null ? "" : environmentPrefix) + name;
    return "The secret " + name + " (in " + field + ") is not defined in this connector runtime. Set the environment variable " + variable
        + " (or define " + name + " in the runtime's secret provider), then retry the incident.";
  }
}
