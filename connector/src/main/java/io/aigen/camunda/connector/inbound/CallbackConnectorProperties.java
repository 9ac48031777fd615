package io.aigen.camunda.connector.inbound;

import io.aigen.camunda.connector.provider.ProviderId;
import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.DropdownPropertyChoice;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The element's properties, bound as {@code inbound.provider} and {@code inbound.context}: the
 * nesting under {@code inbound} is what the runtime's webhook registry reads the path from.
 */
public record CallbackConnectorProperties(Inbound inbound) {

  /**
   * @param provider whose callbacks arrive here: decides how they are verified and read
   * @param context the webhook path: the runtime serves {@code POST /inbound/<context>}
   */
  public record Inbound(
      @NotNull
          @TemplateProperty(
              group = "callback",
              label = "Provider",
              description =
                  "The provider that calls back, as in the submit task. Its callbacks are verified: fal by its published keys, Replicate with the secret REPLICATE_WEBHOOK_SECRET, Luma by re-reading the job. The submit task sets Wait for callback and puts this event's webhook URL into Callback URL.",
              type = PropertyType.Dropdown,
              defaultValue = "FAL",
              choices = {
                @DropdownPropertyChoice(label = "fal.ai queue", value = "FAL"),
                @DropdownPropertyChoice(label = "Replicate", value = "REPLICATE"),
                @DropdownPropertyChoice(label = "Luma Dream Machine", value = "LUMA"),
                @DropdownPropertyChoice(label = "Unified task API (/v1/task/submit)", value = "UNIFIED_TASK"),
                @DropdownPropertyChoice(label = "Custom poll spec (signed with hmac)", value = "CUSTOM")
              })
          ProviderId provider,
      @NotBlank
          @Pattern(regexp = AiGenerationCallbackConnector.CONTEXT_PATTERN, message = AiGenerationCallbackConnector.CONTEXT_MESSAGE)
          @TemplateProperty(
              group = "callback",
              label = "Webhook ID",
              description =
                  "The callback URL is <code>&lt;runtime URL&gt;/inbound/&lt;webhook ID&gt;</code>, e.g. <code>aigen-fal</code>. Give the provider this URL; one process definition per webhook ID.",
              feel = FeelMode.disabled)
          String context) {}
}
