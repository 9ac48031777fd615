package io.aigen.camunda.sandbox.fal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The input fields of a fal text-to-image model that the sandbox understands. Other fields are
 * ignored. Invalid values fail the job with a validation error, the way a fal runner rejects its
 * input after the queue has accepted it.
 */
public record FalModelInput(String prompt, int numImages, int width, int height, long seed, int steps) {

  static final int DEFAULT_SIZE = 512;
  static final int MAX_SIZE = 4096;
  static final int MAX_IMAGES = 4;
  static final long DEFAULT_SEED = 42;
  static final int DEFAULT_STEPS = 28;

  /** fal's named {@code image_size} presets, as {width, height}. */
  static final Map<String, int[]> PRESETS =
      Map.of(
          "square_hd", new int[] {1024, 1024},
          "square", new int[] {512, 512},
          "portrait_4_3", new int[] {768, 1024},
          "portrait_16_9", new int[] {576, 1024},
          "landscape_4_3", new int[] {1024, 768},
          "landscape_16_9", new int[] {1024, 576});

  public static final class InvalidInput extends Exception {
    public final String field;

    InvalidInput(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  public static FalModelInput parse(JsonNode input) throws InvalidInput {
    JsonNode prompt = input.path("prompt");
    if (!prompt.isMissingNode() && !prompt.isNull() && !prompt.isTextual()) {
      throw new InvalidInput("prompt", "str type expected");
    }
    int[] size = imageSize(input.path("image_size"));
    return new FalModelInput(
        prompt.asText(""),
        (int) integer(input, "num_images", 1, 1, MAX_IMAGES),
        size[0],
        size[1],
        integer(input, "seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
        (int) integer(input, "num_inference_steps", DEFAULT_STEPS, 1, 50));
  }

  private static int[] imageSize(JsonNode node) throws InvalidInput {
    if (node.isMissingNode() || node.isNull()) {
      return new int[] {DEFAULT_SIZE, DEFAULT_SIZE};
    }
    if (node.isTextual()) {
      int[] preset = PRESETS.get(node.asText());
      if (preset == null) {
        throw new InvalidInput("image_size", "value is not a known preset: " + PRESETS.keySet());
      }
      return preset;
    }
    if (node.isObject()) {
      try {
        return new int[] {
          (int) integer(node, "width", -1, 1, MAX_SIZE), (int) integer(node, "height", -1, 1, MAX_SIZE)
        };
      } catch (InvalidInput e) {
        throw new InvalidInput("image_size", e.field + ": " + e.getMessage());
      }
    }
    throw new InvalidInput("image_size", "must be a preset name or {\"width\":..,\"height\":..}");
  }

  /** An integer field within min..max; {@code fallback} when absent (a fallback below min means required). */
  private static long integer(JsonNode parent, String field, long fallback, long min, long max)
      throws InvalidInput {
    JsonNode value = parent.path(field);
    if (value.isMissingNode() || value.isNull()) {
      if (fallback < min) {
        throw new InvalidInput(field, "field required");
      }
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()
        || value.asLong() < min || value.asLong() > max) {
      throw new InvalidInput(field, "must be an integer within " + min + ".." + max);
    }
    return value.asLong();
  }
}
