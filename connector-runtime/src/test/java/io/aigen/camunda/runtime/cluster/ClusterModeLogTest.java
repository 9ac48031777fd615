package io.aigen.camunda.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.camunda.client.api.search.response.ElementInstance;
import io.camunda.client.api.search.response.ProcessDefinition;
import io.camunda.client.api.search.response.SearchResponse;
import io.camunda.client.api.search.response.Variable;
import io.camunda.connector.runtime.inbound.search.SearchQueryClient;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The runtime's log against an external engine without a REST API, as the README describes it. */
@ExtendWith(OutputCaptureExtension.class)
class ClusterModeLogTest {

  @Test
  void anEngineWithoutRestRunsAGenerationWithoutAWarning(CapturedOutput output) {
    // RuntimeStack starts the runtime as the README's command does: auth none, polling off
    try (RuntimeStack stack = RuntimeStack.start(SandboxOptions.defaults()).deployExamples("processes/ai-generation-fal.bpmn").completeJobsOf("aigen-demo:report");
        var runtime = stack.startRuntime(List.of(), "--AIGEN_SECRET_FAL_KEY=sandbox-key")) {
      Map<String, Object> variables = stack.run("ai-generation-fal", Map.of("title", "log test", "input", Map.of("prompt", "a lighthouse")));
      assertThat(((Map<?, ?>) variables.get("generation")).get("status")).isEqualTo("SUCCEEDED");
    }
    List<String> noisy =
        output.getAll().lines().filter(line -> line.contains("[ai-generation-connector-runtime]")).filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    assertThat(noisy).as("WARN/ERROR lines in the runtime's log").isEmpty();
  }

  @Test
  void aSearchThatFailsIsReportedOnceAsAWarningNamingTheSettingsAndStillFails(CapturedOutput output) {
    AtomicBoolean restUp = new AtomicBoolean(false);
    ReportedProcessSearch search = new ReportedProcessSearch(new Unreachable(restUp), "http://zeebe:8080");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> search.queryProcessDefinitions(null)).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("Connection refused");
    }
    restUp.set(true);
    assertThat(search.queryProcessDefinitions(null)).isNull();

    List<String> warnings = output.getAll().lines().filter(line -> line.contains(" WARN ")).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("http://zeebe:8080").contains("camunda.client.rest-address").contains("camunda.connector.polling.enabled=false");
    assertThat(output.getAll()).contains("can search deployed processes again");
  }

  /** A REST search whose cluster refuses connections until {@code up}. */
  private record Unreachable(AtomicBoolean up) implements SearchQueryClient {
    @Override
    public SearchResponse<ProcessDefinition> queryProcessDefinitions(String paginationIndex) {
      if (!up.get()) {
        throw new IllegalStateException("search failed", new java.net.ConnectException("Connection refused"));
      }
      return null;
    }

    @Override
    public BpmnModelInstance getProcessModel(long processDefinitionKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SearchResponse<ElementInstance> queryActiveFlowNodes(long processDefinitionKey, String elementId, String paginationIndex) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SearchResponse<Variable> queryVariables(long processInstanceKey, String variablePaginationIndex) {
      throw new UnsupportedOperationException();
    }
  }
}
