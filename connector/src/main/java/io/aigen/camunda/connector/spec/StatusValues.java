package io.aigen.camunda.connector.spec;

import java.util.List;

/**
 * The provider's words for each phase of a job, compared exactly and case-sensitively.
 *
 * @param running documented only: any word no list names counts as running unless the spec says
 *     otherwise
 */
public record StatusValues(List<String> done, List<String> fail, List<String> cancelled, List<String> running) {

  public StatusValues {
    done = done == null ? List.of() : List.copyOf(done);
    fail = fail == null ? List.of() : List.copyOf(fail);
    cancelled = cancelled == null ? List.of() : List.copyOf(cancelled);
    running = running == null ? List.of() : List.copyOf(running);
  }

  /** The phase a word names, or {@code null} if no list names it. */
  public Phase phaseOf(String value) {
    if (value == null) {
      return null;
    }
    if (done.contains(value)) {
      return Phase.SUCCEEDED;
    }
    if (fail.contains(value)) {
      return Phase.FAILED;
    }
    if (cancelled.contains(value)) {
      return Phase.CANCELLED;
    }
    return running.contains(value) ? Phase.RUNNING : null;
  }
}
