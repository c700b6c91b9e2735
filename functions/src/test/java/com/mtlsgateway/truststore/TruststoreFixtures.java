package com.mtlsgateway.truststore;

import com.mtlsgateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The fixed clock, the certificate factory and compact views of reports shared by the validator tests. */
final class TruststoreFixtures {

  static final Instant NOW = Instant.parse("2030-01-15T10:00:00Z");
  static final TestPki PKI = TestPki.at(NOW);
  static final TruststoreValidator VALIDATOR = new TruststoreValidator(Clock.fixed(NOW, ZoneOffset.UTC));

  private TruststoreFixtures() {}

  static ValidationReport validate(String bundle) {
    return VALIDATOR.validate(bundle.getBytes(StandardCharsets.ISO_8859_1));
  }

  static ValidationReport validate(TestPki.Issued... certificates) {
    return validate(TestPki.bundle(certificates));
  }

  static ValidationReport validate(List<TestPki.Issued> certificates) {
    return validate(TestPki.bundle(certificates));
  }

  /**
   * Each finding as {@code CODE@index}, or just {@code CODE} when it names no certificate, in report order: exact
   * assertions on what fired and where, in one line.
   */
  static List<String> findings(ValidationReport report) {
    return report.findings().stream()
        .map(f -> f.certificate() == null ? f.code().name() : f.code() + "@" + f.certificate().index())
        .toList();
  }

  /** The only finding with this code; fails the test if there is not exactly one. */
  static Finding only(ValidationReport report, FindingCode code) {
    List<Finding> matching = report.findings().stream().filter(f -> f.code() == code).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected exactly one " + code + " in " + report.findings());
    }
    return matching.get(0);
  }
}
