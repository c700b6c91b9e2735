package com.mtlsgateway.bench;

import com.mtlsgateway.revocation.ClientCertificate;
import com.mtlsgateway.revocation.CrlChecker;
import com.mtlsgateway.revocation.CrlReport;
import com.mtlsgateway.revocation.RevocationCheck;
import com.mtlsgateway.revocation.RevocationIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The warm authorizer decision against an index of 1,000,000 revoked serials over 10 CAs ({@link RevocationData}), in
 * microseconds per decision:
 *
 * <ul>
 *   <li>{@code decide}: from the client's PEM string to its {@link RevocationCheck}: {@link
 *       ClientCertificate#fromPem} then {@link RevocationIndex#check} at {@code Instant.now()}, as the authorizer
 *       does for each request;
 *   <li>{@code lookup}: {@link RevocationIndex#check} alone, on a certificate parsed in the set-up.
 * </ul>
 *
 * {@code client}: {@code revoked} (its serial is on its CA's CRL) or {@code not-revoked}. {@code data}: the folder
 * RevocationData wrote, whose index.bin bench/run built through the real path; empty (the default), the set-up
 * makes the data and builds the index in-process (CrlChecker, then RevocationIndex.write).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class RevocationBenchmark {

  /** The index file's name in the data folder. */
  public static final String INDEX = "index.bin";
  private static final Duration GRACE = Duration.ofHours(24);

  @Param({""})
  public String data;

  @Param({"revoked", "not-revoked"})
  public String client;

  private RevocationIndex index;
  private String pem;
  private ClientCertificate parsed;
  private Instant now;

  @Setup
  public void load() throws IOException, CertificateException {
    Path folder;
    if (data.isEmpty()) {
      folder = Files.createTempDirectory("revocation-bench");
      RevocationData.write(folder, Instant.now(), RevocationData.DEFAULT_CAS, RevocationData.DEFAULT_SERIALS_PER_CA);
      Files.write(folder.resolve(INDEX), buildIndex(folder));
    } else {
      folder = Path.of(data);
    }
    index = RevocationIndex.read(Files.readAllBytes(folder.resolve(INDEX)));
    boolean revoked = client.equals("revoked");
    pem = Files.readString(folder.resolve(revoked ? RevocationData.REVOKED_CLIENT : RevocationData.VALID_CLIENT),
        StandardCharsets.US_ASCII);
    parsed = ClientCertificate.fromPem(pem);
    now = Instant.now();
    RevocationCheck expected = revoked ? RevocationCheck.REVOKED : RevocationCheck.NOT_REVOKED;
    if (decide() != expected || lookup() != expected) {
      throw new IllegalStateException("the " + client + " client is " + decide() + ", expected " + expected);
    }
    System.out.println("# index: " + index.size() + " bytes, " + index.revokedCount() + " revoked serials, "
        + index.issuers().size() + " CAs");
  }

  @Benchmark
  public RevocationCheck decide() {
    return index.check(ClientCertificate.fromPem(pem), Instant.now(), GRACE).check();
  }

  @Benchmark
  public RevocationCheck lookup() {
    return index.check(parsed, now, GRACE).check();
  }

  /** The index of the data in {@code folder}, through the real path: CrlChecker, then RevocationIndex.write. */
  static byte[] buildIndex(Path folder) throws IOException, CertificateException {
    List<X509Certificate> cas = new ArrayList<>();
    byte[] truststore = Files.readAllBytes(folder.resolve(RevocationData.TRUSTSTORE));
    for (Certificate certificate : CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(truststore))) {
      cas.add((X509Certificate) certificate);
    }
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (int c = 0; c < cas.size(); c++) {
      Path file = folder.resolve(RevocationData.crlFile(c));
      inputs.add(new CrlChecker.Input(file.toString(), Files.readAllBytes(file)));
    }
    CrlReport report = new CrlChecker(Clock.systemUTC()).check(cas, inputs);
    if (!report.valid()) {
      throw new IllegalStateException("the benchmark CRLs do not check: " + report.findings());
    }
    return RevocationIndex.write(report.issuers());
  }
}
