package io.aigen.camunda.connector.model;

import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyConstraints;
import jakarta.validation.constraints.NotNull;

/** Cancels a submitted job. */
public record CancelRequest(
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
        Object job) {}
