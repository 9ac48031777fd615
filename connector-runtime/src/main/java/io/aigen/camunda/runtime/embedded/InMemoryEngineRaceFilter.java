package io.aigen.camunda.runtime.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ConcurrentModificationException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops one ERROR of the in-memory engine that tells of the engine, not of this runtime: its batch
 * operation scheduler (Zeebe 8.8) reads the engine's state on an actor thread of its own while the
 * stream processor writes it, and zeebe-process-test's in-memory database is not made for that. The
 * read fails with a {@link ConcurrentModificationException}, the actor logs "Uncaught exception in
 * 'BatchOperationActor-…'" and goes on; no process uses batch operations here. Every other actor
 * error still shows.
 */
public final class InMemoryEngineRaceFilter extends TurboFilter {

  static final String ACTOR_LOGGER = "io.camunda.zeebe.util.actor";

  /** Adds the filter to Logback's context, once; a no-op under another logging backend. */
  public static void install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getTurboFilterList().stream().noneMatch(InMemoryEngineRaceFilter.class::isInstance)) {
      context.addTurboFilter(new InMemoryEngineRaceFilter());
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    boolean theRace =
        level == Level.ERROR
            && ACTOR_LOGGER.equals(logger.getName())
            && format != null
            && format.startsWith("Uncaught exception in '")
            && params != null
            && params.length > 0
            && String.valueOf(params[0]).startsWith("BatchOperationActor")
            && rootCause(t != null ? t : lastThrowable(params)) instanceof ConcurrentModificationException;
    return theRace ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  /** SLF4J passes a throwable given after the arguments as the last argument. */
  private static Throwable lastThrowable(Object[] params) {
    return params[params.length - 1] instanceof Throwable t ? t : null;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
