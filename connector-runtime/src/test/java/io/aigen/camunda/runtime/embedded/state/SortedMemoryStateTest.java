package io.aigen.camunda.runtime.embedded.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunda.zeebe.db.ColumnFamily;
import io.camunda.zeebe.db.TransactionContext;
import io.camunda.zeebe.db.ZeebeDbInconsistentException;
import io.camunda.zeebe.db.ZeebeDbTransaction;
import io.camunda.zeebe.db.impl.DbCompositeKey;
import io.camunda.zeebe.db.impl.DbLong;
import io.camunda.zeebe.db.impl.DbString;
import io.camunda.zeebe.protocol.ZbColumnFamilies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The engine's state store as Zeebe's state classes use it: column families of composite keys,
 * prefix scans, transactions that commit or roll back, and scans while another thread commits.
 */
class SortedMemoryStateTest {

  private final SortedMemoryState<ZbColumnFamilies> state = new SortedMemoryState<>();
  private final TransactionContext context = state.createContext();
  private final DbString name = new DbString();
  private final DbLong number = new DbLong();
  private final DbCompositeKey<DbString, DbLong> key = new DbCompositeKey<>(name, number);
  private final DbString value = new DbString();
  private final ColumnFamily<DbCompositeKey<DbString, DbLong>, DbString> messages =
      state.createColumnFamily(ZbColumnFamilies.MESSAGES, context, key, value);
  private final ColumnFamily<DbCompositeKey<DbString, DbLong>, DbString> variables =
      state.createColumnFamily(ZbColumnFamilies.VARIABLES, context, key, value);

  @Test
  void insertUpdateAndDeleteRefuseWhatZeebeRefuses() {
    put(messages, "a", 1, "first");
    assertThatThrownBy(() -> put(messages, "a", 1, "again")).isInstanceOf(ZeebeDbInconsistentException.class).hasMessageContaining("already exists");
    assertThat(get(messages, "a", 1)).isEqualTo("first");

    key("a", 2);
    value.wrapString("x");
    assertThatThrownBy(() -> messages.update(key, value)).isInstanceOf(ZeebeDbInconsistentException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> messages.deleteExisting(key)).isInstanceOf(ZeebeDbInconsistentException.class).hasMessageContaining("does not exist");
    messages.deleteIfExists(key);

    key("a", 1);
    value.wrapString("second");
    messages.update(key, value);
    assertThat(get(messages, "a", 1)).isEqualTo("second");
    messages.upsert(key, value);
    messages.deleteExisting(key);
    assertThat(messages.exists(key)).isFalse();
    assertThat(messages.get(key)).isNull();
  }

  @Test
  void aPrefixScanVisitsItsKeysInOrderAndNoOtherFamilysKeys() {
    put(messages, "b", 2, "b2");
    put(messages, "a", 9, "a9");
    put(messages, "b", 1, "b1");
    put(messages, "c", 1, "c1");
    put(variables, "b", 3, "other family");

    assertThat(scan(messages, "b")).containsExactly("b/1=b1", "b/2=b2");
    assertThat(scanAll(messages)).containsExactly("a/9=a9", "b/1=b1", "b/2=b2", "c/1=c1");
    assertThat(messages.count()).isEqualTo(4);
    name.wrapString("b");
    assertThat(messages.countEqualPrefix(name)).isEqualTo(2);
    assertThat(variables.count()).isEqualTo(1);
    assertThat(state.isEmpty(ZbColumnFamilies.MESSAGES, context)).isFalse();
    assertThat(state.isEmpty(ZbColumnFamilies.JOBS, context)).isTrue();
  }

  @Test
  void scansStartAtAKeyAndStopWhenTheVisitorSaysSo() {
    for (int i = 1; i <= 5; i++) {
      put(messages, "k", i, "v" + i);
    }
    List<String> seen = new ArrayList<>();
    name.wrapString("k");
    DbCompositeKey<DbString, DbLong> start = new DbCompositeKey<>(new DbString(), new DbLong());
    start.first().wrapString("k");
    start.second().wrapLong(3);
    messages.whileEqualPrefix(name, start, (k, v) -> {
      seen.add(k.second().getValue() + "=" + v);
      return k.second().getValue() < 4;
    });
    assertThat(seen).containsExactly("3=v3", "4=v4");

    seen.clear();
    messages.whileTrue(start, (k, v) -> seen.add(k.second().getValue() + ""));
    assertThat(seen).containsExactly("3", "4", "5");
  }

  @Test
  void anOpenTransactionSeesItsOwnChangesAndCommitsOrRollsThemBack() throws Exception {
    put(messages, "t", 1, "kept");
    put(messages, "t", 2, "deleted");

    ZeebeDbTransaction transaction = context.getCurrentTransaction();
    put(messages, "t", 3, "new");
    key("t", 2);
    messages.deleteExisting(key);
    key("t", 1);
    value.wrapString("changed");
    messages.update(key, value);
    assertThat(scan(messages, "t")).containsExactly("t/1=changed", "t/3=new");
    transaction.rollback();
    assertThat(scan(messages, "t")).containsExactly("t/1=kept", "t/2=deleted");

    transaction = context.getCurrentTransaction();
    put(messages, "t", 3, "new");
    key("t", 2);
    messages.deleteExisting(key);
    transaction.commit();
    assertThat(scan(messages, "t")).containsExactly("t/1=kept", "t/3=new");
    assertThat(state.size()).isEqualTo(2);
  }

  @Test
  void anOperationThatThrowsLeavesNothingBehind() {
    assertThatThrownBy(() -> context.runInTransaction(() -> {
      put(messages, "r", 1, "half done");
      throw new IllegalStateException("processing failed");
    })).isInstanceOf(IllegalStateException.class).hasMessage("processing failed");
    assertThat(scanAll(messages)).isEmpty();
  }

  @Test
  void aVisitorThatDeletesAndInsertsIsShownTheStateAsItWasWhenTheScanBegan() {
    for (int i = 1; i <= 3; i++) {
      put(messages, "d", i, "v" + i);
    }
    context.runInTransaction(() -> {
      put(messages, "d", 4, "v4"); // this transaction's own, not yet committed
      List<String> seen = new ArrayList<>();
      name.wrapString("d");
      DbCompositeKey<DbString, DbLong> other = new DbCompositeKey<>(new DbString(), new DbLong());
      messages.whileEqualPrefix(name, (k, v) -> {
        long n = k.second().getValue();
        seen.add(Long.toString(n));
        other.first().wrapString("d");
        other.second().wrapLong(n);
        messages.deleteExisting(other);
        other.second().wrapLong(n + 10);
        value.wrapString("later");
        messages.upsert(other, value);
      });
      assertThat(seen).containsExactly("1", "2", "3", "4");
    });
    assertThat(scan(messages, "d")).containsExactly("d/11=later", "d/12=later", "d/13=later", "d/14=later");
  }

  @Test
  void aScanOnOneThreadWhileAnotherCommitsNeitherFailsNorSeesDisorder() throws Exception {
    TransactionContext writerContext = state.createContext();
    DbCompositeKey<DbString, DbLong> writerKey = new DbCompositeKey<>(new DbString(), new DbLong());
    DbString writerValue = new DbString();
    ColumnFamily<DbCompositeKey<DbString, DbLong>, DbString> writes = state.createColumnFamily(ZbColumnFamilies.MESSAGES, writerContext, writerKey, writerValue);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        for (int i = 0; i < 20_000; i++) {
          writerKey.first().wrapString("w");
          writerKey.second().wrapLong(i);
          writerValue.wrapString("v");
          writes.insert(writerKey, writerValue);
          if (i % 3 == 0) {
            writerKey.second().wrapLong(i / 2);
            writes.deleteIfExists(writerKey);
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    writer.start();
    int scans = 0;
    while (writer.isAlive()) {
      long[] last = {-1};
      name.wrapString("w");
      messages.whileEqualPrefix(name, (k, v) -> {
        assertThat(k.second().getValue()).isGreaterThan(last[0]);
        last[0] = k.second().getValue();
      });
      scans++;
    }
    writer.join();
    assertThat(failure.get()).isNull();
    assertThat(scans).isPositive();
    name.wrapString("w");
    assertThat(messages.countEqualPrefix(name)).isEqualTo(keysLeftByTheWriter());
  }

  /** What the writer above leaves: a delete of a key not yet written deletes nothing. */
  private static long keysLeftByTheWriter() {
    Set<Long> written = new HashSet<>();
    for (long i = 0; i < 20_000; i++) {
      written.add(i);
      if (i % 3 == 0) {
        written.remove(i / 2);
      }
    }
    return written.size();
  }

  private void key(String first, long second) {
    name.wrapString(first);
    number.wrapLong(second);
  }

  private void put(ColumnFamily<DbCompositeKey<DbString, DbLong>, DbString> family, String first, long second, String text) {
    key(first, second);
    value.wrapString(text);
    family.insert(key, value);
  }

  private String get(ColumnFamily<DbCompositeKey<DbString, DbLong>, DbString> family, String first, long second) {
    key(first, second);
    DbString found = family.get(key);
    return found == null ? null : found.toString();
  }

  private List<String> scan(ColumnFamily<DbCompositeKey<DbString, DbLong>, DbString> family, String prefix) {
    List<String> seen = new ArrayList<>();
    DbString p = new DbString();
    p.wrapString(prefix);
    family.whileEqualPrefix(p, (k, v) -> {
      seen.add(k.first() + "/" + k.second().getValue() + "=" + v);
    });
    return seen;
  }

  private List<String> scanAll(ColumnFamily<DbCompositeKey<DbString, DbLong>, DbString> family) {
    List<String> seen = new ArrayList<>();
    family.forEach((k, v) -> {
      seen.add(k.first() + "/" + k.second().getValue() + "=" + v);
    });
    return seen;
  }
}
