package io.aigen.camunda.connector.job;

/**
 * What the provider says of a job that is still running, for the process and Operate to see.
 *
 * @param status the provider's own word for the state (or {@code HTTP 202}, {@code UNAVAILABLE})
 * @param queuePosition jobs ahead of this one in the provider's queue, where it says
 * @param percent how far along, 0 to 100, where it says
 * @param log the last line of the job's log, where the provider gives one
 */
public record Progress(String status, Integer queuePosition, Double percent, String log) {

  public static Progress of(String status) {
    return new Progress(status, null, null, null);
  }
}
