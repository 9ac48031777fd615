package io.aigen.camunda.runtime.cluster;

import io.camunda.client.api.search.response.ElementInstance;
import io.camunda.client.api.search.response.ProcessDefinition;
import io.camunda.client.api.search.response.SearchResponse;
import io.camunda.client.api.search.response.Variable;
import io.camunda.connector.runtime.inbound.search.SearchQueryClient;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camunda's process search for inbound connectors, with its failures reported once, as a WARN that
 * says what to set, instead of the importer's ERROR with a stack trace every 5 seconds (that
 * logger is switched off in {@code application.properties}). A failure is still thrown, so the
 * importer keeps what it activated and tries again; recovery is logged at INFO.
 */
final class ReportedProcessSearch implements SearchQueryClient {

  private static final Logger LOG = LoggerFactory.getLogger(ReportedProcessSearch.class);

  private final SearchQueryClient delegate;
  private final String restAddress;
  private final AtomicBoolean failing = new AtomicBoolean();

  ReportedProcessSearch(SearchQueryClient delegate, String restAddress) {
    this.delegate = delegate;
    this.restAddress = restAddress;
  }

  @Override
  public SearchResponse<ProcessDefinition> queryProcessDefinitions(String paginationIndex) {
    try {
      SearchResponse<ProcessDefinition> page = delegate.queryProcessDefinitions(paginationIndex);
      if (failing.compareAndSet(true, false)) {
        LOG.info("Inbound connectors can search deployed processes again at {}", restAddress);
      }
      return page;
    } catch (RuntimeException e) {
      if (failing.compareAndSet(false, true)) {
        LOG.warn(
            "Inbound connectors (the AI generation callback template) cannot search deployed processes: the cluster's REST API at {} "
                + "did not answer ({}). Set camunda.client.rest-address to the cluster's REST API, or camunda.connector.polling.enabled=false "
                + "when no process uses an inbound connector. Polling tasks and callbacks at /callbacks/… work either way. Retrying every 5 s quietly.",
            restAddress, rootMessage(e));
      } else {
        LOG.debug("Process search still fails: {}", rootMessage(e));
      }
      throw e;
    }
  }

  @Override
  public BpmnModelInstance getProcessModel(long processDefinitionKey) {
    return delegate.getProcessModel(processDefinitionKey);
  }

  @Override
  public SearchResponse<ElementInstance> queryActiveFlowNodes(long processDefinitionKey, String elementId, String paginationIndex) {
    return delegate.queryActiveFlowNodes(processDefinitionKey, elementId, paginationIndex);
  }

  @Override
  public SearchResponse<Variable> queryVariables(long processInstanceKey, String variablePaginationIndex) {
    return delegate.queryVariables(processInstanceKey, variablePaginationIndex);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
