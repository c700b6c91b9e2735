package com.mtlsgateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateSignaturesTest {

  private final TestPki pki = TestPki.at(Instant.parse("2026-06-01T00:00:00Z"));

  @ParameterizedTest
  @ValueSource(strings = {"RSA-2048", "EC-secp256r1", "EC-secp384r1", "EC-secp521r1", "Ed25519", "DSA-2048"})
  void theIssuersKeyVerifiesItsOwnSignatures(String key) {
    Issued root = pki.certificate("CN=Root").key(spec(key)).selfSigned();
    Issued child = pki.certificate("CN=Child").issuedBy(root);

    assertThat(CertificateSignatures.failure(child.certificate(), root.certificate().getPublicKey())).isNull();
    assertThat(CertificateSignatures.failure(root.certificate(), root.certificate().getPublicKey())).isNull();
  }

  @Test
  void anotherKeyOfTheSameTypeDoesNotMatch() {
    Issued root = pki.certificate("CN=Root").key(KeySpec.EC_P256).selfSigned();
    Issued impostor = pki.certificate("CN=Root").key(KeySpec.EC_P256).selfSigned();
    Issued child = pki.certificate("CN=Child").issuedBy(root);

    assertThat(CertificateSignatures.failure(child.certificate(), impostor.certificate().getPublicKey()))
        .isEqualTo("the signature does not match that key");
  }

  @Test
  void aKeyOfAnotherTypeIsNamedWithTheAlgorithmItWouldNeed() {
    Issued ecRoot = pki.certificate("CN=Root").key(KeySpec.EC_P384).selfSigned();
    Issued rsaRoot = pki.certificate("CN=Root").key(KeySpec.RSA_2048).selfSigned();
    Issued child = pki.certificate("CN=Child").issuedBy(ecRoot);

    assertThat(CertificateSignatures.failure(child.certificate(), rsaRoot.certificate().getPublicKey()))
        .isEqualTo("it is signed with SHA384withECDSA, which needs an EC key, and that key is RSA");
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256k1", "brainpoolP256r1", "secp224r1"})
  void keysOnOtherCurvesAreNotTrustedToVerifyWhateverTheProvider(String curve) {
    // ACCP verifies secp256k1 and P-224 signatures, JDK 17 neither: the verdict must not depend on which is installed.
    Issued root = pki.certificate("CN=Root").key(KeySpec.ec(curve)).selfSigned();
    Issued child = pki.certificate("CN=Child").issuedBy(root);

    assertThat(CertificateSignatures.failure(child.certificate(), root.certificate().getPublicKey()))
        .isEqualTo(CertificateSignatures.OTHER_CURVE).contains("other than P-256, P-384 and P-521");
  }

  private static KeySpec spec(String key) {
    String[] parts = key.split("-");
    return switch (parts[0]) {
      case "RSA" -> KeySpec.rsa(Integer.parseInt(parts[1]));
      case "EC" -> KeySpec.ec(parts[1]);
      case "DSA" -> KeySpec.dsa(Integer.parseInt(parts[1]));
      default -> KeySpec.ED25519;
    };
  }
}
