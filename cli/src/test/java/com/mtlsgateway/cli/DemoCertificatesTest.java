package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.crypto.KeyIdentifiers;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

/** The server material made for {@code invoke --prepare} passes the checks made before an import, and is X.509. */
class DemoCertificatesTest extends CommandTestSupport {

  private static final Instant NOW = Instant.now();

  @Test
  void theServerMaterialPassesTheImportChecksForItsDomain() throws Exception {
    DemoCertificates.ServerMaterial material =
        DemoCertificates.serverMaterial("api.example.com", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(9)));
    int status = run("certificate", "check", "--cert", file("server.pem", material.certificatePem()).toString(),
        "--chain", file("chain.pem", material.chainPem()).toString(),
        "--key", file("server.key", material.keyPem()).toString(), "--domain", "api.example.com");
    assertThat(status).as(stdout() + err.toString(StandardCharsets.UTF_8)).isZero();

    run("certificate", "check", "--cert", dir.resolve("server.pem").toString(), "--chain",
        dir.resolve("chain.pem").toString(), "--key", dir.resolve("server.key").toString(), "--domain",
        "www.api.example.com");
    assertThat(stdout()).doesNotContain("DOMAIN_NOT_COVERED");
    assertThat(material.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
  }

  @Test
  void eachCertificateIsSignedByTheNextAndCarriesTheExtensionsOfItsRole() throws Exception {
    DemoCertificates.ServerMaterial material =
        DemoCertificates.serverMaterial("api.example.com", NOW, NOW.plus(Duration.ofDays(10)));
    X509Certificate server = material.server().certificate();
    X509Certificate issuing = material.chain().get(0).certificate();
    X509Certificate root = material.chain().get(1).certificate();
    server.verify(issuing.getPublicKey());
    issuing.verify(root.getPublicKey());
    root.verify(root.getPublicKey());
    assertThat(server.getVersion()).isEqualTo(3);
    assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=api.example.com,O=mtls-gateway demo");
    assertThat(server.getIssuerX500Principal()).isEqualTo(issuing.getSubjectX500Principal());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(issuing.getBasicConstraints()).isZero();
    assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(server.getKeyUsage()).startsWith(true, false, true, false, false, false);
    assertThat(root.getKeyUsage()).startsWith(false, false, false, false, false, true, true);
    assertThat(server.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
    assertThat(server.getSubjectAlternativeNames().stream().map(name -> List.of(name.get(0), name.get(1))))
        .containsExactly(List.of(2, "api.example.com"), List.of(2, "www.api.example.com"));
    assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(server.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS));
    assertThat(root.getNotAfter().toInstant()).isAfter(server.getNotAfter().toInstant());
    assertThat(KeyIdentifiers.authority(server)).isEqualTo(KeyIdentifiers.subject(issuing)).isNotEmpty();
    assertThat(KeyIdentifiers.authority(issuing)).isEqualTo(KeyIdentifiers.subject(root)).isNotEmpty();
  }

  @Test
  void aRenewalHasTheSameKeyAndIssuerAndEndsLater() throws Exception {
    DemoCertificates.ServerMaterial material =
        DemoCertificates.serverMaterial("api.example.com", NOW, NOW.plus(Duration.ofDays(365)));
    DemoCertificates.ServerMaterial renewed =
        material.renewed("api.example.com", NOW, NOW.plus(Duration.ofDays(400)));
    X509Certificate first = material.server().certificate();
    X509Certificate second = renewed.server().certificate();
    assertThat(second.getPublicKey()).isEqualTo(first.getPublicKey());
    assertThat(second.getNotAfter()).isAfter(first.getNotAfter());
    assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    second.verify(material.chain().get(0).certificate().getPublicKey());
    assertThat(renewed.chainPem()).isEqualTo(material.chainPem());
    assertThat(List.of(first.getSerialNumber().signum(), second.getSerialNumber().signum())).containsOnly(1);
  }

  @Test
  void datesFrom2050AreWrittenAsGeneralizedTime() throws Exception {
    Instant late = Instant.parse("2051-06-01T12:00:00Z");
    DemoCertificates.ServerMaterial material = DemoCertificates.serverMaterial("api.example.com", NOW, late);
    assertThat(material.server().certificate().getNotAfter().toInstant()).isEqualTo(late);
  }
}
