package io.aigen.camunda.sandbox.faults;

/**
 * A way providers misbehave, as the sandbox injects it into a share of its answers ({@link
 * FaultPlan}). Kinds marked {@link #providerHandled()} let the provider do its work first (a submit
 * creates its job) and spoil only the answer; the others answer instead of the provider.
 */
public enum FaultKind {
  /** 500, 502 or 503 (reads: 502, 503 or 504) with a JSON detail, instead of the provider's answer. */
  SERVER_ERROR(false),
  /** 429 with {@code Retry-After} ({@link FaultPlan#retryAfterSeconds()}), instead of the answer. */
  RATE_LIMITED(false),
  /** The connection is closed without any answer, before the provider saw the request. */
  CONNECTION_RESET(false),
  /** The provider's answer, sent {@link FaultPlan#slowAnswer()} late: after the client gave up. */
  READ_TIMEOUT(true),
  /** The provider's status and headers with half of its JSON body. */
  MALFORMED_JSON(true),
  /** A status answer whose {@code status} (or {@code state}) is a value no provider documents. */
  UNKNOWN_STATUS(true),
  /** 200 with an empty body. */
  EMPTY_BODY(true),
  /** Submits only: the job was created, then the answer is a 500. */
  CREATED_THEN_ERROR(true);

  /** The value {@link #UNKNOWN_STATUS} puts in place of the status. */
  public static final String UNKNOWN_STATUS_VALUE = "SANDBOX_UNDOCUMENTED_STATE";

  private final boolean providerHandled;

  FaultKind(boolean providerHandled) {
    this.providerHandled = providerHandled;
  }

  /** The provider handled the request (a submit created its job); only its answer is spoiled. */
  public boolean providerHandled() {
    return providerHandled;
  }

  /** Whether the kind can hit this request: unknown status only on reads, created-then-error only on submits. */
  boolean appliesTo(boolean submit, String method) {
    return switch (this) {
      case UNKNOWN_STATUS -> !submit && method.equals("GET");
      case CREATED_THEN_ERROR -> submit;
      default -> true;
    };
  }
}
