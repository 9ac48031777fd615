#!/usr/bin/env python3
"""Writes the per-provider example processes in connector-runtime/src/main/resources/processes/.

Each is: start -> "Generate" (the AI generation template, operation generate) -> report -> end,
with an error boundary event -> report failure -> end. The diagram (DI) is included so Modeler
shows the layout. Run it after changing the list below; the files are committed.
"""
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "connector-runtime", "src", "main", "resources", "processes")

# provider template value, provider id, secret, model, extra inputs (target -> FEEL/literal), what
EXAMPLES = [
    ("FAL", "fal", "FAL_KEY", "fal-ai/flux/dev", {}, "an image"),
    ("REPLICATE", "replicate", "REPLICATE_API_TOKEN", "black-forest-labs/flux-schnell", {}, "an image"),
    ("RUNWAY", "runway", "RUNWAY_API_KEY", "gen4_turbo", {"options": "={endpoint: \"image_to_video\"}"}, "a video"),
    ("LUMA", "luma", "LUMA_API_KEY", "ray-2", {}, "a video"),
    ("ELEVENLABS_DUBBING", "elevenlabs-dubbing", "ELEVENLABS_API_KEY", None, {}, "a dubbed audio track"),
    ("STABILITY_VIDEO", "stability-video", "STABILITY_API_KEY", None, {}, "a video from an image"),
    ("OXEN", "oxen", "OXEN_API_KEY", "flux-2-dev", {}, "images"),
    ("OXEN_LEGACY", "oxen-legacy", "OXEN_API_KEY", "flux-2-dev", {}, "images"),
    ("UNIFIED_TASK", "unified-task", "UNIFIED_API_KEY", "kling-v3/text-to-video", {}, "a video"),
    ("DO_ASYNC_INVOKE", "do-async-invoke", "DO_MODEL_ACCESS_KEY", "fal-ai/fast-sdxl", {"options": "={tags: [{key: \"source\", value: \"camunda\"}]}"}, "an image"),
    ("CUSTOM", "custom", "CUSTOM_API_KEY", "=if is defined(model) then model else null", {"submitUrl": "=submitUrl", "customSpec": "=pollConfig"}, "anything, described by a poll spec"),
]


def esc(text):
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def process(value, pid, secret, model, extra, what):
    process_id = "ai-generation-" + pid
    inputs = [("provider", value), ("apiKey", "{{secrets.%s}}" % secret)]
    if model:
        inputs.append(("model", model))
    inputs.append(("input", "=input"))
    inputs += list(extra.items())
    inputs.append(("pollInterval", "=if is defined(pollInterval) then pollInterval else null"))
    inputs.append(("maxDuration", "=if is defined(maxDuration) then maxDuration else null"))
    mapping = "\n".join('          <zeebe:input source="%s" target="%s" />' % (esc(v), t) for t, v in inputs)
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
                  xmlns:modeler="http://camunda.org/schema/modeler/1.0"
                  id="{process_id}-definitions"
                  targetNamespace="http://aigen.io/bpmn"
                  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="{process_id}" name="AI generation: {esc(what)} with {pid}" isExecutable="true">
    <bpmn:startEvent id="start" name="Wanted">
      <bpmn:outgoing>toGenerate</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="toGenerate" sourceRef="start" targetRef="generate" />
    <bpmn:serviceTask id="generate" name="Generate ({pid})" zeebe:modelerTemplate="io.aigen.camunda.ai-generation" zeebe:modelerTemplateVersion="1">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="io.aigen:ai-generation:1" retries="3" />
        <zeebe:ioMapping>
{mapping}
        </zeebe:ioMapping>
        <zeebe:taskHeaders>
          <zeebe:header key="operation" value="generate" />
          <zeebe:header key="resultVariable" value="generation" />
          <zeebe:header key="elementTemplateId" value="io.aigen.camunda.ai-generation" />
          <zeebe:header key="elementTemplateVersion" value="1" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toGenerate</bpmn:incoming>
      <bpmn:outgoing>toReportSuccess</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="generationFailed" name="Any AI error" attachedToRef="generate">
      <bpmn:outgoing>toReportFailure</bpmn:outgoing>
      <bpmn:errorEventDefinition id="anyAiError" />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="toReportSuccess" sourceRef="generate" targetRef="reportSuccess" />
    <bpmn:serviceTask id="reportSuccess" name="Report result">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="aigen-demo:report" />
        <zeebe:taskHeaders>
          <zeebe:header key="outcome" value="succeeded" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toReportSuccess</bpmn:incoming>
      <bpmn:outgoing>toDone</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toDone" sourceRef="reportSuccess" targetRef="done" />
    <bpmn:endEvent id="done" name="Generated">
      <bpmn:incoming>toDone</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="toReportFailure" sourceRef="generationFailed" targetRef="reportFailure" />
    <bpmn:serviceTask id="reportFailure" name="Report failure">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="aigen-demo:report" />
        <zeebe:taskHeaders>
          <zeebe:header key="outcome" value="failed" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toReportFailure</bpmn:incoming>
      <bpmn:outgoing>toFailed</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toFailed" sourceRef="reportFailure" targetRef="failed" />
    <bpmn:endEvent id="failed" name="Generation failed">
      <bpmn:incoming>toFailed</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="{process_id}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="generate_di" bpmnElement="generate"><dc:Bounds x="250" y="80" width="120" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="generationFailed_di" bpmnElement="generationFailed"><dc:Bounds x="292" y="142" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="reportSuccess_di" bpmnElement="reportSuccess"><dc:Bounds x="440" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="602" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="reportFailure_di" bpmnElement="reportFailure"><dc:Bounds x="440" y="220" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="failed_di" bpmnElement="failed"><dc:Bounds x="602" y="242" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="toGenerate_di" bpmnElement="toGenerate"><di:waypoint x="188" y="120" /><di:waypoint x="250" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toReportSuccess_di" bpmnElement="toReportSuccess"><di:waypoint x="370" y="120" /><di:waypoint x="440" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toDone_di" bpmnElement="toDone"><di:waypoint x="540" y="120" /><di:waypoint x="602" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toReportFailure_di" bpmnElement="toReportFailure"><di:waypoint x="310" y="178" /><di:waypoint x="310" y="260" /><di:waypoint x="440" y="260" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toFailed_di" bpmnElement="toFailed"><di:waypoint x="540" y="260" /><di:waypoint x="602" y="260" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
'''


if __name__ == "__main__":
    for example in EXAMPLES:
        path = os.path.join(OUT, "ai-generation-%s.bpmn" % example[1])
        with open(path, "w") as f:
            f.write(process(*example))
        print("wrote", os.path.relpath(path))


# Callback examples: submit (wait for callback) -> receive task (message aigen-generation-done,
# correlation key = job id) with a boundary timer -> cancel; a gateway routes on the status.
CALLBACK_EXAMPLES = [
    ("FAL", "fal", "FAL_KEY", "fal-ai/flux/dev"),
    ("REPLICATE", "replicate", "REPLICATE_API_TOKEN", "black-forest-labs/flux-schnell"),
    ("LUMA", "luma", "LUMA_API_KEY", "ray-2"),
    ("UNIFIED_TASK", "unified-task", "UNIFIED_API_KEY", "kling-v3/text-to-video"),
]


def callback_process(value, pid, secret, model):
    process_id = "ai-generation-%s-callback" % pid
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
                  xmlns:modeler="http://camunda.org/schema/modeler/1.0"
                  id="{process_id}-definitions"
                  targetNamespace="http://aigen.io/bpmn"
                  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:message id="generationDone" name="aigen-generation-done">
    <bpmn:extensionElements>
      <zeebe:subscription correlationKey="=aiJob.jobId" />
    </bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="{process_id}" name="AI generation with {pid}: submit, wait for the callback, cancel after a deadline" isExecutable="true">
    <bpmn:startEvent id="start" name="Wanted">
      <bpmn:outgoing>toSubmit</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="toSubmit" sourceRef="start" targetRef="submit" />
    <bpmn:serviceTask id="submit" name="Submit ({pid}), ask for a callback" zeebe:modelerTemplate="io.aigen.camunda.ai-generation" zeebe:modelerTemplateVersion="1">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="io.aigen:ai-generation:1" retries="3" />
        <zeebe:ioMapping>
          <zeebe:input source="{value}" target="provider" />
          <zeebe:input source="{{{{secrets.{secret}}}}}" target="apiKey" />
          <zeebe:input source="{model}" target="model" />
          <zeebe:input source="=input" target="input" />
          <zeebe:input source="=true" target="waitForCallback" />
        </zeebe:ioMapping>
        <zeebe:taskHeaders>
          <zeebe:header key="operation" value="submit" />
          <zeebe:header key="resultVariable" value="aiJob" />
          <zeebe:header key="elementTemplateId" value="io.aigen.camunda.ai-generation" />
          <zeebe:header key="elementTemplateVersion" value="1" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toSubmit</bpmn:incoming>
      <bpmn:outgoing>toWait</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toWait" sourceRef="submit" targetRef="waitForCallback" />
    <bpmn:receiveTask id="waitForCallback" name="Wait for the provider's callback" messageRef="generationDone">
      <bpmn:incoming>toWait</bpmn:incoming>
      <bpmn:outgoing>toRoute</bpmn:outgoing>
    </bpmn:receiveTask>
    <bpmn:boundaryEvent id="deadline" name="Deadline" attachedToRef="waitForCallback">
      <bpmn:outgoing>toCancel</bpmn:outgoing>
      <bpmn:timerEventDefinition id="deadlineTimer">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">=if is defined(callbackTimeout) then callbackTimeout else "PT10M"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="toRoute" sourceRef="waitForCallback" targetRef="succeeded" />
    <bpmn:exclusiveGateway id="succeeded" name="Succeeded?" default="toReportFailure">
      <bpmn:incoming>toRoute</bpmn:incoming>
      <bpmn:outgoing>toReportSuccess</bpmn:outgoing>
      <bpmn:outgoing>toReportFailure</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="toReportSuccess" name="yes" sourceRef="succeeded" targetRef="reportSuccess">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">=generation.status = "SUCCEEDED"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toReportFailure" name="no" sourceRef="succeeded" targetRef="reportFailure" />
    <bpmn:serviceTask id="reportSuccess" name="Report result">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="aigen-demo:report" />
        <zeebe:taskHeaders><zeebe:header key="outcome" value="succeeded" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toReportSuccess</bpmn:incoming>
      <bpmn:outgoing>toDone</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toDone" sourceRef="reportSuccess" targetRef="done" />
    <bpmn:endEvent id="done" name="Generated"><bpmn:incoming>toDone</bpmn:incoming></bpmn:endEvent>
    <bpmn:serviceTask id="reportFailure" name="Report failure">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="aigen-demo:report" />
        <zeebe:taskHeaders><zeebe:header key="outcome" value="callback-failed" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toReportFailure</bpmn:incoming>
      <bpmn:outgoing>toFailed</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toFailed" sourceRef="reportFailure" targetRef="failed" />
    <bpmn:endEvent id="failed" name="Generation failed"><bpmn:incoming>toFailed</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="toCancel" sourceRef="deadline" targetRef="cancel" />
    <bpmn:serviceTask id="cancel" name="Cancel generation" zeebe:modelerTemplate="io.aigen.camunda.ai-generation" zeebe:modelerTemplateVersion="1">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="io.aigen:ai-generation:1" retries="3" />
        <zeebe:ioMapping>
          <zeebe:input source="{{{{secrets.{secret}}}}}" target="apiKey" />
          <zeebe:input source="=aiJob" target="job" />
        </zeebe:ioMapping>
        <zeebe:taskHeaders>
          <zeebe:header key="operation" value="cancel" />
          <zeebe:header key="resultVariable" value="cancellation" />
          <zeebe:header key="elementTemplateId" value="io.aigen.camunda.ai-generation" />
          <zeebe:header key="elementTemplateVersion" value="1" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toCancel</bpmn:incoming>
      <bpmn:outgoing>toReportCancelled</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toReportCancelled" sourceRef="cancel" targetRef="reportCancelled" />
    <bpmn:serviceTask id="reportCancelled" name="Report cancellation">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="aigen-demo:report" />
        <zeebe:taskHeaders><zeebe:header key="outcome" value="cancelled" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>toReportCancelled</bpmn:incoming>
      <bpmn:outgoing>toCancelled</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toCancelled" sourceRef="reportCancelled" targetRef="cancelled" />
    <bpmn:endEvent id="cancelled" name="Cancelled"><bpmn:incoming>toCancelled</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="{process_id}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="submit_di" bpmnElement="submit"><dc:Bounds x="240" y="80" width="120" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="waitForCallback_di" bpmnElement="waitForCallback"><dc:Bounds x="410" y="80" width="120" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="deadline_di" bpmnElement="deadline"><dc:Bounds x="452" y="142" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="succeeded_di" bpmnElement="succeeded" isMarkerVisible="true"><dc:Bounds x="585" y="95" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="reportSuccess_di" bpmnElement="reportSuccess"><dc:Bounds x="690" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="842" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="reportFailure_di" bpmnElement="reportFailure"><dc:Bounds x="690" y="190" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="failed_di" bpmnElement="failed"><dc:Bounds x="842" y="212" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="cancel_di" bpmnElement="cancel"><dc:Bounds x="420" y="300" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="reportCancelled_di" bpmnElement="reportCancelled"><dc:Bounds x="690" y="300" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="cancelled_di" bpmnElement="cancelled"><dc:Bounds x="842" y="322" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="toSubmit_di" bpmnElement="toSubmit"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toWait_di" bpmnElement="toWait"><di:waypoint x="360" y="120" /><di:waypoint x="410" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toRoute_di" bpmnElement="toRoute"><di:waypoint x="530" y="120" /><di:waypoint x="585" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toReportSuccess_di" bpmnElement="toReportSuccess"><di:waypoint x="635" y="120" /><di:waypoint x="690" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toReportFailure_di" bpmnElement="toReportFailure"><di:waypoint x="610" y="145" /><di:waypoint x="610" y="230" /><di:waypoint x="690" y="230" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toDone_di" bpmnElement="toDone"><di:waypoint x="790" y="120" /><di:waypoint x="842" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toFailed_di" bpmnElement="toFailed"><di:waypoint x="790" y="230" /><di:waypoint x="842" y="230" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toCancel_di" bpmnElement="toCancel"><di:waypoint x="470" y="178" /><di:waypoint x="470" y="300" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toReportCancelled_di" bpmnElement="toReportCancelled"><di:waypoint x="520" y="340" /><di:waypoint x="690" y="340" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toCancelled_di" bpmnElement="toCancelled"><di:waypoint x="790" y="340" /><di:waypoint x="842" y="340" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
'''


if __name__ == "__main__":
    for example in CALLBACK_EXAMPLES:
        path = os.path.join(OUT, "ai-generation-%s-callback.bpmn" % example[1])
        with open(path, "w") as f:
            f.write(callback_process(*example))
        print("wrote", os.path.relpath(path))
