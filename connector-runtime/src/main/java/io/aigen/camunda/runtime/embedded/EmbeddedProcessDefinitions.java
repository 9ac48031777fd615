package io.aigen.camunda.runtime.embedded;

import io.camunda.client.api.search.response.ElementInstance;
import io.camunda.client.api.search.response.ProcessDefinition;
import io.camunda.client.api.search.response.SearchResponse;
import io.camunda.client.api.search.response.SearchResponsePage;
import io.camunda.client.api.search.response.Variable;
import io.camunda.connector.runtime.inbound.search.SearchQueryClient;
import io.camunda.zeebe.logstreams.log.LogStream;
import io.camunda.zeebe.logstreams.log.LogStreamReader;
import io.camunda.zeebe.logstreams.log.LoggedEvent;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.RecordStreamSource;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.impl.record.RecordMetadata;
import io.camunda.zeebe.protocol.impl.record.value.deployment.ProcessRecord;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.ProcessIntent;
import io.camunda.zeebe.protocol.record.value.deployment.Process;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Camunda's inbound runtime asks about deployed processes, answered from the in-memory
 * engine's log instead of the REST search API it lacks. With it, the runtime's process definition
 * importer finds inbound connectors (such as the AI generation callback) in whatever is deployed to
 * the embedded engine, by this runtime or by a modeler, and activates them.
 *
 * <p>Only the importer's two questions are answered: the latest version of every process, and a
 * version's BPMN. The first page carries every definition and a cursor, the next page is empty:
 * that ends the importer's paging loop. Element instance and variable searches (used by inbound
 * connectors with an intermediate context, not by webhooks) answer empty pages.
 *
 * <p>The log is read incrementally and only process records are decoded. The engine's own record
 * stream ({@code getRecordStreamSource()}) would do too, but it keeps a decoded copy of every record
 * it has handed out, about 4 KB each, for as long as the engine runs; it is only the fallback when
 * the engine's log cannot be reached.
 *
 * <p>{@link SearchQueryClient} is Camunda's own 8.8.x interface, internal to its runtime; it
 * changes in later versions.
 */
public final class EmbeddedProcessDefinitions implements SearchQueryClient, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedProcessDefinitions.class);

  static final String LAST_PAGE = "embedded-engine:all";

  private final DeploymentFeed feed;
  /** Deployed processes by definition key, read so far. */
  private final Map<Long, Deployed> byKey = new HashMap<>();

  EmbeddedProcessDefinitions(DeploymentFeed feed) {
    this.feed = feed;
  }

  /** Reads the engine's log; falls back to its record stream when the log cannot be reached. */
  public static EmbeddedProcessDefinitions of(ZeebeTestEngine engine) {
    try {
      Field field = engine.getClass().getDeclaredField("logStream");
      field.setAccessible(true);
      return new EmbeddedProcessDefinitions(new LogFeed(((LogStream) field.get(engine)).newLogStreamReader()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("The engine's log is out of reach ({}); reading its record stream", e.toString());
      return new EmbeddedProcessDefinitions(new RecordStreamFeed(engine.getRecordStreamSource()));
    }
  }

  @Override
  public synchronized SearchResponse<ProcessDefinition> queryProcessDefinitions(String paginationIndex) {
    if (paginationIndex != null) {
      return new Page<>(List.of(), null);
    }
    readNew();
    Map<String, Deployed> latest = new HashMap<>();
    for (Deployed process : byKey.values()) {
      latest.merge(process.tenantId() + "\u0000" + process.bpmnProcessId(), process, (a, b) -> a.version() >= b.version() ? a : b);
    }
    List<ProcessDefinition> definitions =
        latest.values().stream().sorted(Comparator.comparingLong(Deployed::key)).map(ProcessDefinition.class::cast).toList();
    return new Page<>(definitions, LAST_PAGE);
  }

  @Override
  public synchronized BpmnModelInstance getProcessModel(long processDefinitionKey) {
    Deployed process = byKey.get(processDefinitionKey);
    if (process == null) {
      readNew();
      process = byKey.get(processDefinitionKey);
    }
    if (process == null) {
      throw new NoSuchElementException("no process definition " + processDefinitionKey + " on the embedded engine");
    }
    return Bpmn.readModelFromStream(new ByteArrayInputStream(process.resource()));
  }

  @Override
  public SearchResponse<ElementInstance> queryActiveFlowNodes(long processDefinitionKey, String elementId, String paginationIndex) {
    return new Page<>(List.of(), null);
  }

  @Override
  public SearchResponse<Variable> queryVariables(long processInstanceKey, String variablePaginationIndex) {
    return new Page<>(List.of(), null);
  }

  @Override
  public synchronized void close() {
    feed.close();
  }

  /** Whether the engine's log is read (rather than the record stream fallback). */
  boolean readsLog() {
    return feed instanceof LogFeed;
  }

  private void readNew() {
    for (Deployed process : feed.next()) {
      if (process.deleted()) {
        byKey.remove(process.key());
      } else {
        byKey.put(process.key(), process);
      }
    }
  }

  /** A process deployed (or deleted) on the engine. */
  record Deployed(boolean deleted, long key, String bpmnProcessId, int version, String tenantId, String resourceName, String versionTag, byte[] resource)
      implements ProcessDefinition {

    static Deployed of(Process process, boolean deleted) {
      return new Deployed(
          deleted,
          process.getProcessDefinitionKey(),
          process.getBpmnProcessId(),
          process.getVersion(),
          process.getTenantId(),
          process.getResourceName(),
          process.getVersionTag(),
          deleted ? new byte[0] : process.getResource());
    }

    @Override
    public long getProcessDefinitionKey() {
      return key;
    }

    @Override
    public String getName() {
      return bpmnProcessId;
    }

    @Override
    public String getResourceName() {
      return resourceName;
    }

    @Override
    public int getVersion() {
      return version;
    }

    @Override
    public String getVersionTag() {
      return versionTag;
    }

    @Override
    public String getProcessDefinitionId() {
      return bpmnProcessId;
    }

    @Override
    public String getTenantId() {
      return tenantId;
    }

    @Override
    public Boolean getHasStartForm() {
      return false;
    }
  }

  /** The process records appended since the last call. */
  interface DeploymentFeed extends AutoCloseable {
    List<Deployed> next();

    @Override
    default void close() {}
  }

  /** Reads the log with a reader of its own; decodes process events only, keeps nothing else. */
  static final class LogFeed implements DeploymentFeed {
    private final LogStreamReader reader;
    private long lastPosition = -1;

    LogFeed(LogStreamReader reader) {
      this.reader = reader;
    }

    @Override
    public List<Deployed> next() {
      if (lastPosition < 0) {
        reader.seekToFirstEvent();
      } else {
        reader.seekToNextEvent(lastPosition);
      }
      List<Deployed> found = new ArrayList<>();
      while (reader.hasNext()) {
        LoggedEvent event = reader.next();
        lastPosition = event.getPosition();
        RecordMetadata metadata = new RecordMetadata();
        event.readMetadata(metadata);
        if (metadata.getValueType() == ValueType.PROCESS && metadata.getRecordType() == RecordType.EVENT) {
          boolean created = metadata.getIntent() == ProcessIntent.CREATED;
          if (created || metadata.getIntent() == ProcessIntent.DELETED) {
            ProcessRecord process = new ProcessRecord();
            event.readValue(process);
            found.add(Deployed.of(process, !created));
          }
        }
      }
      return found;
    }

    @Override
    public void close() {
      reader.close();
    }
  }

  /** The engine's record stream, by index: it only grows, and an index walk tolerates other readers. */
  static final class RecordStreamFeed implements DeploymentFeed {
    private final RecordStreamSource records;
    private int read;

    RecordStreamFeed(RecordStreamSource records) {
      this.records = records;
    }

    @Override
    public List<Deployed> next() {
      Iterable<Record<?>> iterable = records.getRecords();
      List<Record<?>> all;
      if (iterable instanceof List<Record<?>> list) {
        all = list;
      } else {
        all = new ArrayList<>();
        iterable.forEach(all::add);
      }
      List<Deployed> found = new ArrayList<>();
      int size = all.size();
      for (int i = read; i < size; i++) {
        Record<?> record = all.get(i);
        if (record.getValueType() == ValueType.PROCESS && record.getRecordType() == RecordType.EVENT) {
          if (record.getIntent() == ProcessIntent.CREATED || record.getIntent() == ProcessIntent.DELETED) {
            found.add(Deployed.of((Process) record.getValue(), record.getIntent() == ProcessIntent.DELETED));
          }
        }
      }
      read = size;
      return found;
    }
  }

  private record Page<T>(List<T> items, String endCursor) implements SearchResponse<T>, SearchResponsePage {
    @Override
    public SearchResponsePage page() {
      return this;
    }

    @Override
    public Long totalItems() {
      return (long) items.size();
    }

    @Override
    public String startCursor() {
      return null;
    }
  }
}
