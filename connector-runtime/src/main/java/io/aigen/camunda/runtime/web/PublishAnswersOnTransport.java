package io.aigen.camunda.runtime.web;

import io.camunda.zeebe.gateway.protocol.GatewayGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.concurrent.Executor;

/**
 * Handles the engine's answer to each {@code PublishMessage} call on the gRPC transport thread that
 * received it.
 *
 * <p>The client has no setting for this. By default gRPC hands every answer to its own executor, a
 * cached thread pool that starts a thread whenever an answer arrives while its threads are busy:
 * under a burst of callbacks it grows with the burst, and each answer costs a hand-off to another
 * thread. What runs on a publish's answer is short and never blocks: the
 * callback's answer goes into Tomcat's response buffer and the request is completed, which Tomcat
 * finishes on its own threads ({@link CallbackServlet}). Every other call (job activation, job
 * streams, commands of the job workers) keeps gRPC's executor.
 */
public final class PublishAnswersOnTransport implements ClientInterceptor {

  static final String PUBLISH_MESSAGE = GatewayGrpc.getPublishMessageMethod().getFullMethodName();

  private static final Executor ON_THE_CALLING_THREAD = Runnable::run;

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    return next.newCall(method, PUBLISH_MESSAGE.equals(method.getFullMethodName()) ? options.withExecutor(ON_THE_CALLING_THREAD) : options);
  }
}
