package com.mtlsgateway.truststore;

import static java.util.Map.entry;

import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import java.util.Set;

/**
 * API Gateway's algorithm bar (Amazon API Gateway Developer Guide, rest-api-mutual-tls.html): signatures with
 * SHA-256 or stronger, keys RSA 2048+ or ECDSA 256+.
 */
public final class Algorithms {

  public static final int MIN_RSA_BITS = 2048;
  public static final int MIN_EC_BITS = 256;

  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

  /** Signature algorithm OID to the hash it uses (RFC 3279, 4055, 5758, 8410; NIST CSOR for SHA-3). */
  private static final Map<String, String> HASH_BY_SIGNATURE_OID = Map.ofEntries(
      entry("1.2.840.113549.1.1.2", "MD2"),
      entry("1.2.840.113549.1.1.3", "MD4"),
      entry("1.2.840.113549.1.1.4", "MD5"),
      entry("1.2.840.113549.1.1.5", "SHA-1"),
      entry("1.3.14.3.2.29", "SHA-1"),
      entry("1.2.840.113549.1.1.14", "SHA-224"),
      entry("1.2.840.113549.1.1.11", "SHA-256"),
      entry("1.2.840.113549.1.1.12", "SHA-384"),
      entry("1.2.840.113549.1.1.13", "SHA-512"),
      entry("1.2.840.113549.1.1.15", "SHA-512/224"),
      entry("1.2.840.113549.1.1.16", "SHA-512/256"),
      entry("1.2.840.10045.4.1", "SHA-1"),
      entry("1.2.840.10045.4.3.1", "SHA-224"),
      entry("1.2.840.10045.4.3.2", "SHA-256"),
      entry("1.2.840.10045.4.3.3", "SHA-384"),
      entry("1.2.840.10045.4.3.4", "SHA-512"),
      entry("1.2.840.10040.4.3", "SHA-1"),
      entry("2.16.840.1.101.3.4.3.1", "SHA-224"),
      entry("2.16.840.1.101.3.4.3.2", "SHA-256"),
      entry("2.16.840.1.101.3.4.3.3", "SHA-384"),
      entry("2.16.840.1.101.3.4.3.4", "SHA-512"),
      entry("2.16.840.1.101.3.4.3.5", "SHA3-224"),
      entry("2.16.840.1.101.3.4.3.6", "SHA3-256"),
      entry("2.16.840.1.101.3.4.3.7", "SHA3-384"),
      entry("2.16.840.1.101.3.4.3.8", "SHA3-512"),
      entry("2.16.840.1.101.3.4.3.9", "SHA3-224"),
      entry("2.16.840.1.101.3.4.3.10", "SHA3-256"),
      entry("2.16.840.1.101.3.4.3.11", "SHA3-384"),
      entry("2.16.840.1.101.3.4.3.12", "SHA3-512"),
      entry("2.16.840.1.101.3.4.3.13", "SHA3-224"),
      entry("2.16.840.1.101.3.4.3.14", "SHA3-256"),
      entry("2.16.840.1.101.3.4.3.15", "SHA3-384"),
      entry("2.16.840.1.101.3.4.3.16", "SHA3-512"),
      entry("1.3.101.112", "SHA-512"), // Ed25519
      entry("1.3.101.113", "SHAKE256")); // Ed448

  private static final Set<String> WEAK_HASHES =
      Set.of("MD2", "MD4", "MD5", "SHA-1", "SHA-224", "SHA-512/224", "SHA3-224");

  private Algorithms() {}

  /**
   * Why the certificate's signature is below SHA-256 strength, as a sentence fragment such as {@code "SHA1withRSA
   * (SHA-1 is weaker than SHA-256)"}, or null when it is SHA-256 or stronger.
   */
  public static String weakSignature(X509Certificate certificate) {
    String oid = certificate.getSigAlgOID();
    String hash = RSASSA_PSS.equals(oid) ? pssHash(certificate.getSigAlgParams()) : HASH_BY_SIGNATURE_OID.get(oid);
    String name = certificate.getSigAlgName();
    if (hash == null) {
      return name + " (OID " + oid + "), an algorithm this validator does not recognise";
    }
    return WEAK_HASHES.contains(hash) ? name + " (" + hash + " is weaker than SHA-256)" : null;
  }

  /**
   * Why API Gateway would not accept the key, as a sentence fragment such as {@code "an RSA key of 1024 bits"}, or
   * null when it is RSA of 2048 bits or more or EC of 256 bits or more.
   */
  public static String weakKey(PublicKey key) {
    if (key instanceof RSAKey rsa) {
      int bits = rsa.getModulus().bitLength();
      return bits < MIN_RSA_BITS ? "an RSA key of " + bits + " bits" : null;
    }
    if (key instanceof ECKey ec) {
      int bits = ec.getParams().getOrder().bitLength();
      return bits < MIN_EC_BITS ? "an EC key of " + bits + " bits" : null;
    }
    if (key instanceof DSAKey) {
      return "a DSA key";
    }
    // Ed25519, or an EC key on a curve the JDK cannot read (it then parses as a generic key).
    return "a key of type " + key.getAlgorithm();
  }

  /** The hash of an RSASSA-PSS signature; absent parameters mean SHA-1 (RFC 4055 section 3.1). */
  private static String pssHash(byte[] params) {
    if (params == null) {
      return "SHA-1";
    }
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
      parameters.init(params);
      return parameters.getParameterSpec(PSSParameterSpec.class).getDigestAlgorithm();
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return null; // unreadable parameters (a parser may say so with a runtime exception): an unrecognised algorithm
    }
  }
}
