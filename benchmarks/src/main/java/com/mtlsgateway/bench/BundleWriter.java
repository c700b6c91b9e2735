package com.mtlsgateway.bench;

import com.mtlsgateway.truststore.TruststoreValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Writes the benchmark's 1,000-certificate bundle ({@link BenchBundle}) to a file, for the cold (fresh JVM)
 * measurement in bench/run:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar com.mtlsgateway.bench.BundleWriter FILE [mixed|rsa]</pre>
 *
 * The second argument picks the signatures ({@link BenchBundle.Signatures}); the default is {@code mixed}.
 */
public final class BundleWriter {

  private BundleWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].matches("mixed|rsa"))) {
      System.err.println("usage: BundleWriter FILE [mixed|rsa]");
      System.exit(2);
    }
    BenchBundle.Signatures signatures =
        args.length == 2 && args[1].equals("rsa") ? BenchBundle.Signatures.RSA : BenchBundle.Signatures.MIXED;
    Instant now = Instant.now();
    byte[] bundle = BenchBundle.generate(now, signatures);
    TruststoreValidatorBenchmark.check(
        new TruststoreValidator(Clock.fixed(now, ZoneOffset.UTC)).validate(bundle),
        bundle.length);
    Path file = Path.of(args[0]);
    Files.write(file, bundle);
    System.out.println("wrote " + file + ": " + BenchBundle.CERTIFICATES + " certificates (" + signatures + "), "
        + bundle.length + " bytes, findings " + BenchBundle.EXPECTED_FINDINGS);
  }
}
