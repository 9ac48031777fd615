package io.aigen.camunda.runtime.embedded.state;

/** Sees one stored entry of a scan; answers whether the scan goes on. */
@FunctionalInterface
interface StateVisitor {
  boolean visit(byte[] key, byte[] value);
}
