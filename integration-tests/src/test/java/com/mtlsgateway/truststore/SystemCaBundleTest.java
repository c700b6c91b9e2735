package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.NOW;
import static com.mtlsgateway.truststore.TruststoreFixtures.VALIDATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The machine's own CA bundle: over a hundred real, independently made roots. Its findings are checked against the
 * JDK's own reading of the same file, not against a list copied from today's output.
 *
 * <p>Here rather than in functions because it reads a file of the machine (Debian's bundle), which the laptops that
 * run {@code sam build} may not have; functions' JdkCacertsTest runs the same checks on the JDK's own roots.
 */
class SystemCaBundleTest {

  private static final Path BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

  @Test
  void realRootsAreReadWithoutErrorsAndTheirFindingsAreTheGenuineOnes() throws Exception {
    if (!Files.isRegularFile(BUNDLE)) {
      fail(BUNDLE + " is missing: install the Debian package that provides it with 'apt-get install"
          + " ca-certificates' (on other systems, the package that installs the system CA bundle).");
    }
    byte[] bytes = Files.readAllBytes(BUNDLE);
    List<X509Certificate> roots = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(bytes)).stream().map(X509Certificate.class::cast).toList();

    ValidationReport report = VALIDATOR.validate(bytes);

    assertThat(report.certificateCount()).isGreaterThan(100).isEqualTo(roots.size());
    assertThat(report.findings()).extracting(Finding::severity).doesNotContain(Severity.ERROR);
    // Every entry is a self-signed v3 root with a modern key: nothing about chains, keys or CA flags may fire.
    assertThat(report.findings()).extracting(Finding::code)
        .allMatch(Set.of(FindingCode.WEAK_SIGNATURE, FindingCode.EXPIRED, FindingCode.NOT_YET_VALID,
            FindingCode.EXPIRES_SOON)::contains);
    assertThat(indexesWith(report, FindingCode.WEAK_SIGNATURE)).isEqualTo(IntStream.range(0, roots.size())
        .filter(i -> roots.get(i).getSigAlgName().matches("(SHA1|MD2|MD5)with.*")).boxed().toList());
    assertThat(indexesWith(report, FindingCode.EXPIRED)).isEqualTo(IntStream.range(0, roots.size())
        .filter(i -> roots.get(i).getNotAfter().toInstant().isBefore(NOW)).boxed().toList());
    assertThat(indexesWith(report, FindingCode.NOT_YET_VALID)).isEqualTo(IntStream.range(0, roots.size())
        .filter(i -> roots.get(i).getNotBefore().toInstant().isAfter(NOW)).boxed().toList());
    assertThat(indexesWith(report, FindingCode.EXPIRES_SOON)).isEqualTo(IntStream.range(0, roots.size())
        .filter(i -> {
          var notAfter = roots.get(i).getNotAfter().toInstant();
          return !notAfter.isBefore(NOW) && !notAfter.isAfter(NOW.plus(Duration.ofDays(30)));
        }).boxed().toList());
    assertThat(report.earliestExpiry()).contains(
        roots.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElseThrow());
  }

  private static List<Integer> indexesWith(ValidationReport report, FindingCode code) {
    return report.findings().stream().filter(f -> f.code() == code).map(f -> f.certificate().index()).toList();
  }
}
