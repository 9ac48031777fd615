package io.aigen.camunda.connector.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.api.CamundaFuture;
import io.camunda.client.api.command.FinalCommandStep;
import io.camunda.client.impl.CamundaClientFutureImpl;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

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
    EngineCommands commands = new EngineCommands(4, Duration.ofMillis(5));
    for (int i = 0; i < 20; i++) {
      answer(commands, 30);
    }
    // the average nears 30 ms: 30 * (1 - 0.9^20) = 26 ms, 5.3 times the target
    assertThat(commands.stretch()).isBetween(4.0, 7.0);
    for (int i = 0; i < 10; i++) {
      answer(commands, 100);
    }
    assertThat(commands.stretch()).isEqualTo(EngineCommands.MAX_STRETCH);
  }

  @Test
  void oneSlowAnswerDoesNotStretchDelays() {
    // a fresh runtime's first command can take long (connection, class loading, a token fetch);
    // taken as the average, it could stretch a job's first poll from 1 s to 10 s
    EngineCommands commands = new EngineCommands(4, Duration.ofMillis(50));
    answer(commands, 300);
    assertThat(commands.stretch()).as("the first answer, 6 times the target").isEqualTo(1.0);
    for (int i = 0; i < 5; i++) {
      answer(commands, 1);
    }
    answer(commands, 300);
    assertThat(commands.stretch()).as("a slow answer among prompt ones").isEqualTo(1.0);
  }

  private static void answer(EngineCommands commands, long millis) {
    Command command = new Command();
    CompletableFuture<String> sent = commands.send(command, soon());
    command.answerAfter(millis);
    assertThat(sent.join()).isEqualTo("ok");
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
