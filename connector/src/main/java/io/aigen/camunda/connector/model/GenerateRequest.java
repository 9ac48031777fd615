package io.aigen.camunda.connector.model;

import io.aigen.camunda.connector.provider.ProviderId;
import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyCondition;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyConstraints;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyType;
import jakarta.validation.constraints.NotNull;

/** Submits a job and waits for its result, in one task. */
public record GenerateRequest(
    @NotNull
        @TemplateProperty(group = "provider", label = "Provider", description = ProviderFields.PROVIDER, defaultValue = "FAL")
        ProviderId provider,
    @TemplateProperty(
            group = "provider",
            label = "API key",
            description = ProviderFields.API_KEY,
            constraints = @PropertyConstraints(notEmpty = true))
        String apiKey,
    @TemplateProperty(
            group = "provider",
            label = "Submit URL",
            description = ProviderFields.SUBMIT_URL,
            optional = true,
            condition = @PropertyCondition(property = "provider", equals = "CUSTOM"))
        String submitUrl,
    @TemplateProperty(
            group = "provider",
            label = "Custom poll spec",
            description = ProviderFields.CUSTOM_SPEC,
            type = PropertyType.Text,
            feel = FeelMode.optional,
            optional = true,
            condition = @PropertyCondition(property = "provider", equals = "CUSTOM"))
        Object customSpec,
    @TemplateProperty(group = "generation", label = "Model", description = ProviderFields.MODEL, optional = true)
        String model,
    @NotNull
        @TemplateProperty(
            group = "generation",
            label = "Input",
            description = ProviderFields.INPUT,
            type = PropertyType.Text,
            feel = FeelMode.required)
        Object input,
    @TemplateProperty(
            group = "generation",
            label = "Provider options",
            description = ProviderFields.OPTIONS,
            feel = FeelMode.required,
            optional = true)
        Object options,
    @TemplateProperty(
            group = "timing",
            label = "Poll interval",
            description = "ISO-8601 duration of the first wait between polls, e.g. <code>PT3S</code>. Empty: the provider's default.",
            optional = true)
        String pollInterval,
    @TemplateProperty(
            group = "timing",
            label = "Max duration",
            description = "ISO-8601 duration after which the job is cancelled and the task ends with AI_GENERATION_TIMEOUT, e.g. <code>PT10M</code>. Empty: the provider's default.",
            optional = true)
        String maxDuration,
    @TemplateProperty(group = "generation", label = "Keep outputs", description = ProviderFields.KEEP_OUTPUTS, optional = true)
        Boolean keepOutputs) {

  public GenerateRequest(
      ProviderId provider, String apiKey, String submitUrl, Object customSpec, String model, Object input, Object options, String pollInterval, String maxDuration) {
    this(provider, apiKey, submitUrl, customSpec, model, input, options, pollInterval, maxDuration, null);
  }

  public boolean keepsOutputs() {
    return Boolean.TRUE.equals(keepOutputs);
  }

  public SubmitRequest submitRequest() {
    return new SubmitRequest(provider, apiKey, submitUrl, customSpec, model, input, options, false, null);
  }
}
