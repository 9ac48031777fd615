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
  void slowAnswersStretchDelaysInProportionUpToTheCap() {
    EngineCommands commands = new EngineCommands(4, Duration.ofMillis(20));
    for (int i = 0; i < 3; i++) {
      Command command = new Command();
      CompletableFuture<String> sent = commands.send(command, soon());
      command.answerAfter(100);
      sent.join();
    }
    assertThat(commands.stretch()).isBetween(4.0, EngineCommands.MAX_STRETCH);
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
