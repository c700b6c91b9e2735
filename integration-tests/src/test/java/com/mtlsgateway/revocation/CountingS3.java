package com.mtlsgateway.revocation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 client to moto server (built like {@code MotoServer.Running#s3()}) that records each call the code
 * under test made through it, with the HTTP status moto answered: {@code "GetObject 200"}, {@code "GetObject 304"}.
 * It only observes.
 */
final class CountingS3 implements AutoCloseable {

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final S3Client client;

  CountingS3() {
    client = S3Client.builder()
        .httpClient(Apache5HttpClient.builder().build())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " "
                + context.httpResponse().statusCode());
          }

          @Override
          public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " "
                + context.httpResponse().map(r -> Integer.toString(r.statusCode())).orElse("no answer"));
          }
        }))
        .build();
  }

  /** The client to give the code under test. */
  S3Client client() {
    return client;
  }

  /** The calls so far, in order. */
  List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
