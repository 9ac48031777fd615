package io.aigen.camunda.connector.provider;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.aigen.camunda.connector.spec.PollSpec;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The built-in providers. This list is the catalog: the element template's provider dropdown and
 * the runtime's {@code GET /providers} are both made from it.
 */
public enum ProviderId {
  FAL("fal", FalQueue::spec);

  private final String id;
  private final Supplier<PollSpec> spec;

  ProviderId(String id, Supplier<PollSpec> spec) {
    this.id = id;
    this.spec = spec;
  }

  @JsonValue
  public String id() {
    return id;
  }

  public PollSpec spec() {
    return spec.get();
  }

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
