package io.aigen.camunda.connector.model;

import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyConstraints;
import jakarta.validation.constraints.NotNull;

/** Waits for a submitted job. */
public record AwaitRequest(
    @TemplateProperty(
            group = "provider",
            label = "API key",
            description = "Reference a secret, e.g. <code>{{secrets.FAL_KEY}}</code>",
            constraints = @PropertyConstraints(notEmpty = true))
        String apiKey,
    @NotNull
        @TemplateProperty(
            group = "job",
            label = "Job handle",
            description = "The handle a submit task returned, e.g. <code>=aiJob</code>",
            feel = FeelMode.required,
            constraints = @PropertyConstraints(notEmpty = true))
        Object job,
    @TemplateProperty(group = "timing", label = "Poll interval", description = "ISO-8601 duration, e.g. <code>PT3S</code>. Empty: the provider's default.", optional = true)
        String pollInterval,
    @TemplateProperty(
            group = "timing",
            label = "Max duration",
            description = "ISO-8601 duration from submission after which the job is cancelled (AI_GENERATION_TIMEOUT). Empty: the provider's default.",
            optional = true)
        String maxDuration,
    @TemplateProperty(group = "job", label = "Keep outputs", description = ProviderFields.KEEP_OUTPUTS, optional = true)
        Boolean keepOutputs) {

  public AwaitRequest(String apiKey, Object job, String pollInterval, String maxDuration) {
    this(apiKey, job, pollInterval, maxDuration, null);
  }

  public boolean keepsOutputs() {
    return Boolean.TRUE.equals(keepOutputs);
  }
}
