package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RevocationCheckTest {

  @Test
  void closedAllowsOnlyACheckedOrUncheckableByConfigurationClient() {
    assertThat(Arrays.stream(RevocationCheck.values()).filter(c -> c.allows(false)))
        .containsExactly(RevocationCheck.NOT_REVOKED, RevocationCheck.CA_WITHOUT_CRL);
  }

  @Test
  void openAlsoAllowsWhatCouldNotBeChecked() {
    assertThat(Arrays.stream(RevocationCheck.values()).filter(c -> c.allows(true)))
        .containsExactly(RevocationCheck.NOT_REVOKED, RevocationCheck.CA_WITHOUT_CRL, RevocationCheck.CRL_STALE,
            RevocationCheck.NO_INDEX, RevocationCheck.UNKNOWN_ISSUER);
  }

  @Test
  void aRevokedOrMissingCertificateIsDeniedInEitherMode() {
    for (RevocationCheck check : new RevocationCheck[] {RevocationCheck.REVOKED,
        RevocationCheck.NO_CLIENT_CERTIFICATE, RevocationCheck.UNREADABLE_CLIENT_CERTIFICATE}) {
      assertThat(check.allows(false)).as(check.name()).isFalse();
      assertThat(check.allows(true)).as(check.name()).isFalse();
      assertThat(check.failsOpen()).as(check.name()).isFalse();
    }
  }

  @Test
  void failsOpenIsExactlyWhatOpenModeChanges() {
    for (RevocationCheck check : RevocationCheck.values()) {
      assertThat(check.failsOpen()).as(check.name()).isEqualTo(check.allows(true) != check.allows(false));
    }
  }

  @Test
  void codesAreStable() {
    assertThat(RevocationCheck.NOT_REVOKED.code()).isEqualTo("not-revoked");
    assertThat(RevocationCheck.CA_WITHOUT_CRL.code()).isEqualTo("ca-without-crl");
    assertThat(RevocationCheck.REVOKED.code()).isEqualTo("revoked");
    assertThat(RevocationCheck.CRL_STALE.code()).isEqualTo("crl-stale");
    assertThat(RevocationCheck.NO_INDEX.code()).isEqualTo("no-index");
    assertThat(RevocationCheck.UNKNOWN_ISSUER.code()).isEqualTo("unknown-issuer");
    assertThat(RevocationCheck.NO_CLIENT_CERTIFICATE.code()).isEqualTo("no-client-certificate");
    assertThat(RevocationCheck.UNREADABLE_CLIENT_CERTIFICATE.code()).isEqualTo("unreadable-client-certificate");
    assertThat(Arrays.stream(RevocationCheck.values()).map(RevocationCheck::code))
        .allMatch(code -> code.matches("[a-z]+(-[a-z]+)*"))
        .doesNotHaveDuplicates();
  }
}
