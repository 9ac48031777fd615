package io.aigen.camunda.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunda.client.api.search.response.ProcessDefinition;
import io.camunda.client.api.search.response.SearchResponse;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.IntermediateCatchEvent;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The process definitions the inbound runtime's importer sees on the embedded engine: the latest
 * version of each, in one page followed by an empty one, whoever deployed them.
 */
class EmbeddedProcessDefinitionsTest {

  private ZeebeTestEngine engine;
  private ZeebeClient client;

  @BeforeEach
  void start() {
    engine = LoopbackEngine.create(InetAddress.getLoopbackAddress(), freePort());
    engine.start();
    client = engine.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    engine.stop();
  }

  @Test
  void latestVersionsInOnePageThenAnEmptyOne() {
    EmbeddedProcessDefinitions definitions = EmbeddedProcessDefinitions.of(engine);
    assertThat(definitions.readsLog()).as("reads the engine's log, not the record stream that keeps copies").isTrue();

    deploy("first", "v1");
    deploy("second", "v1");
    long latestFirst = deploy("first", "v2");

    SearchResponse<ProcessDefinition> page = definitions.queryProcessDefinitions(null);
    assertThat(page.page().endCursor()).as("a cursor, or the importer asks for the first page again").isNotBlank();
    assertThat(page.items()).extracting(ProcessDefinition::getProcessDefinitionId).containsExactlyInAnyOrder("first", "second");
    ProcessDefinition first = page.items().stream().filter(d -> d.getProcessDefinitionId().equals("first")).findFirst().orElseThrow();
    assertThat(first.getVersion()).isEqualTo(2);
    assertThat(first.getProcessDefinitionKey()).isEqualTo(latestFirst);
    assertThat(first.getTenantId()).isEqualTo("<default>");
    assertThat(definitions.queryProcessDefinitions(page.page().endCursor()).items()).isEmpty();

    BpmnModelInstance model = definitions.getProcessModel(latestFirst);
    assertThat((Object) model.getModelElementById("wait-v2")).isInstanceOf(IntermediateCatchEvent.class);

    long third = deploy("third", "v1");
    assertThat((Object) definitions.getProcessModel(third).getModelElementById("wait-v1")).as("deployed after the last query").isNotNull();
    assertThat(definitions.queryProcessDefinitions(null).items()).hasSize(3);
    assertThatThrownBy(() -> definitions.getProcessModel(42L)).isInstanceOf(NoSuchElementException.class);
    definitions.close();
  }

  @Test
  void theRecordStreamFallbackSeesTheSame() {
    deploy("fallback", "v1");
    EmbeddedProcessDefinitions fromLog = EmbeddedProcessDefinitions.of(engine);
    EmbeddedProcessDefinitions fromRecords =
        new EmbeddedProcessDefinitions(new EmbeddedProcessDefinitions.RecordStreamFeed(engine.getRecordStreamSource()));
    assertThat(keys(fromRecords)).isEqualTo(keys(fromLog)).isNotEmpty();
  }

  private static List<Long> keys(EmbeddedProcessDefinitions definitions) {
    return definitions.queryProcessDefinitions(null).items().stream().map(ProcessDefinition::getProcessDefinitionKey).sorted().toList();
  }

  private long deploy(String processId, String version) {
    BpmnModelInstance model =
        Bpmn.createExecutableProcess(processId)
            .startEvent()
            .intermediateCatchEvent("wait-" + version)
            .message(m -> m.name("done").zeebeCorrelationKeyExpression("key"))
            .endEvent()
            .done();
    return client
        .newDeployResourceCommand()
        .addProcessModel(model, processId + ".bpmn")
        .send()
        .join()
        .getProcesses()
        .getFirst()
        .getProcessDefinitionKey();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
