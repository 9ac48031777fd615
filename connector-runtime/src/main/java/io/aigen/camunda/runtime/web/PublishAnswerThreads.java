package io.aigen.camunda.runtime.web;

import io.camunda.zeebe.gateway.protocol.GatewayGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Handles the engine's answers to {@code PublishMessage} calls on {@value #THREADS} threads of
 * their own.
 *
 * <p>The client has no setting for this. By default gRPC hands every answer to its own executor, a
 * cached thread pool that starts a thread whenever an answer arrives while its threads are busy:
 * it held 16 threads after 8 concurrent callback senders and 36 after 32, and a burst of 1,000
 * callbacks took the runtime to 65 threads. What runs on a publish's answer is short (the
 * callback's answer goes into Tomcat's buffer and the request is completed), so two threads keep
 * up. Not gRPC's transport threads: an answer's handling (the client's own included) must not be
 * able to stall every call on the channel. Call credentials (an OAuth token) are not applied here:
 * gRPC applies them on the channel's own executor whatever the call's. Every other call (job
 * activation, job streams, the job workers' commands) keeps gRPC's executor.
 */
public final class PublishAnswerThreads implements ClientInterceptor, AutoCloseable {

  static final int THREADS = 2;
  static final String PUBLISH_MESSAGE = GatewayGrpc.getPublishMessageMethod().getFullMethodName();

  private final ExecutorService threads = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().name("aigen-publish-answers-", 0).daemon().factory());

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    return next.newCall(method, PUBLISH_MESSAGE.equals(method.getFullMethodName()) ? options.withExecutor(threads) : options);
  }

  @Override
  public void close() {
    threads.shutdown();
  }
}
