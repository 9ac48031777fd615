package io.aigen.camunda.runtime.faults;

import io.aigen.camunda.runtime.faults.FaultSuite.Kill;
import io.aigen.camunda.runtime.faults.FaultSuite.Outcomes;
import io.aigen.camunda.runtime.faults.FaultSuite.Script;
import io.aigen.camunda.sandbox.JournalEntry;
import io.aigen.camunda.sandbox.faults.FaultInjector;
import io.aigen.camunda.sandbox.faults.FaultKind;
import io.aigen.camunda.sandbox.faults.FaultPlan;
import io.camunda.zeebe.protocol.record.Record;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The figures of a fault run. Duplicate submits are jobs a generation created beyond its first;
 * one is <em>inside the documented submit window</em> when the provider offers no way to find a
 * created job (fal) and, since the generation's previous job was created, either that submit's
 * answer was lost (read timeout, malformed or empty answer, error after creation) or a runtime was
 * killed. Any other duplicate is <em>elsewhere</em>: a bug.
 */
public record FaultReport(
    int n,
    int succeededAsScripted,
    int failedAsScripted,
    int wrongEnd,
    int withIncident,
    int lost,
    long submitRequests,
    long jobsCreated,
    int duplicatesInWindow,
    Map<String, Integer> windowCauses,
    List<String> duplicatesElsewhere,
    int rateLimited,
    int retryAfterHonoured,
    List<String> retryAfterViolations,
    int retryAfterUnattributed,
    Map<String, Long> incidentsByMessage,
    Map<String, Long> faultsByKind,
    long providerRequests,
    List<String> restarts,
    Duration wall,
    String text) {

  private static final Set<String> ANSWER_LOST =
      Set.of(FaultKind.READ_TIMEOUT.name(), FaultKind.MALFORMED_JSON.name(), FaultKind.EMPTY_BODY.name(), FaultKind.CREATED_THEN_ERROR.name());

  static FaultReport of(
      FaultSuite.Settings settings, List<Script> scripts, List<Long> keys, Outcomes outcomes, List<JournalEntry> journal, List<Kill> kills, FaultPlan plan,
      Duration wall, List<Record<?>> records) {
    int succeeded = 0;
    int failed = 0;
    int wrong = 0;
    int incident = 0;
    int lost = 0;
    List<String> wrongEnds = new ArrayList<>();
    for (Script script : scripts) {
      Long key = keys.get(script.index());
      String end = key == null ? null : outcomes.endedAt().get(key);
      if (end == null) {
        if (key != null && outcomes.incidents().containsKey(key)) {
          incident++;
        } else {
          lost++;
        }
      } else if (end.equals(script.fails() ? "failed" : "succeeded")) {
        if (script.fails()) {
          failed++;
        } else {
          succeeded++;
        }
      } else {
        wrong++;
        wrongEnds.add("g" + script.index() + " (" + script.provider() + ", scripted to " + (script.fails() ? "fail" : "succeed") + ") ended at '" + end + "': "
            + outcomes.errors().getOrDefault(key, "no error"));
      }
    }

    // submits per generation
    Map<Integer, List<JournalEntry>> submits = new TreeMap<>();
    for (JournalEntry entry : journal) {
      if (FaultInjector.isSubmit(entry.method(), entry.path())) {
        int index = FaultSuite.indexOf(entry.requestBody());
        if (index >= 0) {
          submits.computeIfAbsent(index, i -> new ArrayList<>()).add(entry);
        }
      }
    }
    long submitRequests = submits.values().stream().mapToLong(List::size).sum();
    long created = 0;
    int inWindow = 0;
    Map<String, Integer> causes = new TreeMap<>();
    List<String> elsewhere = new ArrayList<>();
    for (Map.Entry<Integer, List<JournalEntry>> generation : submits.entrySet()) {
      Script script = scripts.get(generation.getKey());
      List<JournalEntry> jobs = generation.getValue().stream().filter(JournalEntry::createdJob).sorted(Comparator.comparing(JournalEntry::at)).toList();
      created += jobs.size();
      for (int i = 1; i < jobs.size(); i++) {
        JournalEntry previous = jobs.get(i - 1);
        JournalEntry again = jobs.get(i);
        String cause = null;
        if (!FaultSuite.FINDS_EARLIER_SUBMITS.contains(script.provider())) {
          if (previous.fault() != null && ANSWER_LOST.contains(previous.fault())) {
            cause = "answer lost (" + previous.fault() + ")";
          } else if (kills.stream().anyMatch(k -> k.at().isAfter(previous.at()) && k.at().isBefore(again.at()))) {
            cause = "runtime killed after the submit";
          }
        }
        if (cause == null) {
          elsewhere.add("g" + script.index() + " (" + script.provider() + "): job created at " + previous.at() + " (fault " + previous.fault() + "), again at " + again.at());
        } else {
          inWindow++;
          causes.merge(script.provider() + ": " + cause, 1, Integer::sum);
        }
      }
    }

    // Retry-After: the next request for the same thing must come no sooner than it said
    Duration retryAfter = Duration.ofSeconds(plan.retryAfterSeconds());
    List<JournalEntry> ordered = journal.stream().sorted(Comparator.comparing(JournalEntry::at)).toList();
    int limited = 0;
    int honoured = 0;
    int unattributed = 0;
    List<String> violations = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      JournalEntry entry = ordered.get(i);
      if (!FaultKind.RATE_LIMITED.name().equals(entry.fault())) {
        continue;
      }
      limited++;
      String key = requestKey(entry);
      if (key == null) {
        unattributed++;
        continue;
      }
      JournalEntry next = null;
      for (int j = i + 1; j < ordered.size() && next == null; j++) {
        if (key.equals(requestKey(ordered.get(j)))) {
          next = ordered.get(j);
        }
      }
      if (next == null) {
        unattributed++;
      } else if (Duration.between(entry.at(), next.at()).compareTo(retryAfter) < 0) {
        violations.add(entry.method() + " " + entry.path() + " at " + entry.at() + ": next after " + Duration.between(entry.at(), next.at()).toMillis() + " ms");
      } else {
        honoured++;
      }
    }

    Map<String, Long> incidents = outcomes.incidents().values().stream().flatMap(List::stream)
        .collect(Collectors.groupingBy(FaultReport::pattern, TreeMap::new, Collectors.counting()));
    Map<String, Long> faults = journal.stream().map(JournalEntry::fault).filter(Objects::nonNull)
        .collect(Collectors.groupingBy(f -> f, TreeMap::new, Collectors.counting()));
    long providerRequests = journal.stream().filter(e -> !e.path().startsWith("/files/")).count();

    List<String> restarts = new ArrayList<>();
    Map<Kill, List<Duration>> orphans = FaultSuite.orphans(kills, records);
    for (Kill kill : kills) {
      List<Duration> waits = orphans.get(kill);
      long never = waits.stream().filter(Objects::isNull).count();
      Duration worst = waits.stream().filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
      restarts.add(String.format("%s killed at %s: restarted in %.1f s; %d job(s) it held mid-command, the last back in work %.1f s after the kill%s",
          kill.replica(), kill.at(), kill.restart().toMillis() / 1000.0, waits.size(), worst.toMillis() / 1000.0,
          never == 0 ? "" : " (" + never + " never)"));
    }

    StringBuilder text = new StringBuilder();
    text.append(String.format("Fault suite: N=%,d, fault share %.0f %% (seed %d), %d SIGKILL(s), %d replicas, jobs of %s, wall %.1f s%n",
        settings.n(), settings.share() * 100, settings.seed(), settings.kills(), settings.replicas(), settings.jobDuration(), wall.toMillis() / 1000.0));
    text.append(String.format("Generations: %,d succeeded as scripted, %,d failed as scripted (AI_GENERATION_FAILED), %d ended otherwise, %d with an incident, %d lost (never ended)%n",
        succeeded, failed, wrong, incident, lost));
    wrongEnds.forEach(w -> text.append("  OTHERWISE: ").append(w).append('\n'));
    text.append(String.format("Submits: %,d requests, %,d jobs created (%.3f per generation); duplicates: %d inside the documented submit window, %d elsewhere%n",
        submitRequests, created, created / (double) settings.n(), inWindow, elsewhere.size()));
    causes.forEach((cause, count) -> text.append(String.format("  in the window: %d x %s%n", count, cause)));
    elsewhere.forEach(d -> text.append("  ELSEWHERE: ").append(d).append('\n'));
    text.append(String.format("Retry-After (%d s on %d injected 429s): %d honoured, %d violated, %d not attributable (a list read, or no later request)%n",
        plan.retryAfterSeconds(), limited, honoured, violations.size(), unattributed));
    violations.forEach(v -> text.append("  VIOLATED: ").append(v).append('\n'));
    text.append(String.format("Faults injected: %s in %,d provider requests%n", faults, providerRequests));
    text.append("Incidents by message: ").append(incidents.isEmpty() ? "none" : "").append('\n');
    incidents.forEach((message, count) -> text.append(String.format("  %d x %s%n", count, message)));
    text.append("Runtime restarts: ").append(kills.size()).append('\n');
    restarts.forEach(r -> text.append("  ").append(r).append('\n'));
    return new FaultReport(settings.n(), succeeded, failed, wrong, incident, lost, submitRequests, created, inWindow, causes, elsewhere, limited, honoured,
        violations, unattributed, incidents, faults, providerRequests, restarts, wall, text.toString());
  }

  /**
   * What a request is about, so that the request after a 429 for the same thing can be found: a
   * submit by its generation, a status, result or cancel request by its path. A list read (to find
   * an earlier submit) names no job: {@code null}.
   */
  private static String requestKey(JournalEntry entry) {
    if (FaultInjector.isSubmit(entry.method(), entry.path())) {
      int index = FaultSuite.indexOf(entry.requestBody());
      return index < 0 ? null : "submit g" + index;
    }
    if (entry.path().endsWith("/predictions") || entry.path().endsWith("/ai/queue") || entry.path().endsWith("/generations")) {
      return null;
    }
    return entry.method() + " " + entry.path();
  }

  /** An incident message without its ids and numbers, so that alike ones are counted together. */
  private static String pattern(String message) {
    String text = message == null ? "(no message)" : message.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27,}", "<id>").replaceAll("\\d+", "#");
    return text.length() > 160 ? text.substring(0, 160) + "…" : text;
  }
}
