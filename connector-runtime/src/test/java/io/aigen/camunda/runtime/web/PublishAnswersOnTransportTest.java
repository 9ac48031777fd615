package io.aigen.camunda.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.gateway.protocol.GatewayGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PublishAnswersOnTransportTest {

  private final PublishAnswersOnTransport interceptor = new PublishAnswersOnTransport();

  @Test
  void publishAnswersRunOnTheThreadThatReceivedThem() {
    Executor executor = executorOf(GatewayGrpc.getPublishMessageMethod());

    assertThat(executor).as("PublishMessage gets its own executor").isNotNull();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    executor.execute(() -> ranOn.set(Thread.currentThread()));
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
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
