package io.aigen.camunda.benchmark;

import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.util.Map;

/**
 * One way of waiting for a slow provider job from BPMN. The harness deploys {@link #process}, starts
 * instances with the variable {@code input = {prompt, sandbox: {durationMs: D}}} (the sandbox's fal
 * queue takes that as the model input) and measures until every instance has completed.
 *
 * <p>To add a strategy: implement this, list it in {@link Strategies}, and, if it needs pieces that
 * do not exist yet, throw {@link NotAvailableYet} from {@link #checkAvailable}: the runner then
 * prints a note instead of a row.
 */
interface Strategy {

  /** Short id for {@code --strategies=}. */
  String id();

  /** Row label in the tables. */
  String label();

  /** Whether this is one of ours (a ratio to the stock approach is printed for it). */
  boolean ours();

  /** One line printed under the table: how it waits. */
  String describe(Options options);

  /** Throws {@link NotAvailableYet} when the strategy cannot run yet; the runner skips it. */
  default void checkAvailable() {}

  /** BPMN process id of {@link #process}. */
  String processId();

  /**
   * The element whose ELEMENT_COMPLETED record marks "process continues": from then on the process
   * holds the provider's result.
   */
  String waitElementId();

  BpmnModelInstance process(Setting setting);

  /**
   * Whether the runtime needs Camunda's REST connector ({@code io.camunda:http-json:1}). Without it,
   * the runtime's class path leaves that connector out, as the runtime ships: its idle job worker
   * would ask the engine for jobs every 100 ms for nothing.
   */
  default boolean needsStockConnector() {
    return false;
  }

  /** Extra {@code --name=value} properties for the connector runtime. */
  default Map<String, String> runtimeProperties(Setting setting) {
    return Map.of();
  }

  /**
   * What a strategy may depend on when it builds its process.
   *
   * @param options the command line
   * @param sandbox the provider sandbox (e.g. its fal JWKS URL for callbacks)
   * @param falBaseUrl the sandbox's stand-in for {@code https://queue.fal.run}
   * @param runtimeBaseUrl where the connector runtime listens ({@code http://127.0.0.1:<port>})
   * @param maxDuration a max duration for our tasks that no run reaches
   */
  record Setting(
      Options options, io.aigen.camunda.sandbox.ProviderSandbox sandbox, String falBaseUrl, String runtimeBaseUrl, java.time.Duration maxDuration) {}
}
