package io.aigen.camunda.connector.model;

import io.aigen.camunda.connector.provider.ProviderId;
import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.EqualsBoolean;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyCondition;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyConstraints;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyType;
import jakarta.validation.constraints.NotNull;

/** Starts a job and returns its handle without waiting. */
public record SubmitRequest(
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
            group = "callback",
            label = "Wait for callback",
            description = "Ask the provider to call the runtime back (fal, Replicate, Luma, unified task API, custom specs with a callback). Then wait with a message catch event: name <code>aigen-generation-done</code>, correlation key <code>=aiJob.jobId</code>.",
            optional = true)
        Boolean waitForCallback,
    @TemplateProperty(
            group = "callback",
            label = "Callback URL",
            description = "Where the provider calls back. Empty: this runtime's <code>/callbacks/&lt;provider&gt;</code> under aigen.public-base-url. With the AI generation callback inbound connector, its webhook URL, e.g. <code>https://connectors.example.com/inbound/aigen-fal</code>.",
            optional = true,
            condition = @PropertyCondition(property = "waitForCallback", equalsBoolean = EqualsBoolean.TRUE))
        String callbackUrl) {}
