package io.aigen.camunda.runtime.embedded.state;

import io.camunda.zeebe.db.TransactionOperation;
import io.camunda.zeebe.db.ZeebeDbTransaction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One transaction context's open changes over the committed state: written entries and removed
 * keys, applied to the committed state on commit. Reads see this transaction's changes first.
 *
 * <p>The committed state is shared by every context: the engine's scheduled checkers (timers, job
 * timeouts, message TTLs, batch operations) read it through contexts of their own, on other
 * threads, while commands commit. A context's own changes are used by one actor at a time.
 */
final class StateTransaction implements ZeebeDbTransaction {

  private final ConcurrentSkipListMap<byte[], byte[]> committed;
  private final ConcurrentSkipListMap<byte[], byte[]> written = new ConcurrentSkipListMap<>(StateKeys.ORDER);
  private final ConcurrentSkipListSet<byte[]> removed = new ConcurrentSkipListSet<>(StateKeys.ORDER);
  private volatile boolean open;

  StateTransaction(ConcurrentSkipListMap<byte[], byte[]> committed) {
    this.committed = committed;
  }

  boolean isOpen() {
    return open;
  }

  void begin() {
    written.clear();
    removed.clear();
    open = true;
  }

  @Override
  public void run(TransactionOperation operations) throws Exception {
    operations.run();
  }

  @Override
  public void commit() {
    committed.putAll(written);
    removed.forEach(committed::remove);
    end();
  }

  @Override
  public void rollback() {
    end();
  }

  private void end() {
    open = false;
    written.clear();
    removed.clear();
  }

  byte[] get(byte[] key) {
    if (removed.contains(key)) {
      return null;
    }
    byte[] value = written.get(key);
    return value != null ? value : committed.get(key);
  }

  void put(byte[] key, byte[] value) {
    removed.remove(key);
    written.put(key, value);
  }

  void remove(byte[] key) {
    written.remove(key);
    removed.add(key);
  }

  /**
   * Visits the entries whose keys start with {@code prefix}, in key order, from {@code from} on.
   * The committed state is read as the scan goes, so a scan may see part of another context's
   * commit (the engine's checkers re-check what they find); this transaction's own changes in the
   * range are copied first, so a visitor that writes or deletes does not change what it is shown.
   */
  void scan(byte[] from, byte[] prefix, StateVisitor visitor) {
    // a start before the prefix starts at the prefix, as zeebe-process-test's store did
    byte[] start = StateKeys.ORDER.compare(from, prefix) < 0 ? prefix : from;
    List<Map.Entry<byte[], byte[]>> ownWrites = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> entry : written.tailMap(start, true).entrySet()) {
      if (!StateKeys.startsWith(entry.getKey(), prefix)) {
        break;
      }
      ownWrites.add(entry);
    }
    NavigableSet<byte[]> ownRemovals = new TreeSet<>(StateKeys.ORDER);
    for (byte[] key : removed.tailSet(start, true)) {
      if (!StateKeys.startsWith(key, prefix)) {
        break;
      }
      ownRemovals.add(key);
    }
    Iterator<Map.Entry<byte[], byte[]>> stored = committed.tailMap(start, true).entrySet().iterator();
    Map.Entry<byte[], byte[]> nextStored = nextStored(stored, prefix, ownRemovals);
    int nextOwn = 0;
    while (nextStored != null || nextOwn < ownWrites.size()) {
      Map.Entry<byte[], byte[]> entry;
      if (nextOwn < ownWrites.size() && (nextStored == null || StateKeys.ORDER.compare(ownWrites.get(nextOwn).getKey(), nextStored.getKey()) <= 0)) {
        entry = ownWrites.get(nextOwn++);
        if (nextStored != null && StateKeys.ORDER.compare(entry.getKey(), nextStored.getKey()) == 0) {
          nextStored = nextStored(stored, prefix, ownRemovals); // overwritten in this transaction
        }
      } else {
        entry = nextStored;
        nextStored = nextStored(stored, prefix, ownRemovals);
      }
      if (!visitor.visit(entry.getKey(), entry.getValue())) {
        return;
      }
    }
  }

  private static Map.Entry<byte[], byte[]> nextStored(Iterator<Map.Entry<byte[], byte[]>> stored, byte[] prefix, NavigableSet<byte[]> ownRemovals) {
    while (stored.hasNext()) {
      Map.Entry<byte[], byte[]> entry = stored.next();
      if (!StateKeys.startsWith(entry.getKey(), prefix)) {
        return null;
      }
      if (!ownRemovals.contains(entry.getKey())) {
        return entry;
      }
    }
    return null;
  }
}
