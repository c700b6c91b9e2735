package com.mtlsgateway.customresource;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal handler for protocol tests: properties {@code Name} (required) and {@code Enabled} (flag, default
 * false); create, update and delete all run the {@link Work} the test gives, and every call is recorded.
 */
final class TestHandler extends CustomResourceHandler<TestHandler.Props> {

  record Props(String name, boolean enabled) {}

  /** One call of create, update or delete. {@code old} is set on Update only. */
  record Call(RequestType type, Props props, Props old, CustomResourceRequest request, Deadline deadline) {}

  @FunctionalInterface
  interface Work {
    Outcome run(Call call) throws Exception;
  }

  final AtomicInteger parses = new AtomicInteger();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  /** Thrown by parse when set, as a parser failing in an unforeseen way would. */
  volatile RuntimeException parseFailure;
  /** Thrown instead of starting the worker thread when set, as {@code Thread.start} may. */
  volatile Error startFailure;
  /** Run by the Delete of a failed Create's marker when set; else the runtime's default (nothing). */
  volatile Work cleanup;
  private final Work work;

  TestHandler(ResponseSender sender, Work work) {
    super(sender, Clock.systemUTC());
    this.work = work;
  }

  @Override
  protected Props parse(ResourceProperties properties) {
    parses.incrementAndGet();
    if (parseFailure != null) {
      throw parseFailure;
    }
    Props props = new Props(properties.required("Name"), properties.flag("Enabled", false));
    properties.finish();
    return props;
  }

  @Override
  void startWorker(Runnable work) {
    if (startFailure != null) {
      throw startFailure;
    }
    super.startWorker(work);
  }

  @Override
  protected Outcome create(Props properties, CustomResourceRequest request, Deadline deadline) throws Exception {
    return record(new Call(RequestType.Create, properties, null, request, deadline));
  }

  @Override
  protected Outcome update(Props properties, Props oldProperties, CustomResourceRequest request, Deadline deadline)
      throws Exception {
    return record(new Call(RequestType.Update, properties, oldProperties, request, deadline));
  }

  @Override
  protected Outcome delete(Props properties, CustomResourceRequest request, Deadline deadline) throws Exception {
    return record(new Call(RequestType.Delete, properties, null, request, deadline));
  }

  @Override
  protected Outcome deleteFailedCreate(String createRequestId, CustomResourceRequest request, Deadline deadline)
      throws Exception {
    Work failedCreateCleanup = cleanup;
    return failedCreateCleanup == null ? super.deleteFailedCreate(createRequestId, request, deadline)
        : failedCreateCleanup.run(new Call(RequestType.Delete, null, null, request, deadline));
  }

  private Outcome record(Call call) throws Exception {
    calls.add(call);
    return work.run(call);
  }
}
