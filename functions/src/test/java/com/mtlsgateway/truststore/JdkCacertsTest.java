package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.NOW;
import static com.mtlsgateway.truststore.TruststoreFixtures.VALIDATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.JdkTrustStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own trust store ({@code $JAVA_HOME/lib/security/cacerts}): about a hundred real, independently made roots
 * on every machine that runs the tests, since it comes with the JDK itself (on some Linux distributions it is a link
 * into /etc, but it is always there). Its findings are checked against the JDK's own reading of the same certificates,
 * not against a list copied from today's output.
 */
class JdkCacertsTest {

  /** Every distinct trusted certificate of cacerts, in alias order: the bundle's order. */
  private static List<X509Certificate> roots;
  private static byte[] bundle;

  @BeforeAll
  static void readCacerts() throws Exception {
    roots = JdkTrustStore.roots();
    bundle = JdkTrustStore.bundle(roots);
  }

  @Test
  void cacertsHoldsTheRealRoots() {
    assertThat(roots).as("trusted certificates in %s", JdkTrustStore.CACERTS).hasSizeGreaterThan(80);
  }

  @Test
  void realRootsAreReadWithoutErrorsAndTheirFindingsAreTheGenuineOnes() {
    ValidationReport report = VALIDATOR.validate(bundle);

    assertThat(report.certificateCount()).isEqualTo(roots.size());
    assertThat(report.findings()).extracting(Finding::severity).doesNotContain(Severity.ERROR);
    // Every entry is a self-signed v3 root with a modern key: nothing about chains, keys or CA flags may fire.
    assertThat(report.findings()).extracting(Finding::code)
        .allMatch(Set.of(FindingCode.WEAK_SIGNATURE, FindingCode.EXPIRED, FindingCode.NOT_YET_VALID,
            FindingCode.EXPIRES_SOON)::contains);
    assertThat(indexesWith(report, FindingCode.WEAK_SIGNATURE)).isEqualTo(indexes(
        root -> root.getSigAlgName().matches("(SHA1|MD2|MD5)with.*")));
    assertThat(indexesWith(report, FindingCode.EXPIRED)).isEqualTo(indexes(
        root -> root.getNotAfter().toInstant().isBefore(NOW)));
    assertThat(indexesWith(report, FindingCode.NOT_YET_VALID)).isEqualTo(indexes(
        root -> root.getNotBefore().toInstant().isAfter(NOW)));
    assertThat(indexesWith(report, FindingCode.EXPIRES_SOON)).isEqualTo(indexes(root -> {
      Instant notAfter = root.getNotAfter().toInstant();
      return !notAfter.isBefore(NOW) && !notAfter.isAfter(NOW.plus(Duration.ofDays(30)));
    }));
    assertThat(report.earliestExpiry()).contains(
        roots.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElseThrow());
  }

  @Test
  void everyRootIsNamedByItsSubjectAndFingerprint() throws Exception {
    ValidationReport report = VALIDATOR.validate(bundle);

    for (Finding finding : report.findings()) {
      X509Certificate root = roots.get(finding.certificate().index());
      assertThat(finding.certificate().subject()).isEqualTo(root.getSubjectX500Principal().getName());
      assertThat(finding.certificate().sha256()).isEqualTo(HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(root.getEncoded())));
    }
  }

  private static List<Integer> indexesWith(ValidationReport report, FindingCode code) {
    return report.findings().stream().filter(f -> f.code() == code).map(f -> f.certificate().index()).toList();
  }

  private static List<Integer> indexes(Predicate<X509Certificate> matching) {
    List<Integer> indexes = new ArrayList<>();
    IntStream.range(0, roots.size()).filter(i -> matching.test(roots.get(i))).forEach(indexes::add);
    return indexes;
  }
}
