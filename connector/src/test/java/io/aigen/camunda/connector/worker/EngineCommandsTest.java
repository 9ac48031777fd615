package io.aigen.camunda.connector.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.camunda.client.api.CamundaFuture;
import io.camunda.client.api.command.FinalCommandStep;
import io.camunda.client.impl.CamundaClientFutureImpl;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EngineCommandsTest {

  /** A command whose answer the test gives, after the time the test chooses. */
  private static final class Command implements FinalCommandStep<String> {
    final CamundaClientFutureImpl<String, String> answer = new CamundaClientFutureImpl<>();

    @Override
    public FinalCommandStep<String> requestTimeout(Duration requestTimeout) {
      return this;
    }

    @Override
    public CamundaFuture<String> send() {
      return answer;
    }

    void answerAfter(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer.complete("ok");
    }
  }

  private static Instant soon() {
    return Instant.now().plusSeconds(5);
  }

  @Test
  void promptAnswersLeaveDelaysAsTheyAre() {
    EngineCommands commands = new EngineCommands(4, Duration.ofMillis(200));
    for (int i = 0; i < 5; i++) {
      Command command = new Command();
      CompletableFuture<String> sent = commands.send(command, soon());
      command.answerAfter(1);
      assertThat(sent.join()).isEqualTo("ok");
    }
    assertThat(commands.stretch()).isEqualTo(1.0);
  }

  @Test
  void aRunOfSlowAnswersStretchesDelaysInProportionUpToTheCap() {
    EngineCommands commands = new EngineCommands(4, Duration.ofMillis(100));
    recordTimes(commands, 30, Duration.ofMillis(500));
    // the average nears 500 ms: 500 * (1 - 0.9^30) = 479 ms, 4.79 times the target
    assertThat(commands.stretch()).isCloseTo(4.79, within(0.01));
    recordTimes(commands, 30, Duration.ofSeconds(2));
    // each counted as 1 s, 10 times the target: the average nears it, 978 ms
    assertThat(commands.stretch()).isBetween(9.7, EngineCommands.MAX_STRETCH);
    recordTimes(commands, 300, Duration.ofSeconds(2));
    assertThat(commands.stretch()).isBetween(9.99, EngineCommands.MAX_STRETCH);
  }

  @Test
  void oneSlowAnswerAmongPromptOnesDoesNotStretchDelays() {
    // a fresh runtime's first command can take long (connection, class loading, a token fetch);
    // taken as the average, it could stretch a job's first poll from 1 s to 10 s
    EngineCommands commands = new EngineCommands(4, Duration.ofMillis(250));
    recordTimes(commands, 1, Duration.ofSeconds(3));
    assertThat(commands.stretch()).as("the first answer, 12 times the target").isEqualTo(1.0);
    recordTimes(commands, 50, Duration.ofMillis(5));
    recordTimes(commands, 1, Duration.ofSeconds(10));
    // counted as 2.5 s, the cap: 0.9 * 6.3 ms (the average before it) + 250 ms = 256 ms, 1.02 times the target
    assertThat(commands.stretch()).as("one that took until a request timeout, among prompt ones").isLessThan(1.05);
    recordTimes(commands, 3, Duration.ofSeconds(10));
    assertThat(commands.stretch()).as("a run of them").isGreaterThan(2.0);
  }

  @Test
  void stretchingIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
    Logger logger = (Logger) LoggerFactory.getLogger(EngineCommands.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      EngineCommands commands = new EngineCommands(4, Duration.ofMillis(100));
      recordTimes(commands, 40, Duration.ofMillis(600));
      recordTimes(commands, 80, Duration.ofMillis(1));

      assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
          started -> assertThat(started).startsWith("Engine commands take 2").contains("aigen.worker.engine-latency-target (100 ms)")
              .contains("stretched 2.").contains("at most 10x"),
          ended -> assertThat(ended).contains("no longer stretched").contains("at most 5."));
      assertThat(commands.stretch()).isEqualTo(1.0);
    } finally {
      logger.detachAppender(logged);
    }
  }

  /** Takes {@code times} answers of {@code each} into the average, without waiting for any. */
  private static void recordTimes(EngineCommands commands, int times, Duration each) {
    for (int i = 0; i < times; i++) {
      commands.record(each.toNanos());
    }
  }

  @Test
  void noMoreThanTheLimitAreInFlightAndTheNextGivesUpAtItsDeadline() {
    EngineCommands commands = new EngineCommands(1, Duration.ofMillis(200));
    Command first = new Command();
    CompletableFuture<String> inFlight = commands.send(first, soon());

    CompletableFuture<String> refused = commands.send(new Command(), Instant.now().plusMillis(50));

    assertThat(refused).isCompletedExceptionally();
    assertThat(refused.handle((ok, e) -> e instanceof CompletionException ? e.getCause() : e).join()).isInstanceOf(EngineCommands.EngineBusy.class);
    first.answerAfter(0);
    assertThat(inFlight.join()).isEqualTo("ok");
    Command next = new Command();
    CompletableFuture<String> sent = commands.send(next, soon());
    next.answerAfter(0);
    assertThat(sent.join()).as("the slot is free again").isEqualTo("ok");
  }
}
