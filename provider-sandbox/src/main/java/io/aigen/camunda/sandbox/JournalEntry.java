package io.aigen.camunda.sandbox;

import java.time.Instant;

/**
 * One HTTP request the sandbox answered. Headers are never recorded, so credentials never end up
 * here.
 *
 * @param at when the request was answered
 * @param method HTTP method, upper case
 * @param path raw request path, including the provider prefix (e.g. {@code /fal/fal-ai/flux/dev})
 * @param query raw query string without {@code ?}; empty when there was none
 * @param responseStatus HTTP status the sandbox answered with
 * @param requestBody request body as UTF-8, cut to its first 4096 bytes; empty when there was none
 */
public record JournalEntry(
    Instant at, String method, String path, String query, int responseStatus, String requestBody) {}
