package com.mtlsgateway.certificate;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.util.Locale;

/** Whether a private key is the other half of a certificate's public key. Messages hold no key material. */
public final class KeyMatch {

  private KeyMatch() {}

  /** Why {@code key} is not the private half of {@code certificateKey}, or null when it is. */
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
      return "a signature made with the key does not verify with the certificate (" + e.getClass().getSimpleName()
          + ")";
    }
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
