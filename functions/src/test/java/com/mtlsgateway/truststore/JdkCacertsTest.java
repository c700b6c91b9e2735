package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.NOW;
import static com.mtlsgateway.truststore.TruststoreFixtures.VALIDATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.mtlsgateway.testing.TestPki;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private static final File CACERTS = new File(System.getProperty("java.home"), "lib/security/cacerts");

  /** Every distinct trusted certificate of cacerts, in alias order: the bundle's order. */
  private static List<X509Certificate> roots;
  private static byte[] bundle;

  @BeforeAll
  static void readCacerts() throws Exception {
    if (!CACERTS.isFile()) {
      fail("The JDK running the tests (java.home " + System.getProperty("java.home") + ") has no " + CACERTS
          + ", the trust store every JDK ships: reinstall the JDK, or on Linux the package that provides its CA"
          + " certificates (Debian and Ubuntu: ca-certificates-java; Amazon Linux, Fedora and RHEL: ca-certificates).");
    }
    // No password: that is how the JDK's own TLS reads its default trust store (unless javax.net.ssl.trustStorePassword
    // is set), so every certificate the JDK trusts is readable so, whether the file is JKS (some Linux distributions)
    // or the password-less PKCS12 the JDK ships; the type is detected from the file.
    KeyStore cacerts = KeyStore.getInstance(CACERTS, (char[]) null);
    List<String> aliases = Collections.list(cacerts.aliases());
    Collections.sort(aliases);
    // Identical certificates under two aliases would be the validator's DUPLICATE: keep each certificate once.
    Map<String, X509Certificate> byDer = new LinkedHashMap<>();
    for (String alias : aliases) {
      Certificate certificate = cacerts.isCertificateEntry(alias) ? cacerts.getCertificate(alias) : null;
      if (certificate instanceof X509Certificate x509) {
        byDer.putIfAbsent(HexFormat.of().formatHex(x509.getEncoded()), x509);
      }
    }
    roots = List.copyOf(byDer.values());
    StringBuilder pem = new StringBuilder();
    for (X509Certificate root : roots) {
      pem.append(TestPki.pem("CERTIFICATE", root.getEncoded()));
    }
    bundle = pem.toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void cacertsHoldsTheRealRoots() {
    assertThat(roots).as("trusted certificates in %s", CACERTS).hasSizeGreaterThan(80);
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
