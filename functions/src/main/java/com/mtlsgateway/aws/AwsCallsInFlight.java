package com.mtlsgateway.aws;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The AWS calls running now, in every client {@link AwsClients} builds: so that a request that runs out of time can
 * log which calls it was still waiting for. An SDK interceptor: a call is added when it starts (before its retries)
 * and removed when it ends, by success or by any failure (an interrupt included). Only the service and operation
 * names are kept, never a parameter, so nothing logged from here can hold a secret or a URL. Thread-safe.
 */
public final class AwsCallsInFlight implements ExecutionInterceptor {

  /** The interceptor every client of {@link AwsClients} carries. */
  public static final AwsCallsInFlight INSTANCE = new AwsCallsInFlight();

  /**
   * One call running.
   *
   * @param service      the SDK's service name, e.g. {@code S3}, {@code ACM}
   * @param operation    the API operation, e.g. {@code GetObject}
   * @param startedNanos when it started, on {@link System#nanoTime()}
   */
  public record Call(long id, String service, String operation, long startedNanos) {
    /** How long it has been running. */
    public Duration running() {
      return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
  }

  private static final ExecutionAttribute<Call> CALL = new ExecutionAttribute<>("mtls-gateway.call-in-flight");

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Call> running = new ConcurrentHashMap<>();

  AwsCallsInFlight() {}

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    Call call = new Call(ids.incrementAndGet(), attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), System.nanoTime());
    attributes.putAttribute(CALL, call);
    running.put(call.id(), call);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    end(attributes);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    end(attributes);
  }

  private void end(ExecutionAttributes attributes) {
    Call call = attributes.getAttribute(CALL);
    if (call != null) {
      running.remove(call.id());
    }
  }

  /**
   * The calls running now that started at or after {@code sinceNanos} (on {@link System#nanoTime()}), longest
   * running first.
   */
  public List<Call> startedSince(long sinceNanos) {
    return running.values().stream().filter(call -> call.startedNanos() - sinceNanos >= 0)
        .sorted(Comparator.comparingLong(Call::startedNanos)).toList();
  }
}
