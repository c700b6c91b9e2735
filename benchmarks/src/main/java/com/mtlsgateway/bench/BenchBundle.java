package com.mtlsgateway.bench;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's truststore: exactly 1,000 certificates (API Gateway's maximum), made of real CAs.
 *
 * <ul>
 *   <li>10 hierarchies of 99 CAs each: a root, 3 intermediates under it, 4 under each of those (12), and 83 issuing
 *       CAs spread over those 12, so 4 CAs from root down: the deepest API Gateway accepts. Keys are RSA-2048 and
 *       EC P-256 as {@link Signatures} says.
 *   <li>10 entries that trigger findings, one each of EXPIRED, EXPIRES_SOON, NOT_YET_VALID, WEAK_SIGNATURE (SHA1 with
 *       RSA), WEAK_KEY (RSA-1024), NOT_CA, CHAIN_INCOMPLETE, BAD_SIGNATURE, DUPLICATE and CHAIN_TOO_DEEP.
 * </ul>
 *
 * The bundle is about 0.94 MB (mixed) or 0.98 MB (rsa). 1,000 certificates with RSA-2048 keys and RSA signatures
 * hardly fit: at 1,000 to 1,100 PEM bytes each they reach API Gateway's 1 MB quota, so bundles that large hold EC
 * keys too.
 *
 * <p>Roots have their own keys; the CAs below them share one RSA and one EC key (key generation would otherwise
 * dominate the set-up, and sharing keys changes nothing for the validator, which finds issuers by name). Serial
 * numbers are random, so two calls give two different bundles of the same shape.
 */
public final class BenchBundle {

  /** Certificates in the bundle. */
  public static final int CERTIFICATES = 1000;

  /** Finding codes the bundle is built to trigger, each exactly once. */
  public static final List<String> EXPECTED_FINDINGS = List.of("EXPIRED", "EXPIRES_SOON", "NOT_YET_VALID",
      "WEAK_SIGNATURE", "WEAK_KEY", "NOT_CA", "CHAIN_INCOMPLETE", "BAD_SIGNATURE", "DUPLICATE", "CHAIN_TOO_DEEP");

  private static final int ROOTS = 10;
  private static final int SECOND_LEVEL = 3;
  private static final int THIRD_LEVEL_EACH = 4;
  private static final int ISSUING_PER_ROOT = 83;

  private BenchBundle() {}

  /** Which signatures the bundle's certificates carry: what the validation's cost depends on. */
  public enum Signatures {
    /** Subject keys alternate RSA-2048 and EC P-256, so about half the certificates are signed with ECDSA. */
    MIXED,
    /** The CAs that sign (roots and the two levels below) have RSA-2048 keys, the issuing CAs EC P-256 keys. */
    RSA
  }

  /** A new bundle whose validity windows are centred on {@code now}: PEM text, LF line ends. */
  public static byte[] generate(Instant now, Signatures signatures) {
    boolean mixed = signatures == Signatures.MIXED;
    TestPki pki = TestPki.at(now);
    List<Issued> out = new ArrayList<>(CERTIFICATES);
    List<Issued> policyCas = new ArrayList<>();
    List<Issued> deepest = new ArrayList<>();
    for (int r = 0; r < ROOTS; r++) {
      String org = ",O=Bench Org " + r;
      KeySpec rootKey = r % 2 == 0 || !mixed ? KeySpec.RSA_2048 : KeySpec.EC_P256;
      Issued root = pki.certificate("CN=Bench Root CA " + r + org).key(rootKey).selfSigned();
      out.add(root);
      List<Issued> second = new ArrayList<>();
      for (int a = 0; a < SECOND_LEVEL; a++) {
        second.add(pki.certificate("CN=Bench Intermediate CA " + r + "." + a + org)
            .key(key(signatures, out.size(), true)).issuedBy(root));
        out.add(second.get(a));
      }
      List<Issued> third = new ArrayList<>();
      for (int a = 0; a < SECOND_LEVEL; a++) {
        for (int b = 0; b < THIRD_LEVEL_EACH; b++) {
          Issued ca = pki.certificate("CN=Bench Policy CA " + r + "." + a + "." + b + org)
              .key(key(signatures, out.size(), true)).issuedBy(second.get(a));
          third.add(ca);
          policyCas.add(ca);
          out.add(ca);
        }
      }
      for (int c = 0; c < ISSUING_PER_ROOT; c++) {
        Issued ca = pki.certificate("CN=Bench Issuing CA " + r + "." + c + org).key(key(signatures, out.size(), false))
            .issuedBy(third.get(c % third.size()));
        out.add(ca);
        deepest.add(ca);
      }
    }
    // The findings' certificates hang under third-level CAs, so that only "Too Deep CA" is too deep.
    Issued anyIssuer = policyCas.get(policyCas.size() - 1);
    Issued rsaIssuer = policyCas.stream().filter(ca -> ca.keyPair().getPublic().getAlgorithm().equals("RSA"))
        .reduce((first, second) -> second).orElseThrow();
    Instant t = pki.now();
    String org = ",O=Bench Findings";
    out.add(pki.certificate("CN=Expired CA" + org).validity(t.minus(Duration.ofDays(400)), t.minus(Duration.ofDays(30)))
        .issuedBy(anyIssuer));
    out.add(pki.certificate("CN=Expiring CA" + org).validity(t.minus(Duration.ofDays(300)), t.plus(Duration.ofDays(10)))
        .issuedBy(anyIssuer));
    out.add(pki.certificate("CN=Future CA" + org).validity(t.plus(Duration.ofDays(10)), t.plus(Duration.ofDays(400)))
        .issuedBy(anyIssuer));
    out.add(pki.certificate("CN=SHA1 CA" + org).signatureAlgorithm("SHA1withRSA").issuedBy(rsaIssuer));
    out.add(pki.certificate("CN=Small Key CA" + org).key(TestPki.sharedKey(KeySpec.rsa(1024))).issuedBy(anyIssuer));
    out.add(pki.certificate("CN=client.example.com" + org).ca(false).issuedBy(anyIssuer));
    Issued missing = pki.certificate("CN=Missing Intermediate CA" + org).selfSigned();
    out.add(pki.certificate("CN=Orphan CA" + org).issuedBy(missing));
    out.add(pki.certificate("CN=Tampered CA" + org).signingKey(TestPki.sharedKey(KeySpec.EC_P384))
        .issuedBy(anyIssuer));
    out.add(out.get(500));
    out.add(pki.certificate("CN=Too Deep CA" + org).issuedBy(deepest.get(0)));
    if (out.size() != CERTIFICATES) {
      throw new IllegalStateException("bundle has " + out.size() + " certificates, expected " + CERTIFICATES);
    }
    return TestPki.bundle(out).getBytes(StandardCharsets.US_ASCII);
  }

  /** A shared key for the certificate at {@code index}; {@code signs}: it issues other certificates. */
  private static KeyPair key(Signatures signatures, int index, boolean signs) {
    boolean rsa = signatures == Signatures.MIXED ? index % 2 == 0 : signs;
    return TestPki.sharedKey(rsa ? KeySpec.RSA_2048 : KeySpec.EC_P256);
  }
}
