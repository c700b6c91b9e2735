package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.NOW;
import static com.mtlsgateway.truststore.TruststoreFixtures.PKI;
import static com.mtlsgateway.truststore.TruststoreFixtures.findings;
import static com.mtlsgateway.truststore.TruststoreFixtures.only;
import static com.mtlsgateway.truststore.TruststoreFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules about one certificate on its own: validity, algorithms, CA flag. */
class TruststoreValidatorCertificateTest {

  private static TestPki.Issued rsaRoot;
  private static TestPki.Issued ecRoot;

  @BeforeAll
  static void makeRoots() {
    rsaRoot = PKI.certificate("CN=RSA Root").key(KeySpec.RSA_2048).selfSigned();
    ecRoot = PKI.certificate("CN=EC Root").selfSigned();
  }

  @Test
  void expiredOneSecondAgo() {
    TestPki.Issued ca = PKI.certificate("CN=Old CA")
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minusSeconds(1)).issuedBy(ecRoot);

    ValidationReport report = validate(ecRoot, ca);

    assertThat(findings(report)).containsExactly("EXPIRED@1");
    Finding expired = only(report, FindingCode.EXPIRED);
    assertThat(expired.severity()).isEqualTo(Severity.WARNING);
    assertThat(expired.certificate().subject()).isEqualTo("CN=Old CA");
    assertThat(expired.message()).isEqualTo("Certificate 1 expired on 2030-01-15T09:59:59Z, so clients it issued are"
        + " refused: replace it with the CA's renewed certificate, or remove it.");
    assertThat(report.earliestExpiry()).contains(NOW.minusSeconds(1));
  }

  @Test
  void expiringThisVerySecondIsStillValidButExpiresSoon() {
    TestPki.Issued ca = PKI.certificate("CN=Last Second CA").validity(NOW.minus(Duration.ofDays(10)), NOW)
        .issuedBy(ecRoot);

    assertThat(findings(validate(ecRoot, ca))).containsExactly("EXPIRES_SOON@1");
  }

  @Test
  void notYetValidOneSecondAhead() {
    TestPki.Issued ca = PKI.certificate("CN=Future CA").validity(NOW.plusSeconds(1), NOW.plus(Duration.ofDays(400)))
        .issuedBy(ecRoot);

    ValidationReport report = validate(ecRoot, ca);

    assertThat(findings(report)).containsExactly("NOT_YET_VALID@1");
    assertThat(only(report, FindingCode.NOT_YET_VALID).message()).contains("not valid before 2030-01-15T10:00:01Z");
  }

  @Test
  void validFromThisVerySecondIsFine() {
    TestPki.Issued ca = PKI.certificate("CN=New CA").validity(NOW, NOW.plus(Duration.ofDays(400))).issuedBy(ecRoot);

    assertThat(validate(ecRoot, ca).findings()).isEmpty();
  }

  @Test
  void expiresInThirtyDaysIsInfoAndStillValid() {
    TestPki.Issued ca = PKI.certificate("CN=Soon CA")
        .validity(NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(30))).issuedBy(ecRoot);

    ValidationReport report = validate(ecRoot, ca);

    assertThat(findings(report)).containsExactly("EXPIRES_SOON@1");
    Finding soon = only(report, FindingCode.EXPIRES_SOON);
    assertThat(soon.severity()).isEqualTo(Severity.INFO);
    assertThat(soon.message()).contains("expires on 2030-02-14T10:00:00Z (in 30 days)").contains("renewed");
    assertThat(report.valid(false)).isTrue();
  }

  @Test
  void expiresInThirtyDaysAndOneSecondIsNotReported() {
    Instant notAfter = NOW.plus(Duration.ofDays(30)).plusSeconds(1);
    TestPki.Issued ca = PKI.certificate("CN=Later CA").validity(NOW.minus(Duration.ofDays(300)), notAfter)
        .issuedBy(ecRoot);

    assertThat(validate(ecRoot, ca).findings()).isEmpty();
  }

  static Stream<Arguments> weakSignatures() {
    return Stream.of(
        Arguments.of("SHA1withRSA", "SHA-1"),
        Arguments.of("MD5withRSA", "MD5"),
        Arguments.of("MD2withRSA", "MD2"),
        Arguments.of("SHA224withRSA", "SHA-224"),
        Arguments.of("SHA1withRSAandMGF1", "SHA-1"),
        Arguments.of("SHA1withECDSA", "SHA-1"),
        Arguments.of("SHA224withECDSA", "SHA-224"));
  }

  @ParameterizedTest
  @MethodSource("weakSignatures")
  void intermediateSignedBelowSha256IsWeakSignature(String algorithm, String hash) {
    TestPki.Issued root = algorithm.endsWith("ECDSA") ? ecRoot : rsaRoot;
    TestPki.Issued ca = PKI.certificate("CN=Weakly Signed CA").signatureAlgorithm(algorithm).issuedBy(root);

    ValidationReport report = validate(root, ca);

    assertThat(findings(report)).containsExactly("WEAK_SIGNATURE@1");
    assertThat(only(report, FindingCode.WEAK_SIGNATURE).message())
        .contains("(" + hash + " is weaker than SHA-256)").contains("re-issue signed with SHA-256");
  }

  @Test
  void sha1SelfSignedRootIsWeakSignatureToo() {
    TestPki.Issued root = PKI.certificate("CN=Old SHA-1 Root").key(KeySpec.RSA_2048).signatureAlgorithm("SHA1withRSA")
        .selfSigned();

    ValidationReport report = validate(root);

    assertThat(findings(report)).containsExactly("WEAK_SIGNATURE@0");
    assertThat(only(report, FindingCode.WEAK_SIGNATURE).message())
        .contains("SHA1withRSA").contains("does not document how it treats a weakly signed root");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "SHA256withRSAandMGF1",
      "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA"})
  void sha256OrStrongerIsFine(String algorithm) {
    TestPki.Issued root = algorithm.endsWith("ECDSA") ? ecRoot : rsaRoot;
    TestPki.Issued ca = PKI.certificate("CN=Well Signed CA").signatureAlgorithm(algorithm).issuedBy(root);

    assertThat(validate(root, ca).findings()).isEmpty();
  }

  static Stream<Arguments> weakKeys() {
    return Stream.of(
        Arguments.of(KeySpec.rsa(1024), "an RSA key of 1024 bits"),
        Arguments.of(KeySpec.rsa(2047), "an RSA key of 2047 bits"),
        Arguments.of(KeySpec.ec("secp224r1"), "an EC key of 224 bits"),
        Arguments.of(KeySpec.dsa(2048), "a DSA key"),
        Arguments.of(KeySpec.ED25519, "a key of type EdDSA"));
  }

  @ParameterizedTest
  @MethodSource("weakKeys")
  void keysApiGatewayRefusesAreWeakKey(KeySpec spec, String described) {
    TestPki.Issued ca = PKI.certificate("CN=Weak Key CA").key(spec).issuedBy(ecRoot);

    ValidationReport report = validate(ecRoot, ca);

    assertThat(findings(report)).containsExactly("WEAK_KEY@1");
    assertThat(only(report, FindingCode.WEAK_KEY).message()).contains("has " + described + "; API Gateway accepts");
  }

  static Stream<KeySpec> acceptedKeys() {
    return Stream.of(KeySpec.RSA_2048, KeySpec.rsa(3072), KeySpec.EC_P256, KeySpec.EC_P384, KeySpec.EC_P521);
  }

  @ParameterizedTest
  @MethodSource("acceptedKeys")
  void rsa2048AndUpAndEcP256AndUpAreCleanAsRootAndIntermediate(KeySpec spec) {
    TestPki.Issued root = PKI.certificate("CN=Clean Root").key(spec).selfSigned();
    TestPki.Issued ca = PKI.certificate("CN=Clean CA").key(spec).issuedBy(root);

    assertThat(validate(root, ca).findings()).isEmpty();
  }

  @Test
  void endEntityCertificateIsNotCa() {
    TestPki.Issued client = PKI.certificate("CN=client.example.com").ca(false).issuedBy(ecRoot);

    ValidationReport report = validate(ecRoot, client);

    assertThat(findings(report)).containsExactly("NOT_CA@1");
    assertThat(only(report, FindingCode.NOT_CA).message()).contains("no basicConstraints CA:TRUE")
        .contains("put its issuing CA here instead");
  }

  @Test
  void version3WithoutBasicConstraintsIsNotCa() {
    TestPki.Issued ca = PKI.certificate("CN=Unmarked CA").withoutBasicConstraints().issuedBy(ecRoot);

    assertThat(findings(validate(ecRoot, ca))).containsExactly("NOT_CA@1");
  }

  @Test
  void version1RootIsNotCa() {
    TestPki.Issued v1 = PKI.certificate("CN=Version 1 Root").version1().selfSigned();

    ValidationReport report = validate(v1);

    assertThat(findings(report)).containsExactly("NOT_CA@0");
    assertThat(only(report, FindingCode.NOT_CA).message()).contains("X.509 version 1 certificate");
  }
}
