package io.camunda.dropin;

import io.camunda.client.api.search.response.ElementInstance;
import io.camunda.client.api.search.response.ProcessDefinition;
import io.camunda.client.api.search.response.SearchResponse;
import io.camunda.client.api.search.response.SearchResponsePage;
import io.camunda.client.api.search.response.Variable;
import io.camunda.connector.runtime.inbound.search.SearchQueryClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.ProcessIntent;
import io.camunda.zeebe.protocol.record.value.deployment.Process;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Stands in for the cluster's REST search, which the in-memory engine lacks: Camunda's inbound
 * runtime asks it for deployed processes to find inbound connectors. Test infrastructure, the
 * equivalent of a cluster; not part of the application under test.
 */
final class EngineProcessSearch implements SearchQueryClient {

  private final ZeebeTestEngine engine;

  EngineProcessSearch(ZeebeTestEngine engine) {
    this.engine = engine;
  }

  @Override
  public SearchResponse<ProcessDefinition> queryProcessDefinitions(String paginationIndex) {
    if (paginationIndex != null) {
      return new Page<>(List.of(), null);
    }
    List<ProcessDefinition> deployed = deployed().stream().map(Deployed::new).map(ProcessDefinition.class::cast).toList();
    return new Page<>(deployed, "all");
  }

  @Override
  public BpmnModelInstance getProcessModel(long processDefinitionKey) {
    Process process = deployed().stream().filter(p -> p.getProcessDefinitionKey() == processDefinitionKey).findFirst().orElseThrow();
    return Bpmn.readModelFromStream(new ByteArrayInputStream(process.getResource()));
  }

  @Override
  public SearchResponse<ElementInstance> queryActiveFlowNodes(long processDefinitionKey, String elementId, String paginationIndex) {
    return new Page<>(List.of(), null);
  }

  @Override
  public SearchResponse<Variable> queryVariables(long processInstanceKey, String variablePaginationIndex) {
    return new Page<>(List.of(), null);
  }

  private List<Process> deployed() {
    return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false)
        .filter(r -> r.getValueType() == ValueType.PROCESS && r.getRecordType() == RecordType.EVENT && r.getIntent() == ProcessIntent.CREATED)
        .map(Record::getValue)
        .map(Process.class::cast)
        .toList();
  }

  private record Deployed(Process process) implements ProcessDefinition {
    @Override
    public long getProcessDefinitionKey() {
      return process.getProcessDefinitionKey();
    }

    @Override
    public String getName() {
      return process.getBpmnProcessId();
    }

    @Override
    public String getResourceName() {
      return process.getResourceName();
    }

    @Override
    public int getVersion() {
      return process.getVersion();
    }

    @Override
    public String getVersionTag() {
      return process.getVersionTag();
    }

    @Override
    public String getProcessDefinitionId() {
      return process.getBpmnProcessId();
    }

    @Override
    public String getTenantId() {
      return process.getTenantId();
    }

    @Override
    public Boolean getHasStartForm() {
      return false;
    }
  }

  private record Page<T>(List<T> items, String endCursor) implements SearchResponse<T>, SearchResponsePage {
    @Override
    public SearchResponsePage page() {
      return this;
    }

    @Override
    public Long totalItems() {
      return (long) items.size();
    }

    @Override
    public String startCursor() {
      return null;
    }
  }
}
