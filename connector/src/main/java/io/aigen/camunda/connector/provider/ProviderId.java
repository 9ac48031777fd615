package io.aigen.camunda.connector.provider;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.camunda.connector.generator.java.annotation.DropdownItem;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The provider choice of the element template. Each built-in provider is a preset file {@code
 * presets/<id>.json} read by {@link ProviderCatalog}; {@link #CUSTOM} takes the spec from the task.
 */
public enum ProviderId {
  @DropdownItem(label = "fal.ai queue", order = 1)
  FAL("fal"),
  @DropdownItem(label = "Replicate", order = 2)
  REPLICATE("replicate"),
  @DropdownItem(label = "RunwayML", order = 3)
  RUNWAY("runway"),
  @DropdownItem(label = "Luma Dream Machine", order = 4)
  LUMA("luma"),
  @DropdownItem(label = "ElevenLabs dubbing", order = 5)
  ELEVENLABS_DUBBING("elevenlabs-dubbing"),
  @DropdownItem(label = "Stability AI image-to-video", order = 6)
  STABILITY_VIDEO("stability-video"),
  @DropdownItem(label = "Oxen.ai async queue", order = 7)
  OXEN("oxen"),
  @DropdownItem(label = "Oxen.ai async queue (before May 2026)", order = 8)
  OXEN_LEGACY("oxen-legacy"),
  @DropdownItem(label = "Unified task API (/v1/task/submit)", order = 9)
  UNIFIED_TASK("unified-task"),
  @DropdownItem(label = "DigitalOcean fal models (async-invoke)", order = 10)
  DO_ASYNC_INVOKE("do-async-invoke"),
  @DropdownItem(label = "Custom poll spec", order = 11)
  CUSTOM("custom");

  private final String id;

  ProviderId(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  public boolean isCustom() {
    return this == CUSTOM;
  }

  /** Accepts the id ({@code elevenlabs-dubbing}) or the template's value ({@code ELEVENLABS_DUBBING}). */
  @JsonCreator
  public static ProviderId of(String id) {
    return Arrays.stream(values())
        .filter(p -> p.id.equalsIgnoreCase(id) || p.name().equalsIgnoreCase(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown provider '" + id + "'. Known providers: "
                        + Arrays.stream(values()).map(ProviderId::id).collect(Collectors.joining(", "))));
  }
}
