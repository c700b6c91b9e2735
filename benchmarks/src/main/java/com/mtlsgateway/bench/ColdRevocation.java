package com.mtlsgateway.bench;

import com.mtlsgateway.revocation.ClientCertificate;
import com.mtlsgateway.revocation.CrlChecker;
import com.mtlsgateway.revocation.CrlReport;
import com.mtlsgateway.revocation.RevocationCheck;
import com.mtlsgateway.revocation.RevocationIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The revocation benchmark's one-shot runs, each in a fresh JVM (bench/run gives it Lambda's java21 flags):
 *
 * <pre>
 * java [flags] -cp RUNNER:functions/target/classes com.mtlsgateway.bench.ColdRevocation build FOLDER INDEX_FILE
 * java [flags] -cp RUNNER:functions/target/classes com.mtlsgateway.bench.ColdRevocation load INDEX_FILE CLIENT_PEM
 *     EXPECTED_CHECK
 * </pre>
 *
 * {@code build}: what the refresh function does once the bytes are fetched: parses the truststore ({@code
 * FOLDER/cas.pem}), checks every {@code FOLDER/crl-*.der} against it ({@link CrlChecker#check}) and writes the index
 * ({@link RevocationIndex#write}). Prints {@code BUILD_MS} (all of it, from the bytes), {@code BUILD_CHECK_MS},
 * {@code BUILD_WRITE_MS}, {@code INDEX_BYTES} and {@code REVOKED_COUNT}; exit 1 when the report is not valid.
 *
 * <p>{@code load}: what a new authorizer does before its first answer: reads the index file's bytes, {@link
 * RevocationIndex#read}, then decides once on the client's PEM ({@link ClientCertificate#fromPem} and {@link
 * RevocationIndex#check}). Prints {@code LOAD_MS} (all of it), {@code LOAD_READ_MS}, {@code LOAD_PARSE_MS}, {@code
 * FIRST_DECISION_US}, {@code SECOND_DECISION_US}, {@code HEAP_USED_BYTES} (heap in use after a {@code System.gc()},
 * the index still referenced), {@code HEAP_COMMITTED_BYTES} and {@code MAIN_STARTED_MS} (JVM uptime when main
 * began); exit 1 when the check is not {@code EXPECTED_CHECK} (a {@link RevocationCheck#code()}).
 *
 * <p>It uses only the functions' revocation classes and the JDK: put only this class before them on the class path
 * (bench/run copies it to a folder of its own), never the shaded benchmarks jar.
 */
public final class ColdRevocation {

  private ColdRevocation() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("build")) {
      System.exit(build(Path.of(args[1]), Path.of(args[2])));
    } else if (args.length == 4 && args[0].equals("load")) {
      System.exit(load(Path.of(args[1]), Path.of(args[2]), args[3]));
    }
    System.err.println("usage: ColdRevocation build FOLDER INDEX_FILE | load INDEX_FILE CLIENT_PEM EXPECTED_CHECK");
    System.exit(2);
  }

  private static int build(Path folder, Path indexFile) throws IOException, CertificateException {
    List<Path> crlFiles;
    try (Stream<Path> files = Files.list(folder)) {
      crlFiles = files.filter(f -> f.getFileName().toString().matches("crl-.*\\.der")).sorted().toList();
    }
    // The fetch is not timed: the bytes are in memory before the build starts, as after the refresh's reads.
    byte[] truststore = Files.readAllBytes(folder.resolve(RevocationData.TRUSTSTORE));
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (Path file : crlFiles) {
      inputs.add(new CrlChecker.Input("s3://bench/" + file.getFileName(), Files.readAllBytes(file)));
    }
    long started = System.nanoTime();
    List<X509Certificate> cas = new ArrayList<>();
    for (Certificate certificate : CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(truststore))) {
      cas.add((X509Certificate) certificate);
    }
    CrlReport report = new CrlChecker(Clock.systemUTC()).check(cas, inputs);
    long checked = System.nanoTime();
    if (!report.valid()) {
      System.err.println("the benchmark CRLs do not check: " + report.findings());
      return 1;
    }
    byte[] index = RevocationIndex.write(report.issuers());
    long written = System.nanoTime();
    Files.write(indexFile, index);
    System.out.println("BUILD_MS " + ms(written - started));
    System.out.println("BUILD_CHECK_MS " + ms(checked - started));
    System.out.println("BUILD_WRITE_MS " + ms(written - checked));
    System.out.println("INDEX_BYTES " + index.length);
    System.out.println("REVOKED_COUNT " + report.revokedCount());
    return 0;
  }

  private static int load(Path indexFile, Path clientPem, String expected) throws IOException {
    String pem = Files.readString(clientPem, StandardCharsets.US_ASCII);
    long started = System.nanoTime();
    byte[] bytes = Files.readAllBytes(indexFile);
    long read = System.nanoTime();
    RevocationIndex index = RevocationIndex.read(bytes);
    long parsed = System.nanoTime();
    RevocationCheck first = index.check(ClientCertificate.fromPem(pem), Instant.now(), Duration.ofHours(24)).check();
    long decided = System.nanoTime();
    RevocationCheck second = index.check(ClientCertificate.fromPem(pem), Instant.now(), Duration.ofHours(24))
        .check();
    long decidedAgain = System.nanoTime();
    if (!first.code().equals(expected) || second != first) {
      System.err.println("the client's check is " + first.code() + ", expected " + expected);
      return 1;
    }
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.println("LOAD_MS " + ms(decided - started));
    System.out.println("LOAD_READ_MS " + ms(read - started));
    System.out.println("LOAD_PARSE_MS " + ms(parsed - read));
    System.out.println("FIRST_DECISION_US " + (decided - parsed) / 1000);
    System.out.println("SECOND_DECISION_US " + (decidedAgain - decided) / 1000);
    System.out.println("HEAP_USED_BYTES " + heap.getUsed());
    System.out.println("HEAP_COMMITTED_BYTES " + heap.getCommitted());
    System.out.println("MAIN_STARTED_MS " + (uptime - (System.nanoTime() - started) / 1_000_000));
    System.out.println("INDEX " + index.size() + " bytes, " + index.revokedCount() + " serials, "
        + index.issuers().size() + " CAs; check " + first.code());
    Reference.reachabilityFence(index);
    return 0;
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
