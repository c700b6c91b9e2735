package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FindingsReasonTest {

  private static final String SHA = "0".repeat(64);

  private static Finding finding(FindingCode code, int index, String subject, String message) {
    return new Finding(code, code.severity(), new CertificateRef(index, subject, SHA), message);
  }

  private static ValidationReport report(List<Finding> findings) {
    return new ValidationReport(3, SHA, Optional.empty(), findings);
  }

  @Test
  void listsBlockingFindingsWithCodeIndexAndSubject() {
    ValidationReport report = report(List.of(
        new Finding(FindingCode.SUBJECT_CONFLICT, Severity.ERROR, null, "Two CAs named CN=A have different issuers."),
        finding(FindingCode.EXPIRED, 1, "CN=Old Root,O=Example", "Expired on 2020-01-01T00:00:00Z: remove it."),
        finding(FindingCode.EXPIRES_SOON, 2, "CN=Soon", "Expires in 3 days.")));

    assertThat(FindingsReason.of("SourceUri s3://b/k", report, false)).isEqualTo(
        "Truststore bundle from SourceUri s3://b/k is not valid (1 ERROR, 1 WARNING, 1 INFO): "
            + "SUBJECT_CONFLICT: Two CAs named CN=A have different issuers; "
            + "EXPIRED #1 CN=Old Root,O=Example: Expired on 2020-01-01T00:00:00Z: remove it");
  }

  @Test
  void acceptedWarningsAreNotListed() {
    ValidationReport report = report(List.of(
        new Finding(FindingCode.TOO_LARGE, Severity.ERROR, null, "Too large."),
        finding(FindingCode.DUPLICATE, 1, "CN=A", "Duplicate.")));

    assertThat(FindingsReason.of("Pem (inline)", report, true))
        .isEqualTo("Truststore bundle from Pem (inline) is not valid (1 ERROR, 1 WARNING): TOO_LARGE: Too large");
  }

  @Test
  void onlyWarningsSaysHowToAcceptThem() {
    ValidationReport report = report(List.of(finding(FindingCode.NOT_CA, 0, "CN=Leaf", "Not a CA.")));

    assertThat(FindingsReason.of("Pem (inline)", report, false)).isEqualTo(
        "Truststore bundle from Pem (inline) is not valid (1 WARNING); fix the WARNING findings, or set "
            + "AcceptWarnings to \"true\" (the AcceptTruststoreWarnings parameter in this project's template.yaml)"
            + " to deploy it anyway (the clients they affect get 403): "
            + "NOT_CA #0 CN=Leaf: Not a CA");
  }

  @Test
  void manyFindingsFitTheBudgetAndSayHowManyMore() {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      findings.add(finding(FindingCode.EXPIRED, i, "CN=CA number " + i + ",O=Example Organisation,C=DE",
          "Expired on 2020-01-01T00:00:00Z: remove it from the bundle or replace it with its renewed certificate."));
    }

    String reason = FindingsReason.of("SourceUri s3://b/k", report(findings), false);

    assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FindingsReason.MAX_BYTES);
    assertThat(reason).startsWith("Truststore bundle from SourceUri s3://b/k is not valid (1000 WARNING)");
    assertThat(reason).contains("EXPIRED #0 CN=CA number 0,").contains("EXPIRED #1 CN=CA number 1,");
    int listed = reason.split("EXPIRED #").length - 1;
    assertThat(reason).endsWith("; ... and " + (1000 - listed) + " more (the function's log has the full list)");
  }

  @Test
  void longMessagesAndSubjectsAreAbbreviated() {
    ValidationReport report = report(List.of(finding(FindingCode.WEAK_KEY, 0, "CN=" + "x".repeat(500),
        "m".repeat(1000))));

    String reason = FindingsReason.of("Pem (inline)", report, false);

    assertThat(reason).contains("CN=" + "x".repeat(114) + "...: ").endsWith("m".repeat(397) + "...");
  }

  @Test
  void neverSplitsASurrogatePair() {
    String subject = "CN=" + "x".repeat(113) + "\uD83D\uDE00" + "y".repeat(10);

    String text = FindingsReason.describe(finding(FindingCode.NOT_CA, 0, subject, "m"));

    assertThat(text).contains("CN=" + "x".repeat(113) + "...");
    assertThat(text).doesNotContain("\uD83D...");
  }
}
