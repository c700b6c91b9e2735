package com.mtlsgateway.bench;

import com.mtlsgateway.truststore.Finding;
import com.mtlsgateway.truststore.TruststoreValidator;
import com.mtlsgateway.truststore.ValidationReport;
import java.security.Security;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
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
 * Warm validation of a 1,000-certificate bundle ({@link BenchBundle}): the time and, with {@code -prof gc}, the
 * allocation ({@code gc.alloc.rate.norm}, bytes/op) of one {@link TruststoreValidator#validate(byte[])} call.
 *
 * <p>Each call alternates between two bundles of the same shape. The JDK's X.509 CertificateFactory keeps the last
 * 750 certificates it parsed (each remembering its verified signature); a 1,000-certificate bundle read in order
 * already defeats that LRU cache, and alternating two bundles makes sure of it, so every call parses and verifies
 * all 1,000 certificates, as the validation of a new bundle does.
 *
 * <p>{@code signatures}: {@code mixed} (about half the certificates signed with ECDSA P-256) or {@code rsa} (all
 * signed with RSA-2048); see {@link BenchBundle.Signatures}. ECDSA verification dominates the cost on JDK 17.
 *
 * <p>The security provider is whatever the validator leaves installed after the set-up's validations (it may install
 * the Amazon Corretto Crypto Provider for large bundles, where its native library loads); each fork prints the one that
 * serves ECDSA and RSA signatures on a line starting "# provider:", which bench/run reads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class TruststoreValidatorBenchmark {

  @Param({"mixed", "rsa"})
  public String signatures;

  private final Instant now = Instant.now();
  private final TruststoreValidator validator = new TruststoreValidator(Clock.fixed(now, ZoneOffset.UTC));
  private byte[][] bundles;
  private int next;

  @Setup
  public void makeBundles() {
    BenchBundle.Signatures kind = BenchBundle.Signatures.valueOf(signatures.toUpperCase(Locale.ROOT));
    bundles = new byte[][] {BenchBundle.generate(now, kind), BenchBundle.generate(now, kind)};
    for (byte[] bundle : bundles) {
      check(validator.validate(bundle), bundle.length);
    }
    System.out.println("# provider: " + Security.getProviders("Signature.SHA256withECDSA")[0].getName() + " (ECDSA), "
        + Security.getProviders("Signature.SHA256withRSA")[0].getName() + " (RSA)");
  }

  @Benchmark
  public ValidationReport validate() {
    next ^= 1;
    return validator.validate(bundles[next]);
  }

  /** Refuses to measure a bundle that is not what it claims to be. */
  static void check(ValidationReport report, int bytes) {
    List<String> codes = report.findings().stream().map(Finding::code).map(Enum::name).sorted().toList();
    List<String> expected = BenchBundle.EXPECTED_FINDINGS.stream().sorted().toList();
    if (report.certificateCount() != BenchBundle.CERTIFICATES || !codes.equals(expected)) {
      throw new IllegalStateException("unexpected benchmark bundle (" + bytes + " bytes): "
          + report.certificateCount() + " certificates, findings " + codes + ", expected " + expected);
    }
  }
}
