package com.mtlsgateway.truststore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 client to moto server, built like {@code MotoServer.Running#s3()} (Apache 5 HTTP client; endpoint,
 * region and credentials from the SDK settings the extension sets), that also records what the code under test did
 * through it. It only observes: every call goes to moto and every answer is moto's.
 *
 * <ul>
 *   <li>{@link #calls()}: each S3 operation called, in order, as {@code "GetObject bucket/key?versionId=v"};
 *   <li>{@link #bodyBytesRead()}: the response-body bytes the SDK took from the HTTP client;
 *   <li>{@link #aborted()}: whether a response stream was aborted (connection dropped, rest of the body unread).
 * </ul>
 */
final class ObservedS3 implements AutoCloseable {

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong bodyBytesRead = new AtomicLong();
  private final AtomicBoolean aborted = new AtomicBoolean();
  private final S3Client client;

  ObservedS3() {
    client = S3Client.builder()
        .httpClient(new ObservingHttpClient(Apache5HttpClient.builder().build()))
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.add(describe(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request()));
          }
        }))
        .build();
  }

  /** The client to give the code under test. */
  S3Client client() {
    return client;
  }

  /** The S3 operations called since the last {@link #forget()}. */
  List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  long bodyBytesRead() {
    return bodyBytesRead.get();
  }

  boolean aborted() {
    return aborted.get();
  }

  /** Forgets what was recorded so far (e.g. after setting up). */
  void forget() {
    calls.clear();
    bodyBytesRead.set(0);
    aborted.set(false);
  }

  @Override
  public void close() {
    client.close();
  }

  private static String describe(String operation, SdkRequest request) {
    Optional<String> bucket = request.getValueForField("Bucket", String.class);
    Optional<String> key = request.getValueForField("Key", String.class);
    Optional<String> versionId = request.getValueForField("VersionId", String.class);
    return operation + bucket.map(b -> " " + b).orElse("") + key.map(k -> "/" + k).orElse("")
        + versionId.map(v -> "?versionId=" + v).orElse("");
  }

  /** Passes every request to the real HTTP client and counts what is read of each response body. */
  private final class ObservingHttpClient implements SdkHttpClient {
    private final SdkHttpClient delegate;

    ObservingHttpClient(SdkHttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      ExecutableHttpRequest executable = delegate.prepareRequest(request);
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          HttpExecuteResponse response = executable.call();
          if (response.responseBody().isEmpty()) {
            return response;
          }
          AbortableInputStream body = response.responseBody().get();
          return HttpExecuteResponse.builder()
              .response(response.httpResponse())
              .responseBody(AbortableInputStream.create(new Counting(body), () -> {
                aborted.set(true);
                body.abort();
              }))
              .build();
        }

        @Override
        public void abort() {
          executable.abort();
        }
      };
    }

    @Override
    public String clientName() {
      return delegate.clientName();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  private final class Counting extends FilterInputStream {
    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bodyBytesRead.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        bodyBytesRead.addAndGet(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      bodyBytesRead.addAndGet(Math.max(skipped, 0));
      return skipped;
    }
  }
}
