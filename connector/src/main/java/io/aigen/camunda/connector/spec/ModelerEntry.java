package io.aigen.camunda.connector.spec;

import java.util.List;

/**
 * How a preset appears in Camunda Modeler: its {@code "modeler"} section, from which the build
 * generates the provider's own element template (see {@code template.ElementTemplates}).
 *
 * @param name the template's name in the chooser, e.g. {@code fal.ai: generate image or video}
 * @param version the template's version: raise it when the template's bindings change
 * @param keywords what a modeler may search for: the provider's names, the media kinds
 * @param apiKeySecret the secret that usually holds the provider's key, e.g. {@code FAL_KEY}
 * @param iconLetters one to three letters drawn on the template's icon
 * @param iconColor the icon's background, {@code #rrggbb}
 * @param exampleModels a few model ids, shown as hints; empty for a provider without models
 * @param exampleInput a FEEL context the input field offers as its example
 */
public record ModelerEntry(
    String name,
    int version,
    List<String> keywords,
    String apiKeySecret,
    String iconLetters,
    String iconColor,
    List<String> exampleModels,
    String exampleInput) {

  public ModelerEntry {
    keywords = List.copyOf(keywords);
    exampleModels = exampleModels == null ? List.of() : List.copyOf(exampleModels);
  }
}
