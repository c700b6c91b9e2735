package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.testing.TestCrl;
import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientCertificateTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final TestPki pki = TestPki.at(NOW);

  /** The fields as the JDK's full X.509 parse gives them. */
  private static void assertSameAsJdk(byte[] der) throws Exception {
    X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
    ClientCertificate client = ClientCertificate.fromDer(der);

    assertThat(client.serial()).isEqualTo(jdk.getSerialNumber().toByteArray());
    assertThat(new BigInteger(client.serial())).isEqualTo(jdk.getSerialNumber());
    assertThat(client.serialHex()).isEqualTo(jdk.getSerialNumber().toString(16));
    assertThat(client.issuer()).isEqualTo(jdk.getIssuerX500Principal().getEncoded());
    assertThat(client.issuerName()).isEqualTo(jdk.getIssuerX500Principal().getName());
    assertThat(client.subjectName()).isEqualTo(jdk.getSubjectX500Principal().getName());
    assertThat(client.authorityKeyId()).isEqualTo(authorityKeyId(jdk));
  }

  private static byte[] authorityKeyId(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue("2.5.29.35");
    ASN1OctetString keyId = extension == null ? null : AuthorityKeyIdentifier.getInstance(
        ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifierObject();
    return keyId == null ? null : keyId.getOctets();
  }

  @Test
  void fieldsMatchTheJdkParseForManyCertificates() throws Exception {
    Random random = new Random(11);
    List<Issued> cas = List.of(pki.certificate("CN=EC CA,O=Example").selfSigned(),
        pki.certificate("CN=RSA CA,O=Example,C=DE").key(KeySpec.RSA_2048).selfSigned(),
        pki.certificate("CN=P-384 CA").key(KeySpec.EC_P384).selfSigned(),
        pki.certificate("CN=Old Root").withoutKeyIdentifiers().selfSigned(),
        pki.certificate("CN=V1 Root").version1().selfSigned());
    List<byte[]> certificates = new ArrayList<>();
    for (Issued ca : cas) {
      certificates.add(ca.der());
      certificates.add(pki.certificate("CN=client of " + ca.subject()).ca(false).issuedBy(ca).der());
      certificates.add(pki.certificate("CN=rsa client").ca(false).key(TestPki.sharedKey(KeySpec.RSA_2048))
          .issuedBy(ca).der());
      certificates.add(pki.certificate("CN=plain client").version1().issuedBy(ca).der());
      certificates.add(pki.certificate("CN=no ids").withoutKeyIdentifiers().dnsNames("a.example.com")
          .issuedBy(ca).der());
      for (int bits : new int[] {1, 7, 8, 9, 63, 64, 127, 128, 159, 160}) {
        BigInteger serial = new BigInteger(bits, random).setBit(bits - 1);
        certificates.add(TestCrl.client(ca, NOW, serial).der());
        certificates.add(TestCrl.client(ca, NOW, serial).withoutAuthorityKeyIdentifier().der());
      }
      certificates.add(TestCrl.client(ca, NOW, BigInteger.valueOf(3)).version1().der());
      certificates.add(TestCrl.client(ca, NOW, BigInteger.valueOf(4)).criticalAuthorityKeyIdentifier().der());
      certificates.add(TestCrl.client(ca, NOW, BigInteger.ZERO).der());
      certificates.add(TestCrl.client(ca, NOW, BigInteger.valueOf(-1)).der());
      certificates.add(TestCrl.client(ca, NOW, BigInteger.valueOf(-200)).der());
    }

    assertThat(certificates).hasSizeGreaterThan(100);
    for (byte[] der : certificates) {
      assertSameAsJdk(der);
    }
  }

  @Test
  void theSerialsSignByteIsKept() {
    ClientCertificate highBit = ClientCertificate.fromDer(TestCrl.client(pki.certificate("CN=CA").selfSigned(), NOW,
        BigInteger.valueOf(0x80)).der());

    assertThat(highBit.serial()).containsExactly(0x00, 0x80);
    assertThat(highBit.serialHex()).isEqualTo("80");
  }

  @Test
  void aCertificateWithoutAuthorityKeyIdentifierHasNone() {
    Issued ca = pki.certificate("CN=CA").selfSigned();

    assertThat(ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.TEN).withoutAuthorityKeyIdentifier()
        .der()).authorityKeyId()).isNull();
    assertThat(ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.TEN).version1().der()).authorityKeyId())
        .isNull();
    assertThat(ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.TEN).der()).authorityKeyId())
        .isEqualTo(CrlChecker.keyId(ca.certificate()));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void aNonMinimalSerialReadsAsTheSameNumber(int extra) throws Exception {
    Issued ca = pki.certificate("CN=CA").key(KeySpec.RSA_2048).selfSigned();
    for (BigInteger serial : List.of(BigInteger.valueOf(0x1234), BigInteger.valueOf(0x80), BigInteger.valueOf(-3),
        BigInteger.ONE.shiftLeft(100))) {
      byte[] der = TestCrl.client(ca, NOW, serial).nonMinimalSerial(extra).der();
      // The serial's INTEGER really is longer than needed.
      assertThat(der.length).isEqualTo(TestCrl.client(ca, NOW, serial).der().length + extra);

      ClientCertificate client = ClientCertificate.fromDer(der);

      assertThat(client.serial()).as("serial %s", serial).isEqualTo(serial.toByteArray());
      X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      assertThat(jdk.getSerialNumber()).isEqualTo(serial);
      jdk.verify(ca.certificate().getPublicKey());
    }
  }

  @Test
  void normalizedSerialDropsOnlyRedundantBytes() {
    assertThat(ClientCertificate.normalizedSerial(new byte[] {0})).containsExactly(0);
    assertThat(ClientCertificate.normalizedSerial(new byte[] {0, 0})).containsExactly(0);
    assertThat(ClientCertificate.normalizedSerial(new byte[] {0, 0x7f})).containsExactly(0x7f);
    assertThat(ClientCertificate.normalizedSerial(new byte[] {0, (byte) 0x80})).containsExactly(0, 0x80);
    assertThat(ClientCertificate.normalizedSerial(new byte[] {0, 0, (byte) 0x80})).containsExactly(0, 0x80);
    assertThat(ClientCertificate.normalizedSerial(new byte[] {-1, -1})).containsExactly(-1);
    assertThat(ClientCertificate.normalizedSerial(new byte[] {-1, 0x7f})).containsExactly(-1, 0x7f);
    assertThat(ClientCertificate.normalizedSerial(new byte[] {-1, (byte) 0x80})).containsExactly(0x80);
    assertThatThrownBy(() -> ClientCertificate.normalizedSerial(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("its serialNumber is empty");
  }

  @Test
  void pemWithCrLfAndNoTrailingNewlineIsRead() {
    Issued ca = pki.certificate("CN=CA").selfSigned();
    byte[] der = TestCrl.client(ca, NOW, BigInteger.valueOf(77)).der();
    String crlf = TestPki.pem("CERTIFICATE", der).replace("\n", "\r\n").stripTrailing();

    ClientCertificate client = ClientCertificate.fromPem(crlf);

    assertThat(crlf).endsWith("-----END CERTIFICATE-----").contains("\r\n");
    assertThat(new BigInteger(client.serial())).isEqualTo(BigInteger.valueOf(77));
    assertThat(client.issuerName()).isEqualTo("CN=CA");
  }

  @Test
  void pemOnOneLineAndAmongOtherTextIsRead() {
    Issued ca = pki.certificate("CN=CA").selfSigned();
    Issued client = pki.certificate("CN=client").ca(false).issuedBy(ca);
    String oneLine = "-----BEGIN CERTIFICATE-----" + Base64.getEncoder().encodeToString(client.der())
        + "-----END CERTIFICATE-----";

    assertThat(ClientCertificate.fromPem(oneLine).subjectName()).isEqualTo("CN=client");
    assertThat(ClientCertificate.fromPem("subject=CN=client\n" + client.pem() + ca.pem()).subjectName())
        .isEqualTo("CN=client");
  }

  @Test
  void textWithoutACertificateBlockIsRefused() {
    Issued ca = pki.certificate("CN=CA").selfSigned();
    String pem = ca.pem();

    for (String text : List.of("", "hello", pem.substring(0, pem.indexOf("-----END")),
        pem.replace("CERTIFICATE", "X509 CRL"), "-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n")) {
      assertThatThrownBy(() -> ClientCertificate.fromPem(text)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("it holds no complete -----BEGIN CERTIFICATE----- block");
    }
  }

  @Test
  void invalidBase64IsRefused() {
    assertThatThrownBy(() -> ClientCertificate.fromPem("-----BEGIN CERTIFICATE-----\nMIIB=A\n"
        + "-----END CERTIFICATE-----\n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("its CERTIFICATE block is not valid base64");
  }

  @Test
  void malformedDerIsRefused() {
    Issued ca = pki.certificate("CN=CA").selfSigned();
    byte[] der = TestCrl.client(ca, NOW, BigInteger.valueOf(77)).der();

    assertThatThrownBy(() -> ClientCertificate.fromDer(new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it is not a DER X.509 certificate (malformed or truncated at byte 0)");
    assertThatThrownBy(() -> ClientCertificate.fromPem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it is not a DER X.509 certificate (malformed or truncated at byte 0)");
    assertThatThrownBy(() -> ClientCertificate.fromDer(new byte[] {0x04, 0x01, 0x00}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it is not a DER X.509 certificate (its X.509 structure has tag 0x04, not 0x30)");
    assertThatThrownBy(() -> ClientCertificate.fromDer(TestCrl.by(ca, NOW).der()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("it is not a DER X.509 certificate (");
    Random random = new Random(5);
    for (int cut = 1; cut < der.length; cut += 1 + random.nextInt(9)) {
      byte[] truncated = Arrays.copyOf(der, cut);
      assertThatThrownBy(() -> ClientCertificate.fromDer(truncated)).as("cut at %d", cut)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("it is not a DER X.509 certificate (");
    }
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[1 + random.nextInt(400)];
      random.nextBytes(garbage);
      garbage[0] = 0x30;
      try {
        ClientCertificate.fromDer(garbage);
      } catch (IllegalArgumentException expected) {
        assertThat(expected).hasMessageStartingWith("it is not a DER X.509 certificate (");
      }
    }
  }

  @Test
  void fieldsAreFreshCopies() {
    Issued ca = pki.certificate("CN=CA").selfSigned();
    ClientCertificate client = ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.TEN).der());

    client.serial()[0] = 99;
    client.issuer()[0] = 99;
    client.authorityKeyId()[0] = 99;

    assertThat(client.serial()).containsExactly(10);
    assertThat(client.issuer()[0]).isEqualTo((byte) 0x30);
    assertThat(client.authorityKeyId()).isEqualTo(CrlChecker.keyId(ca.certificate()));
    assertThat(client.toString()).isEqualTo("ClientCertificate[serial=0a]");
  }

  @Test
  void theBase64DecoderAgreesWithTheJdksForEveryLengthAndLayout() {
    Random random = new Random(9);
    for (int length = 0; length < 300; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      for (String encoded : List.of(Base64.getEncoder().encodeToString(bytes),
          Base64.getMimeEncoder().encodeToString(bytes),
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes),
          " " + Base64.getEncoder().withoutPadding().encodeToString(bytes) + "\t\n")) {
        assertThat(ClientCertificate.base64(encoded, 0, encoded.length())).as("%d bytes as %s", length, encoded)
            .isEqualTo(bytes);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "AB=C", "ABC==", "A===", "AB*D", "ABCD=", "ABÀD", "AB=\nCD"})
  void theBase64DecoderRefusesWhatIsNotBase64(String text) {
    assertThatThrownBy(() -> ClientCertificate.base64(text, 0, text.length()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("its CERTIFICATE block is not valid base64");
  }
}
