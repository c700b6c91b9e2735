package com.mtlsgateway.crypto;

import com.mtlsgateway.text.Articles;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Map;
import java.util.Set;

/**
 * Whether a public key verifies a certificate's or a CRL's signature, with the same verdict and the same words whichever
 * security provider does the arithmetic (the JDK's or ACCP, see {@link CryptoProviders}).
 *
 * <p>Providers differ in two ways that must not reach a finding: the text of their exceptions, and the EC curves
 * they support (JDK 17's SunEC verifies only P-256, P-384 and P-521; ACCP also secp256k1 and P-224). So the reason
 * for a failure is this class's own, and EC signatures are verified only with keys on the NIST curves P-256, P-384
 * and P-521 (FIPS 186-4), the ones every provider has; another curve is a failure, not a guess.
 */
public final class CertificateSignatures {

  /** Orders of the NIST prime curves that every provider verifies (FIPS 186-4, appendix D.1.2). */
  private static final Set<BigInteger> NIST_ORDERS =
      Set.of(order("secp256r1"), order("secp384r1"), order("secp521r1"));

  /** The key type a signature algorithm needs, by the signature's OID (RFC 3279, 4055, 5758, 8410; NIST CSOR). */
  private static final Map<String, String> KEY_TYPE_BY_SIGNATURE_OID = Map.ofEntries(
      Map.entry("1.2.840.113549.1.1.2", "RSA"), Map.entry("1.2.840.113549.1.1.3", "RSA"),
      Map.entry("1.2.840.113549.1.1.4", "RSA"), Map.entry("1.2.840.113549.1.1.5", "RSA"),
      Map.entry("1.2.840.113549.1.1.10", "RSA"), Map.entry("1.2.840.113549.1.1.11", "RSA"),
      Map.entry("1.2.840.113549.1.1.12", "RSA"), Map.entry("1.2.840.113549.1.1.13", "RSA"),
      Map.entry("1.2.840.113549.1.1.14", "RSA"), Map.entry("1.2.840.113549.1.1.15", "RSA"),
      Map.entry("1.2.840.113549.1.1.16", "RSA"), Map.entry("1.3.14.3.2.29", "RSA"),
      Map.entry("1.2.840.10045.4.1", "EC"), Map.entry("1.2.840.10045.4.3.1", "EC"),
      Map.entry("1.2.840.10045.4.3.2", "EC"), Map.entry("1.2.840.10045.4.3.3", "EC"),
      Map.entry("1.2.840.10045.4.3.4", "EC"),
      Map.entry("1.2.840.10040.4.3", "DSA"), Map.entry("2.16.840.1.101.3.4.3.1", "DSA"),
      Map.entry("2.16.840.1.101.3.4.3.2", "DSA"),
      Map.entry("2.16.840.1.101.3.4.3.9", "EC"), Map.entry("2.16.840.1.101.3.4.3.10", "EC"),
      Map.entry("2.16.840.1.101.3.4.3.11", "EC"), Map.entry("2.16.840.1.101.3.4.3.12", "EC"),
      Map.entry("2.16.840.1.101.3.4.3.13", "RSA"), Map.entry("2.16.840.1.101.3.4.3.14", "RSA"),
      Map.entry("2.16.840.1.101.3.4.3.15", "RSA"), Map.entry("2.16.840.1.101.3.4.3.16", "RSA"),
      Map.entry("1.3.101.112", "EdDSA"), Map.entry("1.3.101.113", "EdDSA"));

  /** The failure for a key on an EC curve other than the NIST ones: its signatures are not checked at all. */
  public static final String OTHER_CURVE = "that key is on an EC curve other than P-256, P-384 and P-521, the only"
      + " ones whose signatures are verified here";

  private CertificateSignatures() {}

  /**
   * Checks the signature of {@code certificate} with {@code key}.
   *
   * @return null when the key verifies the signature; otherwise why not, as a sentence fragment such as "the
   *     signature does not match that key" (never a provider's own message)
   */
  public static String failure(X509Certificate certificate, PublicKey key) {
    return failure(certificate.getSigAlgOID(), certificate.getSigAlgName(), key, certificate::verify);
  }

  /** Checks the signature of {@code crl} with {@code key}; the result as for a certificate. */
  public static String failure(X509CRL crl, PublicKey key) {
    return failure(crl.getSigAlgOID(), crl.getSigAlgName(), key, crl::verify);
  }

  /** {@code X509Certificate::verify} or {@code X509CRL::verify}. */
  private interface Verification {
    void verify(PublicKey key) throws GeneralSecurityException;
  }

  private static String failure(String sigAlgOid, String sigAlgName, PublicKey key, Verification verification) {
    String needed = KEY_TYPE_BY_SIGNATURE_OID.get(sigAlgOid);
    String keyType = keyType(key);
    if (needed != null && !needed.equals(keyType)) {
      return "it is signed with " + sigAlgName + ", which needs " + Articles.withIndefinite(needed)
          + " key, and that key is " + keyType;
    }
    if (key instanceof ECKey ec && !NIST_ORDERS.contains(ec.getParams().getOrder())) {
      return OTHER_CURVE;
    }
    try {
      verification.verify(key);
      return null;
    } catch (NoSuchAlgorithmException e) {
      return "its signature algorithm " + sigAlgName + " (OID " + sigAlgOid + ")" + " cannot be verified here";
    } catch (SignatureException e) {
      return "the signature does not match that key";
    } catch (GeneralSecurityException | RuntimeException e) {
      // Malformed keys or parameters: providers report them with various exceptions (some unchecked).
      return "that key cannot verify " + sigAlgName + " signatures (its parameters are not usable)";
    }
  }

  /** The key's family as signatures name it: RSA (also RSASSA-PSS keys), EC, DSA, EdDSA, or the JCA name. */
  private static String keyType(PublicKey key) {
    String algorithm = key.getAlgorithm();
    return switch (algorithm) {
      case "RSA", "RSASSA-PSS" -> "RSA";
      case "EC", "ECDSA" -> "EC";
      case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
      default -> algorithm;
    };
  }

  private static BigInteger order(String curve) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve));
      return parameters.getParameterSpec(ECParameterSpec.class).getOrder();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform knows the NIST curve " + curve, e);
    }
  }

}
