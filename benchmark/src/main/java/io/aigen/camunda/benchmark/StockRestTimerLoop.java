package io.aigen.camunda.benchmark;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder;

/**
 * Strategy (1), what users build today: Camunda's REST connector ({@code io.camunda:http-json:1})
 * and a timer loop.
 *
 * <pre>
 * start → submit (POST) → status (GET) → done? ─ COMPLETED ─→ result (GET) → end
 *                          ↑                └─ else → timer I ─┐
 *                          └──────────────────────────────────┘
 * </pre>
 *
 * The key is sent as the template's API-key authentication ({@code Authorization: Key
 * {{secrets.FAL_KEY}}}); results are mapped with {@code resultExpression}, as the element template
 * does it.
 */
final class StockRestTimerLoop implements Strategy {

  static final String TYPE = "io.camunda:http-json:1";

  @Override
  public boolean needsStockConnector() {
    return true;
  }

  @Override
  public String id() {
    return "stock";
  }

  @Override
  public String label() {
    return "(1) stock: REST connector + timer loop";
  }

  @Override
  public boolean ours() {
    return false;
  }

  @Override
  public String describe(Options options) {
    return label() + ": POST submit, GET status, gateway on status, timer " + Format.duration(options.interval())
        + " back to status, GET result; " + TYPE + " (connector-http-json 8.8.7) with the runtime's default job worker settings";
  }

  @Override
  public String processId() {
    return "bench-stock";
  }

  @Override
  public String waitElementId() {
    return "result";
  }

  @Override
  public BpmnModelInstance process(Setting setting) {
    String interval = setting.options().interval().toString();
    return Bpmn.createExecutableProcess(processId())
        .startEvent("start")
        .serviceTask("submit", task -> rest(task, "POST", setting.falBaseUrl() + "/fal-ai/flux/dev")
            .zeebeInput("=input", "body")
            .zeebeTaskHeader("resultExpression", "={statusUrl: response.body.status_url, responseUrl: response.body.response_url}"))
        .serviceTask("status", task -> rest(task, "GET", "=statusUrl")
            .zeebeTaskHeader("resultExpression", "={falStatus: response.body.status}"))
        .exclusiveGateway("done")
        .conditionExpression("falStatus = \"COMPLETED\"")
        .serviceTask("result", task -> rest(task, "GET", "=responseUrl")
            .zeebeTaskHeader("resultExpression", "={images: response.body.images}"))
        .endEvent("end")
        .moveToNode("done")
        .conditionExpression("falStatus != \"COMPLETED\"")
        .intermediateCatchEvent("wait")
        .timerWithDuration(interval)
        .connectTo("status")
        .done();
  }

  private static ServiceTaskBuilder rest(ServiceTaskBuilder task, String method, String url) {
    return task.zeebeJobType(TYPE)
        .zeebeJobRetries("3")
        .zeebeInput("apiKey", "authentication.type")
        .zeebeInput("headers", "authentication.apiKeyLocation")
        .zeebeInput("Authorization", "authentication.name")
        .zeebeInput("Key {{secrets.FAL_KEY}}", "authentication.value")
        .zeebeInput(method, "method")
        .zeebeInput(url, "url")
        .zeebeInput("20", "connectionTimeoutInSeconds")
        .zeebeInput("20", "readTimeoutInSeconds")
        .zeebeTaskHeader("retryBackoff", "PT0S");
  }
}
