package com.mtlsgateway.testing;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK HTTP client that answers every request from a function of the request, without a network: for handler
 * tests whose AWS calls must succeed (or fail) in a given way. Records the requests it was given.
 *
 * <pre>{@code
 * StubHttpClient http = new StubHttpClient(request -> StubHttpClient.Answer.ok(Map.of(), bytes));
 * S3Client s3 = S3Client.builder().httpClient(http).region(Region.US_EAST_1).credentialsProvider(...).build();
 * }</pre>
 */
public final class StubHttpClient implements SdkHttpClient {

  /** An HTTP answer: status, headers and body. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {
    public static Answer ok(Map<String, String> headers, byte[] body) {
      return new Answer(200, headers, body);
    }
  }

  private final Function<SdkHttpRequest, Answer> answers;
  private final List<SdkHttpRequest> requests = Collections.synchronizedList(new ArrayList<>());

  public StubHttpClient(Function<SdkHttpRequest, Answer> answers) {
    this.answers = answers;
  }

  /** The requests answered so far, in order. */
  public List<SdkHttpRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        requests.add(request.httpRequest());
        Answer answer = answers.apply(request.httpRequest());
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        response.putHeader("Content-Length", String.valueOf(answer.body().length));
        return HttpExecuteResponse.builder().response(response.build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body()))).build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public void close() {}
}
