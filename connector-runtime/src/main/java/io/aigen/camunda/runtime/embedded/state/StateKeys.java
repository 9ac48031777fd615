package io.aigen.camunda.runtime.embedded.state;

import io.camunda.zeebe.db.impl.ZeebeDbConstants;
import io.camunda.zeebe.util.buffer.BufferWriter;
import java.util.Arrays;
import java.util.Comparator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * How keys and values are laid out: a key is its column family's ordinal (8 bytes, big-endian, as
 * zeebe-process-test's store has it) followed by the key's own bytes, compared as unsigned bytes.
 * So one column family's keys, and all keys with one prefix, lie next to each other.
 */
final class StateKeys {

  static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

  private StateKeys() {}

  static byte[] key(long columnFamily, BufferWriter key) {
    byte[] bytes = new byte[Long.BYTES + key.getLength()];
    UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    buffer.putLong(0, columnFamily, ZeebeDbConstants.ZB_DB_BYTE_ORDER);
    key.write(buffer, Long.BYTES);
    return bytes;
  }

  /** {@code ownBytes} after the column family's ordinal. */
  static byte[] key(long columnFamily, byte[] ownBytes) {
    byte[] bytes = new byte[Long.BYTES + ownBytes.length];
    new UnsafeBuffer(bytes).putLong(0, columnFamily, ZeebeDbConstants.ZB_DB_BYTE_ORDER);
    System.arraycopy(ownBytes, 0, bytes, Long.BYTES, ownBytes.length);
    return bytes;
  }

  /** A key's or a value's own bytes. */
  static byte[] bytes(BufferWriter writer) {
    byte[] bytes = new byte[writer.getLength()];
    writer.write(new UnsafeBuffer(bytes), 0);
    return bytes;
  }

  static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
