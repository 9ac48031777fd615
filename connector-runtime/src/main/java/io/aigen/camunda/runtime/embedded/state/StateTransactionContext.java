package io.aigen.camunda.runtime.embedded.state;

import io.camunda.zeebe.db.TransactionContext;
import io.camunda.zeebe.db.TransactionOperation;
import io.camunda.zeebe.db.ZeebeDbTransaction;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Zeebe's transaction context: operations join the open transaction, or run in one of their own
 * that commits when they return and rolls back when they throw.
 */
final class StateTransactionContext implements TransactionContext {

  private final StateTransaction transaction;

  StateTransactionContext(ConcurrentSkipListMap<byte[], byte[]> committed) {
    this.transaction = new StateTransaction(committed);
  }

  @Override
  public void runInTransaction(TransactionOperation operations) {
    try {
      if (transaction.isOpen()) {
        operations.run();
        return;
      }
      transaction.begin();
      try {
        operations.run();
        transaction.commit();
      } catch (Exception e) {
        transaction.rollback();
        throw e;
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // not ZeebeDbException: that one is recoverable, and the engine would retry the command forever
      throw new RuntimeException("Unexpected error occurred during zeebe db transaction operation.", e);
    }
  }

  @Override
  public ZeebeDbTransaction getCurrentTransaction() {
    if (!transaction.isOpen()) {
      transaction.begin();
    }
    return transaction;
  }

  StateTransaction transaction() {
    return transaction;
  }
}
