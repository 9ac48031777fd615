package io.aigen.camunda.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Strategy (2): our {@code generate} task, one service task that submits and then polls once per
 * activation; between polls the engine holds the job (its timeout set to the next poll delay),
 * the runtime holds nothing.
 *
 * <p>{@code --poll=fixed} (default) polls every I like the timer loop: the task uses the fal
 * preset's own spec as a custom spec with {@code backoff: fixed} and {@code jitter: 0}. {@code
 * --poll=preset} uses the FAL preset as a modeler gets it, with pollInterval = I.
 */
final class GeneratePolling implements Strategy {

  static final String TYPE = "io.aigen:ai-generation:1";
  private static final String FAL_PRESET = "io/aigen/camunda/connector/presets/fal.json";

  @Override
  public String id() {
    return "generate";
  }

  @Override
  public String label() {
    return "(2) ours: generate, engine-driven polling";
  }

  @Override
  public boolean ours() {
    return true;
  }

  @Override
  public String describe(Options options) {
    String how = options.poll() == Options.PollMode.FIXED
        ? "polls every " + Format.duration(options.interval()) + " (fal preset spec as a custom spec, backoff fixed, no jitter)"
        : "FAL preset with pollInterval " + Format.duration(options.interval()) + " (exponential backoff from I, cap 15 s, jitter 10 %)";
    return label() + ": one " + TYPE + " task, " + how + "; the runtime's default worker (128 jobs at once, 64 engine commands in flight)";
  }

  @Override
  public String processId() {
    return "bench-generate";
  }

  @Override
  public String waitElementId() {
    return "generate";
  }

  @Override
  public BpmnModelInstance process(Setting setting) {
    Options options = setting.options();
    return Bpmn.createExecutableProcess(processId())
        .startEvent("start")
        .serviceTask("generate", task -> {
          task.zeebeJobType(TYPE)
              .zeebeJobRetries("3")
              .zeebeInput("{{secrets.FAL_KEY}}", "apiKey")
              .zeebeInput("fal-ai/flux/dev", "model")
              .zeebeInput("=input", "input")
              .zeebeInput(setting.maxDuration().toString(), "maxDuration")
              .zeebeTaskHeader("operation", "generate")
              .zeebeTaskHeader("resultVariable", "generation");
          if (options.poll() == Options.PollMode.FIXED) {
            task.zeebeInput("CUSTOM", "provider").zeebeInput(fixedSpec(setting), "customSpec");
          } else {
            task.zeebeInput("FAL", "provider").zeebeInput(options.interval().toString(), "pollInterval");
          }
        })
        .endEvent("end")
        .done();
  }

  /** The fal preset, pointed at the sandbox, polling every I without backoff or jitter. */
  static String fixedSpec(Setting setting) {
    ObjectMapper json = new ObjectMapper();
    try (InputStream in = GeneratePolling.class.getClassLoader().getResourceAsStream(FAL_PRESET)) {
      if (in == null) {
        throw new IllegalStateException(FAL_PRESET + " is not on the class path (ai-generation-connector jar)");
      }
      ObjectNode spec = (ObjectNode) json.readTree(in);
      // modeler: a preset's Modeler entry, not part of a custom spec (its example input's escaped
      // quotes would also break the literal zeebe:input this spec travels in)
      spec.remove(java.util.List.of("id", "label", "description", "callback", "modeler"));
      spec.put("baseUrl", setting.falBaseUrl());
      ObjectNode poll = (ObjectNode) spec.get("pollConfig");
      poll.put("interval", setting.options().interval().toString());
      poll.put("backoff", "fixed");
      poll.put("jitter", 0);
      poll.remove("maxInterval");
      poll.put("maxDuration", setting.maxDuration().toString());
      return json.writeValueAsString(spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
