package io.aigen.camunda.runtime.embedded.state;

import io.camunda.zeebe.db.DbKey;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** A key of no bytes: the key instance of a column family only checked for emptiness. */
final class DbNothing implements DbKey {

  @Override
  public void wrap(DirectBuffer buffer, int offset, int length) {}

  @Override
  public int getLength() {
    return 0;
  }

  @Override
  public int write(MutableDirectBuffer buffer, int offset) {
    return 0;
  }
}
