package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.NOW;
import static com.mtlsgateway.truststore.TruststoreFixtures.PKI;
import static com.mtlsgateway.truststore.TruststoreFixtures.VALIDATOR;
import static com.mtlsgateway.truststore.TruststoreFixtures.findings;
import static com.mtlsgateway.truststore.TruststoreFixtures.only;
import static com.mtlsgateway.truststore.TruststoreFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
            "PEM block 3 is an \"X509 CRL\" block, not a CERTIFICATE: remove it; API Gateway reads only -----BEGIN"
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
    assertThat(only(report, FindingCode.PARSE_ERROR).message())
        .startsWith("PEM block 0 (CERTIFICATE) holds 24 bytes (base64-decoded) that are not a DER X.509"
            + " certificate: ")
        .doesNotContain("Empty input")
        .doesNotContain("is empty");
  }

  @Test
  void truncatedDerKeepsTheParsersDetail() {
    byte[] der = chain.get(0).der();

    ValidationReport report = validate(TestPki.pem("CERTIFICATE", Arrays.copyOf(der, der.length / 2)));

    assertThat(only(report, FindingCode.PARSE_ERROR).message())
        .startsWith("PEM block 0 (CERTIFICATE) holds " + der.length / 2 + " bytes (base64-decoded) that are not a"
            + " DER X.509 certificate (")
        .doesNotContain("Could not parse certificate")
        .doesNotContain("IOException");
  }

  /** Base64 of a whole PEM file inside a CERTIFICATE block: the JDK would parse the inner PEM; it is not DER. */
  @Test
  void pemEncodedAgainInsideABlockIsNotDer() {
    byte[] innerPem = chain.get(0).pem().getBytes(StandardCharsets.US_ASCII);

    ValidationReport report = validate(TestPki.pem("CERTIFICATE", innerPem));

    assertThat(findings(report)).containsExactly("PARSE_ERROR");
    assertThat(only(report, FindingCode.PARSE_ERROR).message()).contains("not a DER X.509 certificate");
    assertThat(report.certificateCount()).isZero();
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
    assertThat(only(report, FindingCode.NOT_PEM).message())
        .startsWith("The bundle has a -----BEGIN marker, but not at the start of a line");
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

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ENCRYPTED PRIVATE KEY | an
      RSA PRIVATE KEY       | an
      EC PRIVATE KEY        | an
      PRIVATE KEY           | a
      PKCS7                 | a
      """)
  void otherBlockTypesAreNamedWithTheRightArticle(String label, String article) {
    ValidationReport report = validate(TestPki.pem(label, chain.get(0).der()));

    assertThat(only(report, FindingCode.NOT_PEM).message())
        .startsWith("PEM block 0 is " + article + " \"" + label + "\" block, not a CERTIFICATE");
  }

  // --- A UTF-8 byte-order mark ------------------------------------------------------------------------------

  private static final String BOM = "\u00ef\u00bb\u00bf"; // EF BB BF, one char per byte (see validate(String))

  @Test
  void byteOrderMarkIsReadPastAndReportedAsAnError() {
    TestPki.Issued expired = PKI.certificate("CN=Expired CA")
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(30))).selfSigned();
    TestPki.Issued root = PKI.certificate("CN=Root CA").selfSigned();

    ValidationReport report = validate(BOM + expired.pem() + root.pem());

    assertThat(report.certificateCount()).as("the first certificate is not hidden by the mark").isEqualTo(2);
    assertThat(findings(report)).containsExactly("NOT_PEM", "EXPIRED@0");
    Finding bom = only(report, FindingCode.NOT_PEM);
    assertThat(bom.severity()).isEqualTo(Severity.ERROR);
    assertThat(bom.certificate()).isNull();
    assertThat(bom.message()).isEqualTo("The file starts with a UTF-8 byte-order mark (bytes EF BB BF); API Gateway"
        + " expects plain PEM and its handling of a BOM is not documented: save the file without it (e.g."
        + " `sed -i '1s/^\\xEF\\xBB\\xBF//' FILE`).");
    assertThat(report.valid(true)).isFalse();
  }

  @Test
  void byteOrderMarksWhereFilesWereConcatenatedAreReadPastAndReported() {
    String first = chain.get(0).pem();
    int secondLine = (int) first.lines().count() + 1;

    ValidationReport report = validate(first + BOM + chain.get(1).pem());

    assertThat(report.certificateCount()).isEqualTo(2);
    assertThat(findings(report)).containsExactly("NOT_PEM");
    assertThat(only(report, FindingCode.NOT_PEM).message())
        .startsWith("Line " + secondLine + " starts with a UTF-8 byte-order mark (bytes EF BB BF)")
        .contains("concatenat")
        .contains("sed -i 's/^\\xEF\\xBB\\xBF//' FILE");
  }

  @Test
  void aByteOrderMarkAloneIsEmptyAndReported() {
    assertThat(findings(validate(BOM + "\n"))).containsExactly("NOT_PEM", "EMPTY");
  }

  // --- Missing line breaks ----------------------------------------------------------------------------------

  @Test
  void endLineRunningIntoTheNextBeginLineIsReportedAndBothBlocksAreChecked() {
    TestPki.Issued expired = PKI.certificate("CN=Expired CA")
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(30))).selfSigned();
    String withoutFinalNewline = chain.get(0).pem().stripTrailing();

    ValidationReport report = validate(withoutFinalNewline + expired.pem() + chain.get(1).pem());

    assertThat(report.certificateCount()).isEqualTo(3);
    assertThat(findings(report)).containsExactly("PARSE_ERROR", "EXPIRED@1");
    Finding joined = only(report, FindingCode.PARSE_ERROR);
    assertThat(joined.certificate()).isNull();
    assertThat(joined.message())
        .startsWith("PEM block 0 ends on the line where PEM block 1 begins (-----END CERTIFICATE----------BEGIN"
            + " CERTIFICATE-----): a line break is missing between the END line and the next BEGIN line")
        .contains("add a newline at the end of each file before concatenating")
        .doesNotContain("ends with an END line for");
    assertThat(report.valid(true)).isFalse();
  }

  @Test
  void pemOnOneLineWithLiteralBackslashNIsReportedAsMissingLineBreaks() {
    String oneLine = chain.get(0).pem().replace("\n", "\\n") + "\n";

    ValidationReport report = validate(oneLine);

    assertThat(findings(report)).containsExactly("PARSE_ERROR");
    assertThat(only(report, FindingCode.PARSE_ERROR).message())
        .startsWith("PEM block 0 (CERTIFICATE) is all on one line: its line breaks are missing, replaced by literal"
            + " \\n sequences")
        .contains("CloudFormation parameter")
        .contains("sed -i 's/\\\\n/\\n/g' FILE")
        .doesNotContain("unreadable label");
    assertThat(report.certificateCount()).isZero();
  }

  @Test
  void pemOnOneLineWithSpacesIsReportedAsMissingLineBreaks() {
    String oneLine = chain.get(0).pem().replace("\n", " ").strip() + "\n";

    ValidationReport report = validate(oneLine);

    assertThat(findings(report)).containsExactly("PARSE_ERROR");
    assertThat(only(report, FindingCode.PARSE_ERROR).message())
        .startsWith("PEM block 0 (CERTIFICATE) is all on one line: its line breaks are missing, removed or replaced by spaces")
        .contains("each on a line of its own")
        .doesNotContain("unreadable label");
  }

  @Test
  void aWholeBundleOnOneLineIsReportedBlockByBlock() {
    String oneLine = chainPem.replace("\n", "\\n");

    ValidationReport report = validate(oneLine);

    assertThat(report.findings()).extracting(Finding::message)
        .allSatisfy(message -> assertThat(message).contains("all on one line"))
        .satisfiesExactly(
            first -> assertThat(first).startsWith("PEM block 0 "),
            second -> assertThat(second).startsWith("PEM block 1 "));
  }

  @Test
  void aPrivateKeyOnOneLineIsStillNamedAsAPrivateKey() {
    String oneLine = chain.get(0).privateKeyPem().replace("\n", "\\n");

    assertThat(only(validate(oneLine), FindingCode.NOT_PEM).message())
        .startsWith("PEM block 0 is a \"PRIVATE KEY\" block, not a CERTIFICATE").contains("exposed");
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
