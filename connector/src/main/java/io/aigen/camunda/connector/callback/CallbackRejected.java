package io.aigen.camunda.connector.callback;

/**
 * A callback that is not accepted, with the HTTP status to answer: 4xx when sending it again cannot
 * help (a bad signature stays bad), 503 when it can (the engine or the provider is unreachable).
 */
public final class CallbackRejected extends Exception {

  private final int status;

  public CallbackRejected(int status, String reason) {
    super(reason);
    this.status = status;
  }

  public static CallbackRejected unauthorized(String reason) {
    return new CallbackRejected(401, reason);
  }

  public static CallbackRejected badRequest(String reason) {
    return new CallbackRejected(400, reason);
  }

  public static CallbackRejected unavailable(String reason) {
    return new CallbackRejected(503, reason);
  }

  public int status() {
    return status;
  }
}
