package io.aigen.camunda.connector.job;

import java.time.Instant;

/**
 * A task's submit, as far as it can be told from the engine: the marker its submits carry and when
 * the first was sent.
 *
 * @param marker unique to the task, the same on every attempt
 * @param firstSentAt when the task first tried to submit
 * @param earlier whether an earlier attempt may have reached the provider (then its lists are
 *     searched before submitting again)
 */
public record SubmitAttempt(String marker, Instant firstSentAt, boolean earlier) {}
