package com.mtlsgateway.revocation;

import com.mtlsgateway.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Run by {@link SnapStartRestoreTest} in a JVM of its own, started with {@code -Dorg.crac.Core.Compat} naming the
 * stand-in CRaC implementation: builds the authorizer (which loads the index and registers its restore hook) on a
 * clock that never moves, stages a new index version, and decides on one client before and after
 * {@code org.crac.Core.checkpointRestore()}. Prints {@code result NAME=VALUE} lines.
 *
 * <p>Arguments: the index object's bucket and key, a file with the new index's bytes, a file with the client's PEM.
 */
final class RestoreHookProcess {

  private RestoreHookProcess() {}

  public static void main(String[] args) throws Exception {
    String bucket = args[0];
    String key = args[1];
    byte[] newIndex = Files.readAllBytes(Path.of(args[2]));
    String clientPem = Files.readString(Path.of(args[3]), StandardCharsets.US_ASCII);
    JsonObject event = (JsonObject) com.mtlsgateway.json.JsonCodec.parse(("{\"methodArn\":\""
        + AuthorizerEvents.METHOD_ARN + "\",\"requestContext\":{\"identity\":{\"clientCert\":{\"clientCertPem\":\""
        + clientPem.replace("\n", "\\n") + "\"}}}}").getBytes(StandardCharsets.UTF_8));
    try (S3Client s3 = S3Client.builder().httpClient(Apache5HttpClient.builder().build()).build()) {
      RevocationAuthorizer authorizer = new RevocationAuthorizer(s3,
          Map.of("REVOCATION_INDEX_URI", "s3://" + bucket + "/" + key, "REVOCATION_REFRESH_SECONDS", "3600"),
          Clock.fixed(Instant.now(), ZoneOffset.UTC));
      result("loaded", authorizer.decide(event).check().code());
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(newIndex));
      result("beforeRestore", authorizer.decide(event).check().code());
      try {
        org.crac.Core.checkpointRestore();
      } catch (UnsupportedOperationException e) {
        result("crac", "unsupported");
      }
      result("afterRestore", authorizer.decide(event).check().code());
    }
  }

  private static void result(String name, String value) {
    System.out.println("result " + name + "=" + value);
  }
}
