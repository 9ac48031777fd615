package io.aigen.camunda.connector.error;

/** Ends the task with a BPMN error: the process decides what happens next. */
public class GenerationFailure extends RuntimeException {

  private final ErrorCode code;

  public GenerationFailure(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public static GenerationFailure invalidInput(String field, String problemAndFix) {
    return new GenerationFailure(ErrorCode.AI_INVALID_INPUT, "Invalid input '" + field + "': " + problemAndFix);
  }

  public ErrorCode code() {
    return code;
  }
}
