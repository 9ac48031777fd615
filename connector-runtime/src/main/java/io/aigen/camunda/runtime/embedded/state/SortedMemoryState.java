package io.aigen.camunda.runtime.embedded.state;

import io.camunda.zeebe.db.ColumnFamily;
import io.camunda.zeebe.db.DbKey;
import io.camunda.zeebe.db.DbValue;
import io.camunda.zeebe.db.TransactionContext;
import io.camunda.zeebe.db.ZeebeDb;
import io.camunda.zeebe.db.impl.DbNil;
import io.camunda.zeebe.db.impl.rocksdb.DbNullKey;
import io.camunda.zeebe.protocol.EnumValue;
import io.camunda.zeebe.protocol.ScopedColumnFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The engine's state ({@code ZeebeDb}) in memory, in one sorted concurrent map: a lookup costs
 * O(log n), and a prefix scan reads only the entries it visits.
 *
 * <p>zeebe-process-test 8.8's in-memory state copies the whole state into a new tree for every
 * scan, and scans past the prefix to the end: each message correlated, job activated or timer
 * checked costs time in proportion to everything the engine holds (messages kept for their TTL,
 * waiting instances, variables): with 2,000 instances waiting the engine correlated 45 messages a
 * second on 2 cores, against about 1,650 with this store (README, Performance). Scans by the
 * engine's scheduled checkers, on another thread, also failed with {@code
 * ConcurrentModificationException}. Holds no snapshots: the embedded engine keeps no state across
 * restarts.
 */
public final class SortedMemoryState<ColumnFamilyType extends Enum<? extends EnumValue> & EnumValue & ScopedColumnFamily>
    implements ZeebeDb<ColumnFamilyType> {

  private final ConcurrentSkipListMap<byte[], byte[]> committed = new ConcurrentSkipListMap<>(StateKeys.ORDER);
  private final MeterRegistry meters = new SimpleMeterRegistry();

  @Override
  public <KeyType extends DbKey, ValueType extends DbValue> ColumnFamily<KeyType, ValueType> createColumnFamily(
      ColumnFamilyType columnFamily, TransactionContext context, KeyType keyInstance, ValueType valueInstance) {
    return new StateColumnFamily<>(columnFamily, own(context), keyInstance, valueInstance);
  }

  @Override
  public TransactionContext createContext() {
    return new StateTransactionContext(committed);
  }

  @Override
  public boolean isEmpty(ColumnFamilyType column, TransactionContext context) {
    return createColumnFamily(column, context, DbNullKey.INSTANCE, DbNil.INSTANCE).isEmpty();
  }

  @Override
  public void createSnapshot(File snapshotDir) {
    throw new UnsupportedOperationException("the embedded engine's state is kept in memory only: no snapshots");
  }

  @Override
  public Optional<String> getProperty(String propertyName) {
    return Optional.empty();
  }

  @Override
  public MeterRegistry getMeterRegistry() {
    return meters;
  }

  @Override
  public void close() {
    committed.clear();
  }

  /** How many entries are committed: for tests. */
  int size() {
    return committed.size();
  }

  private static StateTransactionContext own(TransactionContext context) {
    if (context instanceof StateTransactionContext ours) {
      return ours;
    }
    throw new IllegalArgumentException("a transaction context of another state store: " + context.getClass().getName());
  }
}
