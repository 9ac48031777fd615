package io.aigen.camunda.connector.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigen.camunda.connector.error.ErrorCode;
import io.aigen.camunda.connector.job.GenerationResult;
import io.aigen.camunda.connector.job.JobHandle;
import io.aigen.camunda.connector.job.Progress;
import io.aigen.camunda.connector.support.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationActivityTest {

  private final MutableClock clock = MutableClock.at("2026-12-06T10:00:00Z");
  private final GenerationActivity activity = new GenerationActivity(3, clock);
  private final TaskOrigin origin = new TaskOrigin("ai-generation-fal", 7L, "generate", 9L);

  private JobHandle handle(String jobId) {
    return new JobHandle("fal", jobId, "fal-ai/flux/dev", List.of(new JobHandle.Part(jobId, null, null, null)), clock.instant(), null, null);
  }

  @Test
  void aGenerationGoesFromSubmittedThroughProgressToItsOutputs() {
    JobHandle handle = handle("j1");
    activity.submitted(origin, handle, false);
    clock.advance(Duration.ofSeconds(2));
    activity.waiting(origin, handle, null);
    assertThat(activity.newestFirst()).singleElement().satisfies(g -> {
      assertThat(g.status()).isEqualTo("SUBMITTED");
      assertThat(g.polls()).isZero();
    });
    activity.waiting(origin, handle, new Progress("IN_QUEUE", 3, null, null));
    activity.waiting(origin, handle, new Progress("IN_PROGRESS", null, 40.0, "step 4/10"));
    Generation waiting = activity.newestFirst().get(0);
    assertThat(waiting.status()).isEqualTo("WAITING");
    assertThat(waiting.percent()).isEqualTo(40.0);
    assertThat(waiting.log()).isEqualTo("step 4/10");
    assertThat(waiting.polls()).isEqualTo(2);
    assertThat(waiting.processId()).isEqualTo("ai-generation-fal");
    assertThat(waiting.elementId()).isEqualTo("generate");

    clock.advance(Duration.ofSeconds(3));
    activity.finished(origin, handle, new GenerationResult("SUCCEEDED", "fal", "j1",
        List.of("http://rt/results/fal-j1-output-0.png", "http://cdn/v.mp4?sig=1", "http://cdn/a.mp3", "http://cdn/blob"), null,
        Map.of("polls", 5), List.of("note"), List.of("http://cdn/0.png", "http://cdn/v.mp4?sig=1", "http://cdn/a.mp3", "http://cdn/blob")), false);

    Generation done = activity.newestFirst().get(0);
    assertThat(done.status()).isEqualTo("SUCCEEDED");
    assertThat(done.finishedAt()).isEqualTo(clock.instant());
    assertThat(done.polls()).isEqualTo(5);
    assertThat(done.outputs()).extracting(Generation.Output::kind).containsExactly("image", "video", "audio", "file");
    assertThat(done.outputs().get(0).originalUrl()).isEqualTo("http://cdn/0.png");
    assertThat(done.outputs().get(1).originalUrl()).isNull();
    assertThat(done.warnings()).containsExactly("note");
  }

  @Test
  void keepsTheLatestGenerationsNewestFirstAndTellsListenersOfEveryChange() {
    List<String> changes = new ArrayList<>();
    activity.addListener(g -> changes.add(g.key() + "=" + g.status()));
    for (String id : List.of("a", "b", "c", "d")) {
      activity.submitted(origin, handle(id), id.equals("d"));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(activity.newestFirst()).extracting(Generation::jobId).containsExactly("d", "c", "b");
    assertThat(activity.newestFirst().get(0).status()).isEqualTo("WAITING_FOR_CALLBACK");
    assertThat(changes).containsExactly("fal:a=SUBMITTED", "fal:b=SUBMITTED", "fal:c=SUBMITTED", "fal:d=WAITING_FOR_CALLBACK");
  }

  @Test
  void aLateWaitStepDoesNotUndoAnEndAndFailuresSayWhy() {
    JobHandle handle = handle("j2");
    activity.submitted(origin, handle, true);
    activity.finished(TaskOrigin.UNKNOWN, null, new GenerationResult("SUCCEEDED", "fal", "j2", List.of("http://cdn/x.png"), null, Map.of("polls", 0), List.of()), true);
    activity.waiting(origin, handle, new Progress("IN_PROGRESS", null, null, null));
    assertThat(activity.newestFirst().get(0).status()).isEqualTo("SUCCEEDED");
    assertThat(activity.newestFirst().get(0).callback()).isTrue();

    activity.failed(origin, handle("j3"), ErrorCode.AI_GENERATION_TIMEOUT, "did not finish within PT10M");
    activity.submitted(origin, handle("j5"), false);
    activity.failed(origin, handle("j5"), ErrorCode.AI_GENERATION_FAILED, "GPU fault");
    assertThat(activity.newestFirst()).filteredOn(g -> g.jobId() != null && g.jobId().equals("j5")).singleElement()
        .satisfies(g -> assertThat(g.polls()).as("the poll that found the failure").isEqualTo(1));
    activity.failed(new TaskOrigin("p", 1L, "e", 42L), null, ErrorCode.AI_INVALID_INPUT, "input is empty");
    assertThat(activity.newestFirst()).extracting(Generation::key, Generation::status, Generation::error)
        .contains(
            org.assertj.core.groups.Tuple.tuple("fal:j3", "TIMED_OUT", "AI_GENERATION_TIMEOUT: did not finish within PT10M"),
            org.assertj.core.groups.Tuple.tuple("element:42", "FAILED", "AI_INVALID_INPUT: input is empty"));
  }

  @Test
  void aCallbackFailureForAJobSeenAtSubmitKeepsWhereItCameFrom() {
    activity.submitted(origin, handle("j4"), true);
    activity.calledBackFailed("fal", "j4", "FAILED", "AI_GENERATION_FAILED: GPU fault");
    Generation failed = activity.newestFirst().get(0);
    assertThat(failed.status()).isEqualTo("FAILED");
    assertThat(failed.elementId()).isEqualTo("generate");
    assertThat(failed.error()).contains("GPU fault");
    assertThat(failed.callback()).isTrue();
  }
}
