package com.mtlsgateway.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** The DER wrapper that turns PKCS#1 and SEC1 keys into PKCS#8, checked against the JDK's and BouncyCastle's. */
class PemPrivateKeyTest {

  private static byte[] pem(String label, byte[] der) {
    return TestPki.pem(label, der).getBytes(StandardCharsets.US_ASCII);
  }

  /** The inner key of a PKCS#8 encoding: PKCS#1 for RSA, SEC1 for EC. */
  private static byte[] inner(PrivateKey key) {
    return PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKey().getOctets();
  }

  @Test
  void aPkcs1KeyBecomesExactlyThePkcs8TheJdkWrites() throws Exception {
    KeyPair pair = TestPki.sharedKey(TestPki.KeySpec.RSA_2048);

    PrivateKey read = PemPrivateKey.read(pem("RSA PRIVATE KEY", inner(pair.getPrivate())), "k.pem", pair.getPublic());

    assertThat(read.getAlgorithm()).isEqualTo("RSA");
    assertThat(read.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void aSec1KeyTakesTheCurveNamedInsideIt() throws Exception {
    // BouncyCastle writes the [0] parameters (and the [1] public key) into the inner ECPrivateKey, as openssl does.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair pair = generator.generateKeyPair();

    // No certificate key to fall back on: the curve can only come from the key.
    PrivateKey read = PemPrivateKey.read(pem("EC PRIVATE KEY", inner(pair.getPrivate())), "k.pem", null);

    assertThat(read).isInstanceOf(ECPrivateKey.class);
    assertThat(((ECPrivateKey) read).getParams().getOrder().bitLength()).isEqualTo(384);
    assertThat(((ECPrivateKey) read).getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
  }

  @Test
  void aSec1KeyWithoutACurveAndNoEcCertificateIsRefused() {
    byte[] sec1 = inner(TestPki.KeySpec.EC_P256.generate().getPrivate()); // the JDK leaves the curve out
    KeyPair rsa = TestPki.sharedKey(TestPki.KeySpec.RSA_2048);

    assertThatThrownBy(() -> PemPrivateKey.read(pem("EC PRIVATE KEY", sec1), "k.pem", rsa.getPublic()))
        .isInstanceOf(PemPrivateKey.KeyFileException.class)
        .hasMessageContaining("names no curve");
  }

  @Test
  void otherKeyFormatsAreRefusedWithAConversionHint() {
    assertThatThrownBy(() -> PemPrivateKey.read(pem("OPENSSH PRIVATE KEY", new byte[] {1, 2, 3}), "id", null))
        .hasMessage("id holds an OPENSSH PRIVATE KEY, which mtls does not read; convert it to PKCS#8 with"
            + " `openssl pkey -in id -out key.pem`");
    assertThatThrownBy(() -> PemPrivateKey.read("not pem".getBytes(StandardCharsets.US_ASCII), "k.der", null))
        .hasMessageContaining("holds no PEM block");
  }

  @Test
  void derElementsAndObjectIdentifiers() throws Exception {
    assertThat(Der.element(Der.NULL)).isEqualTo(new byte[] {0x05, 0x00});
    assertThat(Der.element(Der.OCTET_STRING, new byte[200])).startsWith(0x04, 0x81, 0xc8);
    assertThat(Der.element(Der.OCTET_STRING, new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2c);
    assertThat(Der.oid(HexFormat.of().parseHex("2a8648ce3d0201"))).isEqualTo("1.2.840.10045.2.1");
    assertThat(Der.oid(HexFormat.of().parseHex("2b81040022"))).isEqualTo("1.3.132.0.34");
  }
}
