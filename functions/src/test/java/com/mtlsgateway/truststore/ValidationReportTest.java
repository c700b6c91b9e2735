package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.NOW;
import static com.mtlsgateway.truststore.TruststoreFixtures.PKI;
import static com.mtlsgateway.truststore.TruststoreFixtures.findings;
import static com.mtlsgateway.truststore.TruststoreFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidationReportTest {

  private static final CertificateRef REF = new CertificateRef(0, "CN=x", "00".repeat(32));

  private static ValidationReport reportOf(FindingCode... codes) {
    List<Finding> findings = new ArrayList<>();
    for (FindingCode code : codes) {
      findings.add(Finding.of(code, REF, "m"));
    }
    return new ValidationReport(1, "ab", Optional.empty(), findings);
  }

  @Test
  void noFindingsIsValidEitherWay() {
    ValidationReport report = reportOf();

    assertThat(report.valid(false)).isTrue();
    assertThat(report.valid(true)).isTrue();
    assertThat(report.summary()).isEqualTo("no findings");
  }

  @Test
  void infoNeverMakesABundleInvalid() {
    assertThat(reportOf(FindingCode.EXPIRES_SOON).valid(false)).isTrue();
  }

  @Test
  void warningsMakeItInvalidUnlessAccepted() {
    ValidationReport report = reportOf(FindingCode.EXPIRES_SOON, FindingCode.DUPLICATE);

    assertThat(report.valid(false)).isFalse();
    assertThat(report.valid(true)).isTrue();
  }

  @Test
  void anErrorMakesItInvalidEvenWithWarningsAccepted() {
    ValidationReport report = reportOf(FindingCode.TOO_LARGE);

    assertThat(report.valid(false)).isFalse();
    assertThat(report.valid(true)).isFalse();
  }

  @Test
  void validityFollowsTheFindingsSeverityNotTheCodesDefault() {
    Finding downgraded = new Finding(FindingCode.SUBJECT_CONFLICT, Severity.WARNING, REF, "m");
    ValidationReport report = new ValidationReport(1, "ab", Optional.empty(), List.of(downgraded));

    assertThat(report.valid(true)).isTrue();
    assertThat(report.summary()).isEqualTo("1 WARNING: SUBJECT_CONFLICT x1");
  }

  @Test
  void summaryGroupsBySeverityThenCodeInDeclarationOrder() {
    ValidationReport report = reportOf(FindingCode.EXPIRES_SOON, FindingCode.DUPLICATE, FindingCode.EXPIRED,
        FindingCode.DUPLICATE, FindingCode.SUBJECT_CONFLICT);

    assertThat(report.summary())
        .isEqualTo("1 ERROR: SUBJECT_CONFLICT x1; 3 WARNING: EXPIRED x1, DUPLICATE x2; 1 INFO: EXPIRES_SOON x1");
  }

  @Test
  void findingsAreACopyThatCannotBeChanged() {
    List<Finding> findings = new ArrayList<>(List.of(Finding.of(FindingCode.EXPIRED, REF, "m")));
    ValidationReport report = new ValidationReport(1, "ab", Optional.empty(), findings);
    findings.clear();

    assertThat(report.findings()).hasSize(1);
    assertThatThrownBy(() -> report.findings().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyCodeHasItsDocumentedDefaultSeverity() {
    assertThat(List.of(FindingCode.values()))
        .filteredOn(code -> code.severity() == Severity.ERROR)
        .containsExactly(FindingCode.NOT_PEM, FindingCode.EMPTY, FindingCode.PARSE_ERROR,
            FindingCode.TOO_MANY_CERTIFICATES, FindingCode.TOO_LARGE, FindingCode.SUBJECT_CONFLICT);
    assertThat(List.of(FindingCode.values()))
        .filteredOn(code -> code.severity() == Severity.INFO)
        .containsExactly(FindingCode.EXPIRES_SOON);
  }

  @Test
  void validatorReportsCountHashExpiryAndOrdersBySeverityThenIndex() throws Exception {
    TestPki.Issued root = PKI.certificate("CN=Order Root").selfSigned();
    TestPki.Issued soon = PKI.certificate("CN=Soon CA")
        .validity(NOW.minus(Duration.ofDays(100)), NOW.plus(Duration.ofDays(5))).issuedBy(root);
    TestPki.Issued client = PKI.certificate("CN=client").ca(false).issuedBy(root);
    String bundle = TestPki.bundle(soon, client, root, client)
        + "-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n";

    ValidationReport report = validate(bundle);

    assertThat(findings(report)).containsExactly("PARSE_ERROR", "NOT_CA@1", "DUPLICATE@3", "EXPIRES_SOON@0");
    assertThat(report.certificateCount()).isEqualTo(4);
    assertThat(report.earliestExpiry()).contains(NOW.plus(Duration.ofDays(5)));
    assertThat(report.sha256()).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(bundle.getBytes(StandardCharsets.US_ASCII))));
    assertThat(report.findings().get(1).certificate())
        .isEqualTo(new CertificateRef(1, "CN=client", HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(client.der()))));
  }
}
