package io.aigen.camunda.benchmark;

import java.util.List;

/** The strategies {@code --strategies=} can name, in table order. */
final class Strategies {

  private Strategies() {}

  static final List<Strategy> ALL = List.of(new StockRestTimerLoop(), new GeneratePolling(), new SubmitCallback());

  static Strategy byId(String id) {
    return ALL.stream()
        .filter(s -> s.id().equals(id.trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown strategy '" + id + "'; known: " + ALL.stream().map(Strategy::id).toList()));
  }
}
