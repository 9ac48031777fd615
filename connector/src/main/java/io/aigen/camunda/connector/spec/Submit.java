package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The submit request and what to read from its answer.
 *
 * @param method HTTP method, usually POST
 * @param urlTemplate e.g. {@code {baseUrl}/{model}}
 * @param bodyTemplate JSON sent as body; a string value that is exactly {@code "{input}"} or
 *     {@code "{model}"} is replaced by that value. {@code null} sends the input itself.
 * @param idPath where the job id is in the answer, e.g. {@code request_id}
 */
public record Submit(String method, String urlTemplate, JsonNode bodyTemplate, String idPath) {}
