package io.aigen.camunda.benchmark;

import io.camunda.zeebe.logstreams.log.LogStream;
import io.camunda.zeebe.logstreams.log.LogStreamReader;
import io.camunda.zeebe.logstreams.log.LoggedEvent;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.impl.record.RecordMetadata;
import io.camunda.zeebe.protocol.impl.record.value.processinstance.ProcessInstanceRecord;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.MessageIntent;
import io.camunda.zeebe.protocol.record.intent.MessageSubscriptionIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the in-memory engine's record stream as it is written, keeping only what the benchmark
 * needs: each record's timestamp and value type (to count records in a window), when each process
 * instance completed, and when it completed the strategy's wait element.
 *
 * <p>It opens its own reader on the engine's log (the private field {@code logStream} of
 * zeebe-process-test 8.8's {@code InMemoryEngine}) instead of {@code getRecordStreamSource()},
 * which keeps a deserialised copy of every record: at hundreds of thousands of records that would
 * cost the harness JVM gigabytes and skew the engine's numbers.
 */
final class RecordTap implements AutoCloseable {

  private final LogStreamReader reader;
  private final String waitElementId;
  private final RecordMetadata metadata = new RecordMetadata();
  private final ProcessInstanceRecord processInstance = new ProcessInstanceRecord();
  private final Thread thread;
  private volatile boolean running = true;
  private long lastPosition = -1;

  // guarded by this
  private long[] timestamps = new long[1 << 16];
  private byte[] valueTypes = new byte[1 << 16];
  private int count;
  private final Map<Long, Long> waitCompletedAt = new HashMap<>();
  private final Map<Long, Long> processCompletedAt = new HashMap<>();
  private int incidents;
  private long messagesPublished;
  private long messageRejections;
  private long subscriptionsCreated;
  private long subscriptionsCorrelated;

  RecordTap(ZeebeTestEngine engine, String waitElementId) {
    this.reader = logStreamOf(engine).newLogStreamReader();
    this.waitElementId = waitElementId;
    this.thread = new Thread(this::run, "bench-record-tap");
    thread.setDaemon(true);
    thread.start();
  }

  private static LogStream logStreamOf(ZeebeTestEngine engine) {
    try {
      Field field = engine.getClass().getDeclaredField("logStream");
      field.setAccessible(true);
      return (LogStream) field.get(engine);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot open the in-memory engine's log (" + engine.getClass().getName() + ".logStream); the benchmark is written for zeebe-process-test 8.8", e);
    }
  }

  private void run() {
    while (running) {
      drain();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads everything written so far. */
  synchronized void drain() {
    if (lastPosition < 0) {
      reader.seekToFirstEvent();
    } else {
      reader.seekToNextEvent(lastPosition);
    }
    while (reader.hasNext()) {
      LoggedEvent event = reader.next();
      take(event);
      lastPosition = event.getPosition();
    }
  }

  private void take(LoggedEvent event) {
    event.readMetadata(metadata);
    long timestamp = event.getTimestamp();
    ValueType type = metadata.getValueType();
    if (count == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, count * 2);
      valueTypes = Arrays.copyOf(valueTypes, count * 2);
    }
    timestamps[count] = timestamp;
    valueTypes[count] = (byte) type.ordinal();
    count++;
    if (metadata.getRecordType() == RecordType.COMMAND_REJECTION && type == ValueType.MESSAGE) {
      messageRejections++;
    }
    if (metadata.getRecordType() != RecordType.EVENT) {
      return;
    }
    if (type == ValueType.PROCESS_INSTANCE && metadata.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED) {
      event.readValue(processInstance);
      long key = processInstance.getProcessInstanceKey();
      if (processInstance.getBpmnElementType() == BpmnElementType.PROCESS) {
        processCompletedAt.put(key, timestamp);
      } else if (waitElementId.equals(processInstance.getElementId())) {
        waitCompletedAt.putIfAbsent(key, timestamp);
      }
    } else if (type == ValueType.INCIDENT && metadata.getIntent() == IncidentIntent.CREATED) {
      incidents++;
    } else if (type == ValueType.MESSAGE && metadata.getIntent() == MessageIntent.PUBLISHED) {
      messagesPublished++;
    } else if (type == ValueType.MESSAGE_SUBSCRIPTION && metadata.getIntent() == MessageSubscriptionIntent.CREATED) {
      subscriptionsCreated++;
    } else if (type == ValueType.MESSAGE_SUBSCRIPTION && metadata.getIntent() == MessageSubscriptionIntent.CORRELATED) {
      subscriptionsCorrelated++;
    }
  }

  /** How many of {@code keys} have completed. */
  synchronized int completedOf(Iterable<Long> keys) {
    int done = 0;
    for (Long key : keys) {
      if (processCompletedAt.containsKey(key)) {
        done++;
      }
    }
    return done;
  }

  synchronized Long processCompletedAt(long key) {
    return processCompletedAt.get(key);
  }

  synchronized Long waitCompletedAt(long key) {
    return waitCompletedAt.get(key);
  }

  synchronized int incidents() {
    return incidents;
  }

  /**
   * Message counts so far: MESSAGE PUBLISHED events, rejected MESSAGE commands (e.g. a duplicate
   * message id), MESSAGE_SUBSCRIPTION CREATED (a catch event or receive task opened its
   * subscription) and MESSAGE_SUBSCRIPTION CORRELATED (a message reached it).
   */
  synchronized Messages messages() {
    return new Messages(messagesPublished, messageRejections, subscriptionsCreated, subscriptionsCorrelated);
  }

  record Messages(long published, long rejected, long subscriptionsCreated, long correlated) {
    Messages minus(Messages earlier) {
      return new Messages(published - earlier.published, rejected - earlier.rejected, subscriptionsCreated - earlier.subscriptionsCreated,
          correlated - earlier.correlated);
    }
  }

  /** Records with a timestamp in {@code [fromMillis, toMillis]}, by value type. */
  synchronized Window window(long fromMillis, long toMillis) {
    Map<ValueType, Long> byType = new EnumMap<>(ValueType.class);
    ValueType[] types = ValueType.values();
    long total = 0;
    for (int i = 0; i < count; i++) {
      if (timestamps[i] >= fromMillis && timestamps[i] <= toMillis) {
        total++;
        byType.merge(types[valueTypes[i]], 1L, Long::sum);
      }
    }
    return new Window(total, byType, toMillis - fromMillis);
  }

  synchronized int recordCount() {
    return count;
  }

  /**
   * Records written in a time window.
   *
   * @param total all records (commands, events, rejections) of every value type
   * @param byType the same by value type
   */
  record Window(long total, Map<ValueType, Long> byType, long millis) {
    double perSecond() {
      return millis <= 0 ? 0 : total * 1000.0 / millis;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      reader.close();
    }
  }
}
