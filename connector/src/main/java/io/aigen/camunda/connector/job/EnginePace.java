package io.aigen.camunda.connector.job;

/**
 * How the engine keeps up, as a factor for poll delays: 1 while it answers promptly, more while its
 * commands slow down, so that waiting jobs poll less often instead of piling commands up.
 */
@FunctionalInterface
public interface EnginePace {

  /** For callers that send no engine commands of their own. */
  EnginePace STEADY = () -> 1.0;

  double stretch();
}
