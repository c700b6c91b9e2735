package com.mtlsgateway.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;

/**
 * A CloudWatch client for a local emulator. The SDK speaks CloudWatch's Smithy RPC v2 CBOR protocol, which moto does
 * not (getmoto/moto#9195: it serves the AWS JSON 1.0 and Query protocols, which CloudWatch serves too): this client's
 * requests are rewritten to AWS JSON 1.0 after the SDK has built them and before it signs them, and the answers back
 * to CBOR before the SDK reads them. The handlers get it through their constructors, so they run unchanged.
 *
 * <p>It refuses every request whose host is not this machine's loopback (127.0.0.1, localhost, ::1): CloudWatch
 * itself does not serve the JSON it sends, and a profile's {@code ignore_configured_endpoint_urls} could otherwise
 * send it there.
 */
public final class EmulatorCloudWatch implements ExecutionInterceptor {

  private static final String TARGET_PREFIX = "GraniteServiceVersion20100801.";
  private static final String OPERATION_PATH = "/operation/";
  private static final JsonFactory JSON = new JsonFactory();
  private static final CBORFactory CBOR = new CBORFactory();

  private EmulatorCloudWatch() {}

  /** A client built as the SDK's default one (Region, credentials and endpoint from the SDK's settings). */
  public static CloudWatchClient client() {
    return CloudWatchClient.builder().httpClientBuilder(Apache5HttpClient.builder())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new EmulatorCloudWatch())).build();
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    SdkHttpRequest request = context.httpRequest();
    if (!LocalEndpoint.localHost(request.host())) {
      throw new IllegalStateException("the CloudWatch client for a local emulator refused to call " + request.host()
          + ", which is not this machine: point AWS_ENDPOINT_URL at the emulator (http://127.0.0.1:PORT) and make"
          + " sure nothing tells the AWS SDK to ignore it (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, or"
          + " ignore_configured_endpoint_urls = true in the profile of ~/.aws/config or AWS_CONFIG_FILE)");
    }
    String path = request.encodedPath();
    String operation = path.substring(path.lastIndexOf(OPERATION_PATH) + OPERATION_PATH.length());
    return request.toBuilder().encodedPath("/").removeHeader("smithy-protocol").removeHeader("Accept")
        .putHeader("Content-Type", "application/x-amz-json-1.0").putHeader("X-Amz-Target", TARGET_PREFIX + operation)
        .putHeader("Content-Length", String.valueOf(json(context.requestBody()).length)).build();
  }

  @Override
  public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    return Optional.of(RequestBody.fromBytes(json(context.requestBody())));
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    return context.httpResponse().toBuilder().putHeader("Content-Type", "application/cbor")
        .putHeader("smithy-protocol", "rpc-v2-cbor").removeHeader("Content-Length").build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    byte[] json = context.responseBody().map(EmulatorCloudWatch::readAll).orElse(new byte[0]);
    return Optional.of(new ByteArrayInputStream(convert(json.length == 0 ? "{}".getBytes(StandardCharsets.US_ASCII) : json, JSON, CBOR)));
  }

  private static byte[] json(Optional<RequestBody> body) {
    byte[] cbor = body.map(b -> readAll(b.contentStreamProvider().newStream())).orElse(new byte[0]);
    return cbor.length == 0 ? "{}".getBytes(StandardCharsets.US_ASCII) : convert(cbor, CBOR, JSON);
  }

  /** The same document in another encoding; CBOR's timestamps (tag 1, epoch seconds) become JSON numbers. */
  private static byte[] convert(byte[] document, JsonFactory from, JsonFactory to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonParser parser = from.createParser(document); JsonGenerator generator = to.createGenerator(out)) {
      while (parser.nextToken() != null) {
        generator.copyCurrentEvent(parser);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a CloudWatch message did not convert between CBOR and JSON", e);
    }
    return out.toByteArray();
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
