package com.mtlsgateway.bench;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import com.mtlsgateway.truststore.TruststoreValidator;
import com.mtlsgateway.truststore.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Writes a benchmark bundle to a file, for the cold (fresh JVM) measurements in bench/run:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar com.mtlsgateway.bench.BundleWriter FILE [mixed|rsa|small]</pre>
 *
 * {@code mixed} (the default) and {@code rsa} write the 1,000-certificate bundle ({@link BenchBundle}) with those
 * signatures ({@link BenchBundle.Signatures}). {@code small} writes a clean two-certificate chain, a root with an
 * RSA-2048 key and an issuing CA under it with an EC P-256 key (so one RSA and one ECDSA signature to verify): the
 * source bundle of bench/run's cold custom resource invocation, which the handler accepts and stages.
 */
public final class BundleWriter {

  private BundleWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].matches("mixed|rsa|small"))) {
      System.err.println("usage: BundleWriter FILE [mixed|rsa|small]");
      System.exit(2);
    }
    String kind = args.length == 2 ? args[1] : "mixed";
    Instant now = Instant.now();
    TruststoreValidator validator = new TruststoreValidator(Clock.fixed(now, ZoneOffset.UTC));
    byte[] bundle;
    String what;
    if (kind.equals("small")) {
      TestPki pki = TestPki.at(now);
      String org = ",O=mtls-gateway bench";
      Issued root = pki.certificate("CN=Bench Small Root CA" + org).key(KeySpec.RSA_2048).selfSigned();
      Issued issuing = pki.certificate("CN=Bench Small Issuing CA" + org).key(KeySpec.EC_P256).issuedBy(root);
      bundle = TestPki.bundle(root, issuing).getBytes(StandardCharsets.US_ASCII);
      ValidationReport report = validator.validate(bundle);
      if (report.certificateCount() != 2 || !report.findings().isEmpty()) {
        throw new IllegalStateException("unexpected small bundle: " + report.certificateCount()
            + " certificates, findings " + report.findings());
      }
      what = "2 certificates (a root and an issuing CA), no findings";
    } else {
      BenchBundle.Signatures signatures =
          kind.equals("rsa") ? BenchBundle.Signatures.RSA : BenchBundle.Signatures.MIXED;
      bundle = BenchBundle.generate(now, signatures);
      TruststoreValidatorBenchmark.check(validator.validate(bundle), bundle.length);
      what = BenchBundle.CERTIFICATES + " certificates (" + signatures + "), findings " + BenchBundle.EXPECTED_FINDINGS;
    }
    Path file = Path.of(args[0]);
    Files.write(file, bundle);
    System.out.println("wrote " + file + ": " + bundle.length + " bytes, " + what);
  }
}
