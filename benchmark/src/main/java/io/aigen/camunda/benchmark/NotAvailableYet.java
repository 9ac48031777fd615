package io.aigen.camunda.benchmark;

/**
 * A strategy or mode whose pieces are not built yet. The runner prints the message and goes on; it
 * never prints a number for it.
 */
final class NotAvailableYet extends RuntimeException {
  NotAvailableYet(String message) {
    super(message);
  }
}
