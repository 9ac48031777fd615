package io.aigen.camunda.connector.activity;

/** Where in a process a generation's task is; {@code null} fields when it is not known (a callback). */
public record TaskOrigin(String processId, Long processInstanceKey, String elementId, Long elementInstanceKey) {

  public static final TaskOrigin UNKNOWN = new TaskOrigin(null, null, null, null);
}
