package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.PKI;
import static com.mtlsgateway.truststore.TruststoreFixtures.VALIDATOR;
import static com.mtlsgateway.truststore.TruststoreFixtures.findings;
import static com.mtlsgateway.truststore.TruststoreFixtures.only;
import static com.mtlsgateway.truststore.TruststoreFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the file: what is and is not a PEM certificate bundle. */
class TruststoreValidatorPemTest {

  private static List<TestPki.Issued> chain;
  private static String chainPem;

  @BeforeAll
  static void makeChain() {
    chain = PKI.chain("Pem", 2);
    chainPem = TestPki.bundle(chain);
  }

  @Test
  void zeroBytesIsEmpty() throws Exception {
    ValidationReport report = VALIDATOR.validate(new byte[0]);

    assertThat(findings(report)).containsExactly("EMPTY");
    assertThat(report.certificateCount()).isZero();
    assertThat(report.earliestExpiry()).isEmpty();
    assertThat(report.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest()));
    assertThat(report.valid(true)).isFalse();
  }

  @Test
  void whitespaceOnlyIsEmpty() {
    assertThat(findings(validate(" \r\n\t\n  \n"))).containsExactly("EMPTY");
  }

  @Test
  void derCertificateIsNotPemAndTheMessageSaysHowToConvert() {
    ValidationReport report = VALIDATOR.validate(chain.get(0).der());

    Finding finding = only(report, FindingCode.NOT_PEM);
    assertThat(findings(report)).containsExactly("NOT_PEM");
    assertThat(finding.severity()).isEqualTo(Severity.ERROR);
    assertThat(finding.message()).contains("DER").contains("openssl x509 -inform DER");
    assertThat(report.certificateCount()).isZero();
  }

  @Test
  void textWithoutBlocksIsNotPemAndIsNotEchoed() {
    ValidationReport report = validate("db_password=hunter2\nsome other config\n");

    assertThat(findings(report)).containsExactly("NOT_PEM");
    assertThat(only(report, FindingCode.NOT_PEM).message())
        .contains("-----BEGIN CERTIFICATE-----")
        .doesNotContain("hunter2");
  }

  @Test
  void privateKeyBlockIsNamedByTypeAndIndexAndNeverEchoed() {
    TestPki.Issued root = chain.get(0);
    String keyPem = root.privateKeyPem();

    ValidationReport report = validate(root.pem() + keyPem + chain.get(1).pem());

    assertThat(findings(report)).containsExactly("NOT_PEM");
    Finding finding = only(report, FindingCode.NOT_PEM);
    assertThat(finding.certificate()).isNull();
    assertThat(finding.message()).contains("PEM block 1").contains("\"PRIVATE KEY\"").contains("exposed");
    keyPem.lines().filter(line -> !line.startsWith("-----"))
        .forEach(base64Line -> assertThat(finding.message()).doesNotContain(base64Line));
    assertThat(report.certificateCount()).isEqualTo(2);
  }

  @Test
  void blocksOfOtherTypesKeepTheirPlaceInTheIndexes() {
    ValidationReport report = validate(chain.get(0).pem() + chain.get(0).privateKeyPem() + chain.get(1).pem()
        + TestPki.pem("X509 CRL", chain.get(1).der()));

    assertThat(report.findings()).extracting(Finding::message)
        .containsExactly(
            "PEM block 1 is a \"PRIVATE KEY\" block, not a CERTIFICATE: remove it, since a truststore is public data;"
                + " treat the key as exposed if this file has been shared.",
            "PEM block 3 is a \"X509 CRL\" block, not a CERTIFICATE: remove it; API Gateway reads only -----BEGIN"
                + " CERTIFICATE----- blocks.");
  }

  @Test
  void trustedCertificateBlockIsNotPemWithAConversionHint() {
    ValidationReport report = validate(TestPki.pem("TRUSTED CERTIFICATE", chain.get(0).der()));

    assertThat(findings(report)).containsExactly("NOT_PEM");
    assertThat(only(report, FindingCode.NOT_PEM).message())
        .contains("PEM block 0").contains("TRUSTED CERTIFICATE").contains("openssl x509 -in CERT -out CERT.pem");
  }

  @Test
  void invalidBase64IsParseError() {
    ValidationReport report =
        validate(chainPem + "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");

    assertThat(findings(report)).containsExactly("PARSE_ERROR");
    assertThat(only(report, FindingCode.PARSE_ERROR).message())
        .startsWith("PEM block 2 (CERTIFICATE) is not valid base64");
    assertThat(report.certificateCount()).isEqualTo(2);
  }

  @Test
  void base64ThatIsNotACertificateIsParseError() {
    byte[] notDer = "hello, not a certificate".getBytes(StandardCharsets.US_ASCII);

    ValidationReport report = validate(TestPki.pem("CERTIFICATE", notDer));

    assertThat(findings(report)).containsExactly("PARSE_ERROR");
    assertThat(only(report, FindingCode.PARSE_ERROR).message()).contains("is not an X.509 certificate (");
  }

  @Test
  void emptyCertificateBlockIsParseError() {
    ValidationReport report = validate("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");

    assertThat(only(report, FindingCode.PARSE_ERROR).message()).startsWith("PEM block 0 (CERTIFICATE) is empty");
  }

  @Test
  void truncatedLastBlockIsParseErrorAndEarlierCertificatesStillCount() {
    String root = chain.get(0).pem();
    String truncated = chain.get(1).pem().substring(0, 200);

    ValidationReport report = validate(root + truncated);

    assertThat(findings(report)).containsExactly("PARSE_ERROR");
    assertThat(only(report, FindingCode.PARSE_ERROR).message()).contains("PEM block 1").contains("no END line");
    assertThat(report.certificateCount()).isEqualTo(1);
  }

  @Test
  void mismatchedEndLineIsParseError() {
    String pem = chain.get(0).pem().replace("-----END CERTIFICATE-----", "-----END PRIVATE KEY-----");

    assertThat(only(validate(pem), FindingCode.PARSE_ERROR).message())
        .contains("ends with an END line for \"PRIVATE KEY\"");
  }

  @Test
  void bytesAfterTheCertificateInsideItsBlockAreParseError() {
    byte[] der = chain.get(0).der();
    byte[] padded = Arrays.copyOf(der, der.length + 3);

    ValidationReport report = validate(TestPki.pem("CERTIFICATE", padded));

    assertThat(only(report, FindingCode.PARSE_ERROR).message())
        .contains("has 3 bytes after the end of the certificate");
  }

  @Test
  void commentsBetweenBlocksAreIgnored() {
    String mozillaStyle = "##\n## Bundle of CA Root Certificates\n##\n## Certificate data from Mozilla as of: x\n\n"
        + "Pem CA 1\n========\n" + chain.get(0).pem() + "\nPem CA 2\n========\n" + chain.get(1).pem() + "\n# end\n";

    ValidationReport report = validate(mozillaStyle);

    assertThat(report.findings()).isEmpty();
    assertThat(report.certificateCount()).isEqualTo(2);
  }

  @Test
  void beginMarkerNotAtTheStartOfALineIsNotABlock() {
    ValidationReport report = validate("  " + chain.get(0).pem());

    assertThat(findings(report)).containsExactly("NOT_PEM");
  }

  @Test
  void crlfLineEndsGiveTheSameResultAsLf() throws Exception {
    String lfBundle = chainPem + chain.get(0).pem();
    byte[] crlf = lfBundle.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);

    ValidationReport lf = validate(lfBundle);
    ValidationReport dos = VALIDATOR.validate(crlf);

    assertThat(findings(dos)).containsExactly("DUPLICATE@2").isEqualTo(findings(lf));
    assertThat(dos.certificateCount()).isEqualTo(3);
    assertThat(dos.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(crlf)));
  }

  /** Damaged copies of a real bundle: whatever the damage, the answer is a report, never an exception. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void damagedBundlesGiveAReportNeverAnException(long seed) {
    byte[] original = (chainPem + chain.get(0).privateKeyPem()).getBytes(StandardCharsets.US_ASCII);
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      byte[] damaged = original.clone();
      int changes = 1 + random.nextInt(8);
      for (int i = 0; i < changes; i++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      byte[] cut = Arrays.copyOf(damaged, random.nextInt(damaged.length + 1));

      for (byte[] input : List.of(damaged, cut)) {
        ValidationReport report = VALIDATOR.validate(input);
        assertThat(report.findings()).isSortedAccordingTo(
            (a, b) -> a.severity().compareTo(b.severity()));
      }
    }
  }
}
