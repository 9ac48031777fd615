/**
 * The embedded engine's state: Zeebe's {@code ZeebeDb} kept in one sorted, concurrent map, where a
 * lookup or a prefix scan costs what it touches, not what the whole state holds.
 */
package io.aigen.camunda.runtime.embedded.state;
