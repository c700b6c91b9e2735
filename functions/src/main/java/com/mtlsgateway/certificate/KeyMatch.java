package com.mtlsgateway.certificate;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a private key is the other half of a certificate's public key. Messages hold no key material. */
public final class KeyMatch {

  private KeyMatch() {}

  /**
   * Why {@code key} is not the private half of {@code certificateKey}, or null when it is. RSA keys are compared by
   * modulus; other keys by a signature made with the key and verified with the certificate's. An EC key on a curve
   * no installed provider signs on (secp256k1, brainpoolP256r1 in the JDK since 16) is compared by the public point
   * and curve its encoding carries, as openssl and most tools write it; one that carries none cannot be compared and
   * is reported as not verifying.
   */
  public static String mismatch(PrivateKey key, PublicKey certificateKey) {
    if (key instanceof RSAKey rsa && certificateKey instanceof RSAKey certificateRsa) {
      return rsa.getModulus().equals(certificateRsa.getModulus()) ? null
          : "the RSA modulus differs: the key belongs to another certificate";
    }
    String keyAlgorithm = family(key.getAlgorithm());
    String certificateAlgorithm = family(certificateKey.getAlgorithm());
    if (!keyAlgorithm.equals(certificateAlgorithm)) {
      return "the key is " + keyAlgorithm + ", the certificate's key is " + certificateAlgorithm;
    }
    String signatureAlgorithm = switch (keyAlgorithm) {
      case "EC" -> "SHA256withECDSA";
      case "DSA" -> "SHA256withDSA";
      default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 name their own signature
    };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(signatureAlgorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(signatureAlgorithm);
      verifier.initVerify(certificateKey);
      verifier.update(challenge);
      return verifier.verify(signature) ? null : "a signature made with the key does not verify with the certificate";
    } catch (GeneralSecurityException e) {
      Optional<Boolean> same = keyAlgorithm.equals("EC") ? samePublicKey(key, certificateKey) : Optional.empty();
      if (same.isPresent()) {
        return same.get() ? null : "the key's public point or curve differs from the certificate's: the key belongs"
            + " to another certificate";
      }
      return "a signature made with the key does not verify with the certificate (" + e.getClass().getSimpleName()
          + ")";
    }
  }

  /**
   * Whether the public key an EC private key's encoding carries (SEC1 ECPrivateKey {@code [1] publicKey}) and its curve
   * (the PKCS#8 algorithm parameters) are the certificate's, compared as encoded; empty when it carries none or does
   * not decode.
   */
  private static Optional<Boolean> samePublicKey(PrivateKey key, PublicKey certificateKey) {
    try {
      Der.Reader info = new Der.Reader(key.getEncoded()).next(Der.SEQUENCE, "PrivateKeyInfo").children();
      info.next(Der.INTEGER, "version");
      byte[] curve = parameters(info.next(Der.SEQUENCE, "privateKeyAlgorithm"));
      Der.Reader sec1 = new Der.Reader(info.next(Der.OCTET_STRING, "privateKey").content())
          .next(Der.SEQUENCE, "ECPrivateKey").children();
      sec1.next(Der.INTEGER, "version");
      sec1.next(Der.OCTET_STRING, "privateKey");
      while (sec1.hasMore()) {
        Der.Element field = sec1.next();
        if (field.tag() == Der.CONTEXT_1) {
          byte[] point = field.children().next(Der.BIT_STRING, "publicKey").content();
          Der.Reader spki = new Der.Reader(certificateKey.getEncoded()).next(Der.SEQUENCE, "SubjectPublicKeyInfo")
              .children();
          byte[] certificateCurve = parameters(spki.next(Der.SEQUENCE, "algorithm"));
          byte[] certificatePoint = spki.next(Der.BIT_STRING, "subjectPublicKey").content();
          return Optional.of(Arrays.equals(curve, certificateCurve) && Arrays.equals(point, certificatePoint));
        }
      }
      return Optional.empty();
    } catch (Der.DerException e) {
      return Optional.empty();
    }
  }

  /** The encoded parameters of an AlgorithmIdentifier: for EC, the curve. */
  private static byte[] parameters(Der.Element algorithmIdentifier) throws Der.DerException {
    Der.Reader fields = algorithmIdentifier.children();
    fields.next(Der.OBJECT_IDENTIFIER, "algorithm");
    return fields.hasMore() ? fields.next().encoded() : new byte[0];
  }

  /** The key family of a JCA algorithm name: RSA (RSASSA-PSS too), EC (ECDSA too), EDDSA, DSA, ... */
  public static String family(String algorithm) {
    String upper = algorithm.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "RSASSA-PSS" -> "RSA";
      case "ECDSA" -> "EC";
      case "ED25519", "ED448" -> "EDDSA";
      default -> upper;
    };
  }
}
