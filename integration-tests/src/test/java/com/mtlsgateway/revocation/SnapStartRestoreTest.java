package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The authorizer's SnapStart restore hook, through {@code org.crac} itself: in a JVM of its own (the CRaC
 * implementation {@code org.crac} uses is chosen once, when it is first loaded) whose CRaC implementation is the
 * stand-in of the {@code crac} package, the hook the authorizer registered must make the first decision after the
 * restore read the index version staged meanwhile, although the refresh interval has not passed on its clock.
 */
@ExtendWith(MotoServer.class)
class SnapStartRestoreTest {

  private static final String BUCKET = RevocationAuthorizerMotoTest.BUCKET;
  private static final String KEY = RevocationAuthorizerMotoTest.KEY;

  @Test
  void afterRestoreTheNextDecisionReadsTheIndexStagedMeanwhile(MotoServer.Running moto, @TempDir Path dir)
      throws IOException, InterruptedException {
    Instant now = Instant.now();
    TestPki.Issued client = RevocationPki.client(RevocationAuthorizerMotoTest.alpha(), "CN=client.example.com", 77,
        now);
    try (S3Client s3 = moto.resetWithVersionedBuckets(BUCKET)) {
      s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(RevocationAuthorizerMotoTest.standardIndex()));
    }
    Path newIndex = Files.write(dir.resolve("index.bin"), RevocationAuthorizerMotoTest.index(
        RevocationPki.crl(RevocationAuthorizerMotoTest.alpha(), now).number(2).revoke(77)));
    Path clientPem = Files.writeString(dir.resolve("client.pem"), client.pem(), StandardCharsets.US_ASCII);

    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.crac.Core.Compat=com.mtlsgateway.revocation.crac", "-XX:TieredStopAtLevel=1"));
    for (String property : List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey")) {
      command.add("-D" + property + "=" + System.getProperty(property));
    }
    command.addAll(List.of(RestoreHookProcess.class.getName(), BUCKET, KEY, newIndex.toString(),
        clientPem.toString()));
    Path output = dir.resolve("output.txt");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean ended = process.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(ended).as("the process ended; output:%n%s", text).isTrue();
    assertThat(process.exitValue()).as("exit code; output:%n%s", text).isZero();
    assertThat(text.lines().filter(line -> line.startsWith("result ")).toList()).as(text).containsExactly(
        "result loaded=not-revoked", "result beforeRestore=not-revoked", "result afterRestore=revoked");
  }
}
