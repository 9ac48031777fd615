package io.aigen.camunda.runtime.faults;

import io.aigen.camunda.runtime.support.RuntimeStack;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxOptions;
import io.aigen.camunda.sandbox.faults.FaultKind;
import io.aigen.camunda.sandbox.faults.FaultPlan;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.aigen.camunda.runtime.embedded.LoopbackEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.JobBatchIntent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.JobBatchRecordValue;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * N generations across fal, Replicate and Oxen on one in-memory engine, worked by R runtime
 * replicas in JVMs of their own, while the provider sandbox spoils a share of its answers (every
 * {@link FaultKind}) and K times a replica is killed with SIGKILL at a random moment and started
 * again. Everything is then read back from the engine's records and the sandbox's journal: how each
 * generation ended against what its script says, duplicate submits, {@code Retry-After} kept,
 * incidents, restarts and recovery ({@link FaultReport}).
 */
public final class FaultSuite {

  /**
   * @param n generations
   * @param share of provider answers spoiled
   * @param kills SIGKILLs of a replica, at random moments within {@code killWindow}
   * @param replicas runtimes working the same engine
   * @param seed decides the scripts, the faults and the kills
   * @param failShare of generations whose script says the provider fails them ({@code [fail]})
   * @param jobDuration how long each generation takes at the provider
   * @param killWindow kills fall between 2 s and this after the first instance starts
   * @param activationTimeout how long a runtime holds an activated job ({@code aigen.worker.timeout}):
   *     what a killed runtime's jobs wait before another takes them
   * @param limit the run ends at the latest after this
   */
  public record Settings(
      int n, double share, int kills, int replicas, long seed, double failShare, Duration jobDuration, Duration killWindow, Duration activationTimeout,
      Duration limit, Path logDir) {

    static Settings fromSystemProperties(int n, int kills, Duration killWindow, Duration limit) {
      return new Settings(
          Integer.getInteger("faults.n", n),
          Double.parseDouble(System.getProperty("faults.share", "0.2")),
          Integer.getInteger("faults.kills", kills),
          Integer.getInteger("faults.replicas", 2),
          Long.getLong("faults.seed", 13),
          Double.parseDouble(System.getProperty("faults.failShare", "0.1")),
          Duration.parse(System.getProperty("faults.jobDuration", "PT2S")),
          Duration.parse(System.getProperty("faults.killWindow", killWindow.toString())),
          Duration.parse(System.getProperty("faults.activationTimeout", "PT35S")),
          Duration.parse(System.getProperty("faults.limit", limit.toString())),
          Path.of(System.getProperty("faults.logDir", "target/fault-suite")));
    }
  }

  static final String PROCESS = "fault-suite";
  static final List<String[]> PROVIDERS =
      List.of(new String[] {"fal", "fal-ai/flux/dev"}, new String[] {"replicate", "black-forest-labs/flux-schnell"}, new String[] {"oxen", "flux-2-dev"});
  /** Providers whose preset can find a job an earlier attempt created (their spec's {@code recover}). */
  static final Set<String> FINDS_EARLIER_SUBMITS = Set.of("replicate", "oxen");
  static final Duration RUNTIME_READ_TIMEOUT = Duration.ofSeconds(2);
  static final Pattern TAG = Pattern.compile("fault-suite g(\\d+) ");

  /** What one generation's script says. */
  record Script(int index, String provider, boolean fails) {}

  /** A kill of a replica: when, which, and how long until its replacement served again. */
  record Kill(Instant at, String replica, Duration restart) {}

  private final Settings settings;

  public FaultSuite(Settings settings) {
    this.settings = settings;
  }

  public FaultReport run() throws Exception {
    Random random = new Random(settings.seed());
    List<Script> scripts = new ArrayList<>();
    for (int i = 0; i < settings.n(); i++) {
      scripts.add(new Script(i, PROVIDERS.get(i % PROVIDERS.size())[0], random.nextDouble() < settings.failShare()));
    }
    int enginePort = RuntimeStack.freePort();
    ZeebeTestEngine engine = LoopbackEngine.create(InetAddress.getLoopbackAddress(), enginePort);
    engine.start();
    ProviderSandbox sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(settings.jobDuration()));
    ConcurrentLinkedQueue<JournalEntry> journal = new ConcurrentLinkedQueue<>();
    sandbox.journal().addListener(journal::add);
    FaultPlan plan = FaultPlan.of(settings.share(), settings.seed()).onlyFor(Set.of("fal", "replicate", "oxen")).withRetryAfterSeconds(2)
        .withSlowAnswer(RUNTIME_READ_TIMEOUT.plusSeconds(1));
    List<RuntimeReplica> replicas = Collections.synchronizedList(new ArrayList<>());
    List<Kill> kills = new ArrayList<>();
    ZeebeClient client = ZeebeClient.newClientBuilder().gatewayAddress("127.0.0.1:" + enginePort).usePlaintext().keepAlive(Duration.ofMinutes(10)).build();
    try {
      client.newDeployResourceCommand().addProcessModel(process(), PROCESS + ".bpmn").send().join();
      List<String> runtimeSettings = runtimeSettings(enginePort, sandbox);
      List<Thread> starting = new ArrayList<>();
      List<Exception> startFailures = Collections.synchronizedList(new ArrayList<>());
      for (int r = 0; r < settings.replicas(); r++) {
        String name = "replica-" + (r + 1);
        Thread thread = Thread.ofPlatform().start(() -> {
          try {
            replicas.add(RuntimeReplica.start(name, runtimeSettings, settings.logDir()));
          } catch (Exception e) {
            startFailures.add(e);
          }
        });
        starting.add(thread);
      }
      for (Thread thread : starting) {
        thread.join();
      }
      if (!startFailures.isEmpty()) {
        throw startFailures.get(0);
      }
      sandbox.injectFaults(plan);
      Instant started = Instant.now();
      List<Long> keys = startInstances(client, scripts);
      List<Instant> killTimes = new ArrayList<>();
      for (int k = 0; k < settings.kills(); k++) {
        long window = Math.max(1, settings.killWindow().minusSeconds(2).toMillis());
        killTimes.add(started.plusSeconds(2).plusMillis((long) (random.nextDouble() * window)));
      }
      Collections.sort(killTimes);
      Instant deadline = started.plus(settings.limit());
      int nextKill = 0;
      Outcomes outcomes = Outcomes.read(engine);
      while (Instant.now().isBefore(deadline)) {
        if (nextKill < killTimes.size() && !Instant.now().isBefore(killTimes.get(nextKill))) {
          kills.add(killAndRestart(replicas, random.nextInt(replicas.size()), runtimeSettings));
          nextKill++;
          continue;
        }
        outcomes = Outcomes.read(engine);
        if (nextKill == killTimes.size() && outcomes.settled(keys)) {
          break;
        }
        Thread.sleep(1000);
      }
      Duration wall = Duration.between(started, Instant.now());
      sandbox.injectFaults(FaultPlan.NONE);
      outcomes = Outcomes.read(engine);
      return FaultReport.of(settings, scripts, keys, outcomes, List.copyOf(journal), kills, plan, wall, records(engine));
    } finally {
      for (RuntimeReplica replica : replicas) {
        replica.stop();
      }
      client.close();
      sandbox.close();
      engine.stop();
    }
  }

  private Kill killAndRestart(List<RuntimeReplica> replicas, int which, List<String> runtimeSettings) throws Exception {
    RuntimeReplica victim = replicas.get(which);
    Instant at = Instant.now();
    victim.kill();
    RuntimeReplica replacement = RuntimeReplica.start(victim.name, runtimeSettings, settings.logDir());
    replicas.set(which, replacement);
    return new Kill(at, victim.name, Duration.between(at, Instant.now()));
  }

  private List<String> runtimeSettings(int enginePort, ProviderSandbox sandbox) {
    List<String> args = new ArrayList<>(List.of(
        "--aigen.demo.enabled=false",
        "--camunda.client.mode=self-managed",
        "--camunda.client.grpc-address=http://127.0.0.1:" + enginePort,
        "--camunda.client.rest-address=http://127.0.0.1:" + RuntimeStack.freePort(),
        "--camunda.client.prefer-rest-over-grpc=false",
        "--camunda.client.auth.method=none",
        "--camunda.client.keep-alive=PT10M",
        "--camunda.connector.polling.enabled=false",
        "--aigen.http.read-timeout=" + RUNTIME_READ_TIMEOUT,
        "--aigen.worker.timeout=" + settings.activationTimeout(),
        "--logging.level.io.aigen=INFO",
        "--logging.level.io.camunda=WARN"));
    for (String provider : ProviderSandbox.providerIds()) {
      args.add("--aigen.providers." + provider + ".base-url=" + sandbox.providerBaseUrl(provider));
    }
    return args;
  }

  private static List<Long> startInstances(ZeebeClient client, List<Script> scripts) throws InterruptedException {
    Semaphore slots = new Semaphore(32);
    List<Long> keys = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(scripts.size(), (Long) null)));
    for (Script script : scripts) {
      slots.acquire();
      String[] provider = PROVIDERS.stream().filter(p -> p[0].equals(script.provider())).findFirst().orElseThrow();
      Map<String, Object> variables = new HashMap<>();
      variables.put("provider", provider[0]);
      variables.put("model", provider[1]);
      variables.put("input", Map.of("prompt", "fault-suite g" + script.index() + " a lighthouse" + (script.fails() ? " [fail]" : "")));
      client.newCreateInstanceCommand().bpmnProcessId(PROCESS).latestVersion().variables(variables).send()
          .whenComplete((created, error) -> {
            if (created != null) {
              keys.set(script.index(), created.getProcessInstanceKey());
            }
            slots.release();
          });
    }
    slots.acquire(32);
    return new ArrayList<>(keys);
  }

  private static List<Record<?>> records(ZeebeTestEngine engine) {
    return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false).<Record<?>>map(r -> r).toList();
  }

  /**
   * The process: a generate task with the connector's usual settings; a BPMN error ends at
   * "failed", success at "succeeded". Retries are for what no wait covers (the engine refusing a
   * command); passing provider outages do not use them up.
   */
  static BpmnModelInstance process() {
    return Bpmn.createExecutableProcess(PROCESS)
        .startEvent()
        .serviceTask("generate", t -> t.zeebeJobType("io.aigen:ai-generation:1")
            .zeebeJobRetries("3")
            .zeebeTaskHeader("operation", "generate")
            .zeebeTaskHeader("resultVariable", "generation")
            .zeebeTaskHeader("retryBackoff", "PT1S")
            .zeebeInputExpression("provider", "provider")
            .zeebeInput("fault-suite-key", "apiKey")
            .zeebeInputExpression("model", "model")
            .zeebeInputExpression("input", "input")
            .zeebeInput("PT1S", "pollInterval")
            .zeebeInput("PT10M", "maxDuration"))
        .boundaryEvent("error", b -> b.error())
        .endEvent("failed")
        .moveToActivity("generate")
        .endEvent("succeeded")
        .done();
  }

  /** How the instances stand, read from the engine's records. */
  record Outcomes(Map<Long, String> endedAt, Map<Long, List<String>> incidents, Map<Long, String> errors) {

    static Outcomes read(ZeebeTestEngine engine) {
      Map<Long, String> ended = new HashMap<>();
      Map<Long, List<String>> incidents = new HashMap<>();
      Map<Long, String> errors = new HashMap<>();
      for (Record<?> record : engine.getRecordStreamSource().getRecords()) {
        if (record.getRecordType() != RecordType.EVENT) {
          continue;
        }
        if (record.getValueType() == ValueType.PROCESS_INSTANCE && record.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED) {
          ProcessInstanceRecordValue value = (ProcessInstanceRecordValue) record.getValue();
          if (value.getBpmnElementType() == BpmnElementType.END_EVENT) {
            ended.put(value.getProcessInstanceKey(), value.getElementId());
          }
        } else if (record.getValueType() == ValueType.VARIABLE) {
          io.camunda.zeebe.protocol.record.value.VariableRecordValue value = (io.camunda.zeebe.protocol.record.value.VariableRecordValue) record.getValue();
          if (value.getName().equals("aiGenerationError")) {
            errors.put(value.getProcessInstanceKey(), value.getValue());
          }
        } else if (record.getValueType() == ValueType.INCIDENT && record.getIntent() == IncidentIntent.CREATED) {
          IncidentRecordValue value = (IncidentRecordValue) record.getValue();
          incidents.computeIfAbsent(value.getProcessInstanceKey(), k -> new ArrayList<>()).add(value.getErrorMessage());
        }
      }
      return new Outcomes(ended, incidents, errors);
    }

    boolean settled(List<Long> keys) {
      return keys.stream().allMatch(k -> k == null || endedAt.containsKey(k) || incidents.containsKey(k));
    }
  }

  /**
   * For each kill, the jobs the killed replica held mid-command (activated by it, with no job
   * command since: not handed back for a next poll, not completed), and how long after the kill
   * each was activated again ({@code null}: never).
   */
  static Map<Kill, List<Duration>> orphans(List<Kill> kills, List<Record<?>> records) {
    Map<Kill, List<Duration>> result = new HashMap<>();
    for (Kill kill : kills) {
      long killMillis = kill.at().toEpochMilli();
      Map<Long, String> heldBy = new HashMap<>();
      Map<Long, Instant> backAt = new HashMap<>();
      Set<Long> orphaned = null;
      for (Record<?> record : records) {
        if (record.getRecordType() != RecordType.EVENT) {
          continue;
        }
        boolean before = record.getTimestamp() < killMillis;
        if (!before && orphaned == null) {
          orphaned = new HashSet<>();
          for (Map.Entry<Long, String> held : heldBy.entrySet()) {
            if (held.getValue().equals(kill.replica())) {
              orphaned.add(held.getKey());
            }
          }
        }
        if (record.getValueType() == ValueType.JOB_BATCH && record.getIntent() == JobBatchIntent.ACTIVATED) {
          JobBatchRecordValue batch = (JobBatchRecordValue) record.getValue();
          for (Long job : batch.getJobKeys()) {
            if (before) {
              heldBy.put(job, batch.getWorker());
            } else if (orphaned.contains(job)) {
              backAt.putIfAbsent(job, Instant.ofEpochMilli(record.getTimestamp()));
            }
          }
        } else if (record.getValueType() == ValueType.JOB && record.getIntent() != JobIntent.CREATED) {
          if (before) {
            heldBy.remove(record.getKey());
          } else if (record.getIntent() != JobIntent.TIMED_OUT && !backAt.containsKey(record.getKey())) {
            // a command the replica sent just before it died, processed after: it was not held
            orphaned.remove(record.getKey());
          }
        }
      }
      List<Duration> waits = new ArrayList<>();
      for (Long job : orphaned == null ? Set.<Long>of() : orphaned) {
        Instant back = backAt.get(job);
        waits.add(back == null ? null : Duration.between(kill.at(), back));
      }
      result.put(kill, waits);
    }
    return result;
  }

  static int indexOf(String body) {
    Matcher matcher = TAG.matcher(body);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
  }
}
