package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TruststoreExpiryTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final TestPki PKI = TestPki.at(NOW);

  private static TestPki.Issued ca(String subject, Duration left) {
    return PKI.certificate(subject).validity(NOW.minus(Duration.ofDays(100)), NOW.plus(left)).selfSigned();
  }

  @Test
  void theCertificateThatExpiresFirstWhereverItIsInTheBundle() {
    TestPki.Issued late = ca("CN=Late CA", Duration.ofDays(3650));
    TestPki.Issued early = ca("CN=Early CA", Duration.ofDays(20).plusHours(12));
    TestPki.Issued middle = ca("CN=Middle CA", Duration.ofDays(400));

    TruststoreExpiry expiry = TruststoreExpiry.of(
        List.of(late.certificate(), early.certificate(), middle.certificate()), NOW);

    assertThat(expiry).isEqualTo(new TruststoreExpiry("CN=Early CA", NOW.plus(Duration.ofDays(20).plusHours(12)),
        20.5, 3));
  }

  @Test
  void anExpiredCertificateGivesNegativeDays() {
    TestPki.Issued expired = TestPki.at(NOW.minus(Duration.ofDays(400))).certificate("CN=Expired CA")
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofHours(78))).selfSigned();

    TruststoreExpiry expiry = TruststoreExpiry.of(List.of(ca("CN=Valid CA", Duration.ofDays(30)).certificate(),
        expired.certificate()), NOW);

    assertThat(expiry.subject()).isEqualTo("CN=Expired CA");
    assertThat(expiry.daysLeft()).isEqualTo(-3.25);
  }

  @Test
  void noCertificateHasNoExpiry() {
    assertThatThrownBy(() -> TruststoreExpiry.of(List.of(), NOW)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a truststore without certificates has no expiry");
  }
}
