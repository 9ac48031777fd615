package io.aigen.camunda.connector.provider;

import io.aigen.camunda.connector.spec.Auth;
import io.aigen.camunda.connector.spec.Cancel;
import io.aigen.camunda.connector.spec.PollSpec;
import io.aigen.camunda.connector.spec.Result;
import io.aigen.camunda.connector.spec.Status;
import io.aigen.camunda.connector.spec.Submit;
import io.aigen.camunda.connector.spec.Timing;
import io.aigen.camunda.connector.spec.UnknownStatusPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * fal.ai queue API (providers.md §1). Status, result and cancel use the URLs of the submit answer,
 * as fal asks: they drop the model's sub-path, so building them from the model id goes wrong.
 * fal has no failed status: a failure is {@code COMPLETED} with an {@code error}.
 */
public final class FalQueue {

  private FalQueue() {}

  public static PollSpec spec() {
    return new PollSpec(
        "fal",
        "fal.ai queue",
        "https://queue.fal.run",
        new Auth("Authorization", "Key "),
        Map.of(),
        new Submit("POST", "{baseUrl}/{model}", null, "request_id"),
        new Status(
            "GET",
            "{startResult.body.status_url}",
            "status",
            List.of("COMPLETED"),
            List.of(),
            List.of(),
            List.of("IN_QUEUE", "IN_PROGRESS"),
            Map.of(),
            "error",
            null,
            UnknownStatusPolicy.RUNNING),
        new Result("{startResult.body.response_url}", "", "$..url", "metrics"),
        new Cancel("PUT", "{startResult.body.cancel_url}", "status"),
        new Timing(Duration.ofSeconds(3), Timing.Backoff.EXPONENTIAL, Duration.ofSeconds(15), 0.1, Duration.ofMinutes(10)));
  }
}
