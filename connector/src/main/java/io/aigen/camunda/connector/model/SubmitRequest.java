package io.aigen.camunda.connector.model;

import io.aigen.camunda.connector.provider.ProviderId;
import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyConstraints;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** Starts a job and returns its handle without waiting. */
public record SubmitRequest(
    @NotNull
        @TemplateProperty(group = "provider", label = "Provider", description = "The provider's async API", defaultValue = "fal")
        ProviderId provider,
    @TemplateProperty(
            group = "provider",
            label = "API key",
            description = "Reference a secret, e.g. <code>{{secrets.FAL_KEY}}</code>. It is never written to variables or logs.",
            constraints = @PropertyConstraints(notEmpty = true))
        String apiKey,
    @NotBlank
        @TemplateProperty(
            group = "generation",
            label = "Model",
            description = "The provider's model id, e.g. <code>fal-ai/flux/dev</code>",
            constraints = @PropertyConstraints(notEmpty = true))
        String model,
    @NotNull
        @TemplateProperty(
            group = "generation",
            label = "Input",
            description = "The model's input as a FEEL context or JSON, e.g. <code>={prompt: \"a cat on a skateboard\"}</code>",
            type = PropertyType.Text,
            feel = FeelMode.required)
        Object input) {}
