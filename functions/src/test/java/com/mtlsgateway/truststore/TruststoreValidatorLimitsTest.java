package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.PKI;
import static com.mtlsgateway.truststore.TruststoreFixtures.VALIDATOR;
import static com.mtlsgateway.truststore.TruststoreFixtures.findings;
import static com.mtlsgateway.truststore.TruststoreFixtures.only;
import static com.mtlsgateway.truststore.TruststoreFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API Gateway's truststore quotas: 1,000 certificates and 1 MB (taken as 1,000,000 bytes). */
class TruststoreValidatorLimitsTest {

  /** 1,001 distinct self-signed EC P-256 roots sharing one key: small enough that 1,000 fit in 1 MB. */
  private static List<TestPki.Issued> roots;

  @BeforeAll
  static void makeRoots() {
    KeyPair shared = TestPki.sharedKey(TestPki.KeySpec.EC_P256);
    roots = new ArrayList<>();
    for (int i = 0; i <= TruststoreValidator.MAX_CERTIFICATES; i++) {
      roots.add(PKI.certificate("CN=Quota Root " + i + ",O=Limits").key(shared).selfSigned());
    }
  }

  @Test
  void thousandCertificatesAreAccepted() {
    ValidationReport report = validate(roots.subList(0, 1000));

    assertThat(report.findings()).isEmpty();
    assertThat(report.certificateCount()).isEqualTo(1000);
  }

  @Test
  void thousandAndOneCertificatesAreTooMany() {
    ValidationReport report = validate(roots);

    assertThat(findings(report)).containsExactly("TOO_MANY_CERTIFICATES");
    assertThat(only(report, FindingCode.TOO_MANY_CERTIFICATES).message())
        .startsWith("The bundle has 1001 certificates");
    assertThat(report.certificateCount()).isEqualTo(1001);
  }

  @Test
  void exactlyOneMillionBytesIsAccepted() {
    ValidationReport report = VALIDATOR.validate(padded(1_000_000));

    assertThat(report.findings()).isEmpty();
  }

  @Test
  void oneByteMoreIsTooLargeAndCommentsCount() {
    ValidationReport report = VALIDATOR.validate(padded(1_000_001));

    assertThat(findings(report)).containsExactly("TOO_LARGE");
    assertThat(only(report, FindingCode.TOO_LARGE).message())
        .startsWith("The bundle is 1000001 bytes")
        .contains("1,000,000 bytes")
        .contains("comment text");
    assertThat(report.certificateCount()).isEqualTo(1);
  }

  /** One certificate followed by comment lines, CRLF-terminated, to exactly {@code size} bytes. */
  private static byte[] padded(int size) {
    StringBuilder bundle = new StringBuilder(roots.get(0).pem().replace("\n", "\r\n"));
    String line = "# padding between blocks is ignored but counts toward the quota\r\n";
    while (bundle.length() + line.length() <= size) {
      bundle.append(line);
    }
    bundle.append("#".repeat(size - bundle.length()));
    byte[] bytes = bundle.toString().getBytes(StandardCharsets.US_ASCII);
    assertThat(bytes).hasSize(size);
    return bytes;
  }
}
