package io.aigen.camunda.runtime.embedded.state;

import io.camunda.zeebe.db.ColumnFamily;
import io.camunda.zeebe.db.DbKey;
import io.camunda.zeebe.db.DbValue;
import io.camunda.zeebe.db.KeyValuePairVisitor;
import io.camunda.zeebe.db.ZeebeDbInconsistentException;
import io.camunda.zeebe.protocol.ColumnFamilyScope;
import io.camunda.zeebe.protocol.ScopedColumnFamily;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One of Zeebe's column families over {@link StateTransactionContext}: its keys carry the family's
 * ordinal first ({@link StateKeys}). As in Zeebe, the key and value instances given at creation are
 * reused: each read wraps them around the stored bytes.
 */
final class StateColumnFamily<KeyType extends DbKey, ValueType extends DbValue> implements ColumnFamily<KeyType, ValueType> {

  private static final byte[] NO_KEY = new byte[0];

  private final Enum<?> name;
  private final ColumnFamilyScope scope;
  private final StateTransactionContext context;
  private final KeyType keyInstance;
  private final ValueType valueInstance;

  <Name extends Enum<?> & ScopedColumnFamily> StateColumnFamily(Name name, StateTransactionContext context, KeyType keyInstance, ValueType valueInstance) {
    this.name = name;
    this.scope = name.partitionScope();
    this.context = context;
    this.keyInstance = keyInstance;
    this.valueInstance = valueInstance;
  }

  @Override
  public void insert(KeyType key, ValueType value) {
    byte[] stored = keyOf(key);
    context.runInTransaction(() -> {
      if (transaction().get(stored) != null) {
        throw new ZeebeDbInconsistentException("Key " + key + " in ColumnFamily " + name + " already exists");
      }
      transaction().put(stored, StateKeys.bytes(value));
    });
  }

  @Override
  public void update(KeyType key, ValueType value) {
    byte[] stored = keyOf(key);
    context.runInTransaction(() -> {
      if (transaction().get(stored) == null) {
        throw new ZeebeDbInconsistentException("Key " + key + " in ColumnFamily " + name + " does not exist");
      }
      transaction().put(stored, StateKeys.bytes(value));
    });
  }

  @Override
  public void upsert(KeyType key, ValueType value) {
    byte[] stored = keyOf(key);
    context.runInTransaction(() -> transaction().put(stored, StateKeys.bytes(value)));
  }

  @Override
  public ValueType get(KeyType key) {
    return get(key, () -> valueInstance);
  }

  @Override
  public ValueType get(KeyType key, Supplier<ValueType> valueSupplier) {
    byte[] value = read(keyOf(key));
    if (value == null) {
      return null;
    }
    ValueType result = valueSupplier.get();
    result.wrap(new UnsafeBuffer(value), 0, value.length);
    return result;
  }

  @Override
  public boolean exists(KeyType key) {
    return read(keyOf(key)) != null;
  }

  @Override
  public void deleteExisting(KeyType key) {
    byte[] stored = keyOf(key);
    context.runInTransaction(() -> {
      if (transaction().get(stored) == null) {
        throw new ZeebeDbInconsistentException("Key " + key + " in ColumnFamily " + name + " does not exist");
      }
      transaction().remove(stored);
    });
  }

  @Override
  public void deleteIfExists(KeyType key) {
    byte[] stored = keyOf(key);
    context.runInTransaction(() -> transaction().remove(stored));
  }

  @Override
  public void forEach(Consumer<ValueType> consumer) {
    scan(NO_KEY, NO_KEY, (key, value) -> {
      consumer.accept(value);
      return true;
    });
  }

  @Override
  public void forEach(BiConsumer<KeyType, ValueType> consumer) {
    scan(NO_KEY, NO_KEY, (key, value) -> {
      consumer.accept(key, value);
      return true;
    });
  }

  @Override
  public void whileTrue(KeyType startAtKey, KeyValuePairVisitor<KeyType, ValueType> visitor) {
    scan(startAtKey == null ? NO_KEY : ownBytes(startAtKey), NO_KEY, visitor);
  }

  @Override
  public void whileTrue(KeyValuePairVisitor<KeyType, ValueType> visitor) {
    scan(NO_KEY, NO_KEY, visitor);
  }

  @Override
  public void whileEqualPrefix(DbKey keyPrefix, BiConsumer<KeyType, ValueType> visitor) {
    byte[] prefix = ownBytes(keyPrefix);
    scan(prefix, prefix, (key, value) -> {
      visitor.accept(key, value);
      return true;
    });
  }

  @Override
  public void whileEqualPrefix(DbKey keyPrefix, KeyValuePairVisitor<KeyType, ValueType> visitor) {
    byte[] prefix = ownBytes(keyPrefix);
    scan(prefix, prefix, visitor);
  }

  @Override
  public void whileEqualPrefix(DbKey keyPrefix, KeyType startAtKey, KeyValuePairVisitor<KeyType, ValueType> visitor) {
    byte[] prefix = ownBytes(keyPrefix);
    scan(startAtKey == null ? prefix : ownBytes(startAtKey), prefix, visitor);
  }

  @Override
  public boolean isEmpty() {
    boolean[] empty = {true};
    scanRaw(NO_KEY, NO_KEY, (key, value) -> {
      empty[0] = false;
      return false;
    });
    return empty[0];
  }

  @Override
  public long count() {
    return countEqualPrefixBytes(NO_KEY);
  }

  @Override
  public long countEqualPrefix(DbKey prefix) {
    return countEqualPrefixBytes(ownBytes(prefix));
  }

  @Override
  public ColumnFamilyScope partitionScope() {
    return scope;
  }

  private long countEqualPrefixBytes(byte[] prefix) {
    long[] count = {0};
    scanRaw(prefix, prefix, (key, value) -> {
      count[0]++;
      return true;
    });
    return count[0];
  }

  /** Scans with the key and value instances wrapped around each entry. */
  private void scan(byte[] from, byte[] prefix, KeyValuePairVisitor<KeyType, ValueType> visitor) {
    scanRaw(from, prefix, (key, value) -> {
      keyInstance.wrap(new UnsafeBuffer(key, Long.BYTES, key.length - Long.BYTES), 0, key.length - Long.BYTES);
      valueInstance.wrap(new UnsafeBuffer(value), 0, value.length);
      return visitor.visit(keyInstance, valueInstance);
    });
  }

  /** {@code from} and {@code prefix} without the family's ordinal, which is added here. */
  private void scanRaw(byte[] from, byte[] prefix, StateVisitor visitor) {
    byte[] qualifiedFrom = StateKeys.key(name.ordinal(), from);
    byte[] qualifiedPrefix = StateKeys.key(name.ordinal(), prefix);
    context.runInTransaction(() -> transaction().scan(qualifiedFrom, qualifiedPrefix, visitor));
  }

  private byte[] read(byte[] key) {
    byte[][] value = new byte[1][];
    context.runInTransaction(() -> value[0] = transaction().get(key));
    return value[0];
  }

  private StateTransaction transaction() {
    return context.transaction();
  }

  private byte[] keyOf(DbKey key) {
    return StateKeys.key(name.ordinal(), key);
  }

  private static byte[] ownBytes(DbKey key) {
    return StateKeys.bytes(key);
  }
}
