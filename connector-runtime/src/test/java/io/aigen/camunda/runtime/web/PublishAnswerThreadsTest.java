package io.aigen.camunda.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.gateway.protocol.GatewayGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublishAnswerThreadsTest {

  private final PublishAnswerThreads interceptor = new PublishAnswerThreads();

  @AfterEach
  void close() {
    interceptor.close();
  }

  @Test
  void publishAnswersRunOnTwoThreadsOfTheirOwnHoweverManyArriveAtOnce() throws InterruptedException {
    Executor executor = executorOf(GatewayGrpc.getPublishMessageMethod());
    assertThat(executor).as("PublishMessage gets its own executor").isNotNull();

    int answers = 1_000;
    Set<String> ranOn = ConcurrentHashMap.newKeySet();
    CountDownLatch done = new CountDownLatch(answers);
    for (int i = 0; i < answers; i++) {
      executor.execute(() -> {
        ranOn.add(Thread.currentThread().getName());
        done.countDown();
      });
    }

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ranOn).hasSizeLessThanOrEqualTo(PublishAnswerThreads.THREADS).allMatch(name -> name.startsWith("aigen-publish-answers-"));
  }

  @Test
  void otherCallsKeepGrpcsExecutor() {
    assertThat(executorOf(GatewayGrpc.getActivateJobsMethod())).isNull();
    assertThat(executorOf(GatewayGrpc.getStreamActivatedJobsMethod())).isNull();
    assertThat(executorOf(GatewayGrpc.getCompleteJobMethod())).isNull();
  }

  /** The executor the interceptor hands on to the channel for {@code method} (null = gRPC's default). */
  private Executor executorOf(MethodDescriptor<?, ?> method) {
    AtomicReference<CallOptions> passedOn = new AtomicReference<>();
    Channel next = new Channel() {
      @Override
      public <Q, A> ClientCall<Q, A> newCall(MethodDescriptor<Q, A> called, CallOptions options) {
        passedOn.set(options);
        return null;
      }

      @Override
      public String authority() {
        return "engine";
      }
    };
    interceptor.interceptCall(method, CallOptions.DEFAULT, next);
    return passedOn.get().getExecutor();
  }
}
