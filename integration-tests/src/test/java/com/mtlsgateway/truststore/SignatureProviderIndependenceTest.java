package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.NOW;
import static com.mtlsgateway.truststore.TruststoreFixtures.PKI;
import static com.mtlsgateway.truststore.TruststoreFixtures.VALIDATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.mtlsgateway.crypto.CryptoProviders;
import com.mtlsgateway.testing.JdkTrustStore;
import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The truststore rules give the same report whichever security provider serves signatures and keys: the Amazon
 * Corretto Crypto Provider (ACCP, installed first by {@link CryptoProviders#install()} as the Lambda functions and the
 * CLI do), or the JDK's own providers. Each bundle of a corpus covering every finding code, every key and signature
 * type a truststore may hold (including broken ones and curves only one of the two providers knows), the JDK's
 * cacerts roots and the Debian CA bundle is validated once with ACCP first in the provider list and once without ACCP,
 * and the two reports must be equal: codes, certificates, messages, counts, earliest expiry.
 *
 * <p>Runs only where ACCP has a native build (Linux x86_64 and aarch64; integration-tests puts the build for the
 * machine on its class path); elsewhere JUnit reports it skipped. There, ACCP failing to load is a failure.
 *
 * <p>The JDK's X.509 CertificateFactory keeps a cache of parsed certificates keyed by their DER bytes: it hands out
 * the very same {@link X509Certificate} object for identical bytes, and that object remembers the outcome of its last
 * signature check (the key and the verdict) and answers a repeated check from memory, without asking any provider.
 * Validating the same bundle twice would then test only the first provider. So before each of the two validations
 * this test empties that cache ({@link #clearCertificateCache()}) and parses the bundle's certificates again in the
 * provider setup of that validation (so their keys are also decoded by that setup's key factories), and it asserts
 * that none of these certificate objects is one the other validation used: each validation sees fresh certificates.
 */
@EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
class SignatureProviderIndependenceTest {

  private static final String ACCP = CryptoProviders.ACCP_NAME;
  private static final Path DEBIAN_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");
  private static final Pattern CERTIFICATE_BLOCK =
      Pattern.compile("-----BEGIN CERTIFICATE-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)-----END CERTIFICATE-----");

  private static List<Provider> providersAtStart;

  @BeforeAll
  static void installAccp() {
    CryptoProviders.Choice choice = CryptoProviders.install();
    assertThat(choice.accelerated())
        .as("ACCP must load on %s %s, where integration-tests puts its native build on the class path: %s",
            System.getProperty("os.name"), System.getProperty("os.arch"), choice.reason())
        .isTrue();
    assertThat(Security.getProviders()[0].getName()).isEqualTo(ACCP);
    providersAtStart = List.of(Security.getProviders());
  }

  @AfterAll
  static void providersAreAsTheyWere() {
    assertThat(Security.getProviders()).containsExactlyElementsOf(providersAtStart);
  }

  /** A named bundle, made when its test runs (so that one broken case fails alone). */
  record Case(String name, Callable<byte[]> bundle) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void findingsAreTheSameWithAccpAndWithTheJdksProviders(Case testCase) throws Exception {
    byte[] bundle = testCase.bundle().call();

    Validation accp = validateWithAccp(bundle);
    Validation jdk = validateWithoutAccp(bundle, accp.certificates());

    assertThat(Security.getProviders()).as("the provider list after the validation without ACCP")
        .containsExactlyElementsOf(providersAtStart);
    if (!accp.report().equals(jdk.report())) {
      fail("The reports differ (with ACCP first, then with the JDK's providers only):\n  - "
          + String.join("\n  - ", differences(accp.report(), jdk.report())));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Validating under each provider setup, with fresh certificates

  /** A report, and the certificate objects the validation was handed by the JDK's certificate cache. */
  private record Validation(ValidationReport report, List<X509Certificate> certificates) {}

  private static Validation validateWithAccp(byte[] bundle) throws Exception {
    assertThat(Security.getProviders()[0].getName()).isEqualTo(ACCP);
    assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Signature.getInstance("SHA256withRSA").getProvider().getName()).isEqualTo(ACCP);
    return validateFresh(bundle, List.of());
  }

  /** Validates with ACCP removed from the provider list, then puts it back exactly where it was. */
  private static Validation validateWithoutAccp(byte[] bundle, List<X509Certificate> usedBefore) throws Exception {
    List<Provider> providers = List.of(Security.getProviders());
    Provider accp = Security.getProvider(ACCP);
    int position = providers.indexOf(accp) + 1; // 1-based, as insertProviderAt takes it
    Security.removeProvider(ACCP);
    try {
      assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isNotEqualTo(ACCP);
      assertThat(Signature.getInstance("SHA256withRSA").getProvider().getName()).isNotEqualTo(ACCP);
      Validation validation = validateFresh(bundle, usedBefore);
      assertThat(Security.getProvider(ACCP)).as("ACCP re-installed during the validation without it").isNull();
      return validation;
    } finally {
      Security.insertProviderAt(accp, position);
    }
  }

  /**
   * Empties the JDK's certificate cache, parses the bundle's certificates (which puts fresh objects in the cache, whose
   * keys this provider setup decodes), checks that none of them is one of {@code usedBefore}, and validates.
   */
  private static Validation validateFresh(byte[] bundle, List<X509Certificate> usedBefore) {
    clearCertificateCache();
    List<X509Certificate> certificates = parseCertificates(bundle);
    for (X509Certificate certificate : certificates) {
      for (X509Certificate old : usedBefore) {
        if (certificate == old) {
          fail("The JDK's CertificateFactory returned a certificate object ("
              + certificate.getSubjectX500Principal().getName() + ") already used by the other validation, so"
              + " its signature check would be answered from that object's memory: clearing the factory's cache"
              + " with generateCertificate(null) no longer works on this JDK (" + System.getProperty("java.version")
              + ").");
        }
      }
    }
    ValidationReport report = VALIDATOR.validate(bundle);
    return new Validation(report, certificates);
  }

  /**
   * The JDK's X.509 factory (sun.security.provider.X509Factory) empties its certificate cache when asked to read a
   * null stream (its debugging hook; it then throws "Missing input stream"). Whether that worked is checked by object
   * identity in {@link #validateFresh}.
   */
  private static void clearCertificateCache() {
    try {
      CertificateFactory.getInstance("X.509").generateCertificate(null);
      fail("the X.509 CertificateFactory read a null stream");
    } catch (CertificateException | NullPointerException expected) {
      // The cache is empty now.
    }
  }

  /** The certificates of the bundle's CERTIFICATE blocks that parse, as the JDK's factory hands them out. */
  private static List<X509Certificate> parseCertificates(byte[] bundle) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Matcher block = CERTIFICATE_BLOCK.matcher(new String(bundle, StandardCharsets.ISO_8859_1));
      while (block.find()) {
        try {
          byte[] der = Base64.getMimeDecoder().decode(block.group(1));
          certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | RuntimeException unreadable) {
          // The validator reports it; no object of it can be shared.
        }
      }
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
    return certificates;
  }

  /** Every difference between the two reports, finding by finding, with both messages when they differ. */
  private static List<String> differences(ValidationReport accp, ValidationReport jdk) {
    List<String> differences = new ArrayList<>();
    if (accp.certificateCount() != jdk.certificateCount()) {
      differences.add("certificateCount: ACCP " + accp.certificateCount() + ", JDK " + jdk.certificateCount());
    }
    if (!accp.sha256().equals(jdk.sha256())) {
      differences.add("sha256: ACCP " + accp.sha256() + ", JDK " + jdk.sha256());
    }
    if (!accp.earliestExpiry().equals(jdk.earliestExpiry())) {
      differences.add("earliestExpiry: ACCP " + accp.earliestExpiry() + ", JDK " + jdk.earliestExpiry());
    }
    List<Finding> onlyAccp = new ArrayList<>(accp.findings());
    List<Finding> onlyJdk = new ArrayList<>(jdk.findings());
    for (Finding finding : accp.findings()) {
      if (onlyJdk.remove(finding)) {
        onlyAccp.remove(finding);
      }
    }
    for (Finding withAccp : List.copyOf(onlyAccp)) {
      Finding withJdk = onlyJdk.stream().filter(f -> f.code() == withAccp.code()
          && Objects.equals(f.certificate(), withAccp.certificate())).findFirst().orElse(null);
      if (withJdk != null) {
        differences.add(label(withAccp) + ": the messages differ\n      ACCP: " + withAccp.message()
            + "\n      JDK:  " + withJdk.message());
        onlyAccp.remove(withAccp);
        onlyJdk.remove(withJdk);
      }
    }
    onlyAccp.forEach(f -> differences.add(label(f) + " only with ACCP: " + f.message()));
    onlyJdk.forEach(f -> differences.add(label(f) + " only with the JDK: " + f.message()));
    if (differences.isEmpty()) {
      differences.add("the same findings in another order\n      ACCP: " + TruststoreFixtures.findings(accp)
          + "\n      JDK:  " + TruststoreFixtures.findings(jdk));
    }
    return differences;
  }

  private static String label(Finding finding) {
    return finding.certificate() == null ? finding.code().name()
        : finding.code() + "@" + finding.certificate().index() + " (" + finding.certificate().subject() + ")";
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The corpus

  static Stream<Case> corpus() {
    List<Case> cases = new ArrayList<>();

    // Valid chains, every accepted key type and size, and the signature algorithms a CA may use.
    cases.add(chain("RSA-2048 chain of 3", () -> PKI.chain("RSA 2048", 3, KeySpec.RSA_2048)));
    cases.add(chain("RSA-3072 root and CA", () -> PKI.chain("RSA 3072", 2, KeySpec.rsa(3072))));
    cases.add(chain("RSA-4096 root and CA", () -> PKI.chain("RSA 4096", 2, KeySpec.rsa(4096))));
    cases.add(chain("EC P-256 chain of 4", () -> PKI.chain("P-256", 4, KeySpec.EC_P256)));
    cases.add(chain("EC P-384 chain of 3", () -> PKI.chain("P-384", 3, KeySpec.EC_P384)));
    cases.add(chain("EC P-521 chain of 3", () -> PKI.chain("P-521", 3, KeySpec.EC_P521)));
    cases.add(chain("RSA CAs signed with SHA-384 and SHA-512", () -> {
      Issued root = PKI.certificate("CN=RSA SHA-2 Root").key(KeySpec.RSA_2048).selfSigned();
      return List.of(root,
          PKI.certificate("CN=SHA-384 CA").key(KeySpec.RSA_2048).signatureAlgorithm("SHA384withRSA").issuedBy(root),
          PKI.certificate("CN=SHA-512 CA").key(KeySpec.RSA_2048).signatureAlgorithm("SHA512withRSA").issuedBy(root));
    }));
    cases.add(chain("ECDSA with a hash unlike the curve (SHA-256 by P-384, SHA-512 by P-256)", () -> {
      Issued p384 = PKI.certificate("CN=P-384 Root").key(KeySpec.EC_P384).selfSigned();
      Issued p256 = PKI.certificate("CN=P-256 Root").key(KeySpec.EC_P256).selfSigned();
      return List.of(p384, p256,
          PKI.certificate("CN=SHA-256 by P-384").signatureAlgorithm("SHA256withECDSA").issuedBy(p384),
          PKI.certificate("CN=SHA-512 by P-256").signatureAlgorithm("SHA512withECDSA").issuedBy(p256));
    }));
    cases.add(chain("SHA-3 signatures (RSA and ECDSA)", () -> {
      Issued rsa = PKI.certificate("CN=SHA-3 RSA Root").key(KeySpec.RSA_2048).selfSigned();
      Issued ec = PKI.certificate("CN=SHA-3 EC Root").key(KeySpec.EC_P256).selfSigned();
      return List.of(rsa, ec,
          PKI.certificate("CN=SHA3-256 RSA CA").signatureAlgorithm("SHA3-256withRSA").issuedBy(rsa),
          PKI.certificate("CN=SHA3-256 ECDSA CA").signatureAlgorithm("SHA3-256withECDSA").issuedBy(ec));
    }));
    cases.add(chain("RSASSA-PSS signatures with SHA-256, SHA-384 and SHA-512, and a PSS-signed root", () -> {
      Issued root = PKI.certificate("CN=PSS Root").key(KeySpec.RSA_2048).signatureAlgorithm("SHA256withRSAandMGF1")
          .selfSigned();
      return List.of(root,
          PKI.certificate("CN=PSS-256 CA").signatureAlgorithm("SHA256withRSAandMGF1").issuedBy(root),
          PKI.certificate("CN=PSS-384 CA").signatureAlgorithm("SHA384withRSAandMGF1").issuedBy(root),
          PKI.certificate("CN=PSS-512 CA").signatureAlgorithm("SHA512withRSAandMGF1").issuedBy(root));
    }));
    cases.add(chain("RSASSA-PSS keys (id-RSASSA-PSS public keys) root and CA", () -> {
      KeySpec pss = new KeySpec("RSASSA-PSS", 2048, null);
      Issued root = PKI.certificate("CN=PSS Key Root").key(pss).signatureAlgorithm("SHA256withRSAandMGF1")
          .selfSigned();
      return List.of(root,
          PKI.certificate("CN=PSS Key CA").key(pss).signatureAlgorithm("SHA256withRSAandMGF1").issuedBy(root));
    }));
    cases.add(chain("RSA-2048 CA with public exponent 3 signing a CA", () -> {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F0));
      Issued root = PKI.certificate("CN=Exponent 3 Root").key(generator.generateKeyPair()).selfSigned();
      return List.of(root, PKI.certificate("CN=Under Exponent 3").issuedBy(root));
    }));
    cases.add(chain("Ed25519 root and CA (WEAK_KEY)", () -> PKI.chain("Ed25519", 2, KeySpec.ED25519)));
    cases.add(chain("Ed448 root and CA (WEAK_KEY)", () -> PKI.chain("Ed448", 2, new KeySpec("Ed448", 0, null))));
    cases.add(chain("DSA-2048 root and CA, SHA256withDSA (WEAK_KEY)", () -> PKI.chain("DSA", 2, KeySpec.dsa(2048))));
    cases.add(chain("DSA-1024 CA signed with SHA1withDSA", () -> {
      Issued root = PKI.certificate("CN=DSA 1024 Root").key(KeySpec.dsa(1024)).signatureAlgorithm("SHA1withDSA")
          .selfSigned();
      return List.of(root, PKI.certificate("CN=DSA SHA-1 CA").key(KeySpec.dsa(1024)).signatureAlgorithm("SHA1withDSA")
          .issuedBy(root));
    }));

    // Weak signatures and keys.
    for (String algorithm : List.of("SHA1withRSA", "MD5withRSA", "MD2withRSA", "SHA224withRSA", "SHA1withRSAandMGF1")) {
      cases.add(chain("CA signed with " + algorithm + " under an RSA root", () -> {
        Issued root = PKI.certificate("CN=RSA Root for " + algorithm).key(KeySpec.RSA_2048).selfSigned();
        return List.of(root, PKI.certificate("CN=" + algorithm + " CA").signatureAlgorithm(algorithm).issuedBy(root));
      }));
    }
    for (String algorithm : List.of("SHA1withECDSA", "SHA224withECDSA")) {
      cases.add(chain("CA signed with " + algorithm + " under an EC root", () -> {
        Issued root = PKI.certificate("CN=EC Root for " + algorithm).selfSigned();
        return List.of(root, PKI.certificate("CN=" + algorithm + " CA").signatureAlgorithm(algorithm).issuedBy(root));
      }));
    }
    cases.add(chain("SHA1withRSA self-signed root", () -> List.of(PKI.certificate("CN=Old SHA-1 Root")
        .key(KeySpec.RSA_2048).signatureAlgorithm("SHA1withRSA").selfSigned())));
    cases.add(chain("RSA-1024 root signing an RSA-1024 CA", () -> PKI.chain("RSA 1024", 2, KeySpec.rsa(1024))));
    cases.add(chain("RSA-2047 CA", () -> {
      Issued root = PKI.certificate("CN=Root over 2047").key(KeySpec.RSA_2048).selfSigned();
      return List.of(root, PKI.certificate("CN=RSA 2047 CA").key(KeySpec.rsa(2047)).issuedBy(root));
    }));

    // Curves only one provider (or none) verifies; keys BouncyCastle makes where the JDK cannot.
    for (String curve : List.of("secp256k1", "brainpoolP256r1", "secp224r1", "brainpoolP384r1", "sect283k1")) {
      cases.add(chain("CA on " + curve + " signing a child", () -> {
        Issued root = PKI.certificate("CN=" + curve + " Root").key(KeySpec.ec(curve)).selfSigned();
        return List.of(root, PKI.certificate("CN=Child of " + curve).issuedBy(root));
      }));
    }

    // Validity.
    cases.add(chain("expired CA, CA not yet valid, CA expiring in 30 days, expired root", () -> {
      Issued root = PKI.certificate("CN=Validity Root").selfSigned();
      Issued expiredRoot = PKI.certificate("CN=Expired Root")
          .validity(NOW.minus(Duration.ofDays(3650)), NOW.minus(Duration.ofDays(2))).selfSigned();
      return List.of(root,
          PKI.certificate("CN=Expired CA").validity(NOW.minus(Duration.ofDays(400)), NOW.minusSeconds(1))
              .issuedBy(root),
          PKI.certificate("CN=Future CA").validity(NOW.plusSeconds(1), NOW.plus(Duration.ofDays(400)))
              .issuedBy(root),
          PKI.certificate("CN=Soon CA").validity(NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(30)))
              .issuedBy(root),
          expiredRoot);
    }));

    // CA flags.
    cases.add(chain("end-entity certificate, v3 CA without basicConstraints, X.509 v1 root", () -> {
      Issued root = PKI.certificate("CN=Flags Root").selfSigned();
      return List.of(root,
          PKI.certificate("CN=client.example.com").ca(false).dnsNames("client.example.com").issuedBy(root),
          PKI.certificate("CN=Unmarked CA").withoutBasicConstraints().issuedBy(root),
          PKI.certificate("CN=Version 1 Root").version1().selfSigned());
    }));

    // Chains.
    cases.add(chain("intermediate without its root (CHAIN_INCOMPLETE)", () -> PKI.chain("Partial", 3).subList(1, 3)));
    cases.add(chain("issuer name that matches no certificate", () -> {
      Issued root = PKI.certificate("CN=Real Root").selfSigned();
      return List.of(root, PKI.certificate("CN=Misnamed CA").issuerName("CN=Imaginary Root").issuedBy(root));
    }));
    cases.add(chain("chain of five CAs (CHAIN_TOO_DEEP)", () -> PKI.chain("Deep", 5)));
    cases.add(chain("chain of six RSA CAs, reversed", () -> {
      List<Issued> reversed = new ArrayList<>(PKI.chain("Reversed", 6, KeySpec.RSA_2048));
      Collections.reverse(reversed);
      return reversed;
    }));
    cases.add(chain("chain without key identifiers", () -> {
      Issued root = PKI.certificate("CN=Old Style Root").withoutKeyIdentifiers().selfSigned();
      return List.of(PKI.certificate("CN=Old Style CA").withoutKeyIdentifiers().issuedBy(root), root);
    }));
    cases.add(chain("duplicates, one of them expired", () -> {
      List<Issued> chain = PKI.chain("Twice", 2);
      Issued expired = PKI.certificate("CN=Expired Twice")
          .validity(NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(1))).selfSigned();
      return List.of(chain.get(0), chain.get(1), chain.get(0), expired, expired);
    }));
    cases.add(chain("subject conflicts (cross-signed CA, names compared canonically)", () -> {
      Issued rootA = PKI.certificate("CN=Root A").selfSigned();
      Issued rootB = PKI.certificate("CN=Root B").key(KeySpec.RSA_2048).selfSigned();
      KeyPair shared = KeySpec.EC_P256.generate();
      return List.of(rootA, rootB,
          PKI.certificate("CN=Cross Signed CA").key(shared).issuedBy(rootA),
          PKI.certificate("CN=Cross Signed CA").key(shared).issuedBy(rootB),
          PKI.certificate("CN=Case CA").issuedBy(rootA),
          PKI.certificate("cn=case ca").issuedBy(rootB));
    }));
    cases.add(chain("re-keyed root: the CA names the new root's key, the bundle has the old root", () -> {
      Issued oldRoot = PKI.certificate("CN=Rekeyed Root").selfSigned();
      Issued newRoot = PKI.certificate("CN=Rekeyed Root").selfSigned();
      return List.of(oldRoot, PKI.certificate("CN=Rekeyed Issuing CA").issuedBy(newRoot));
    }));
    cases.add(chain("two generations of a root (RSA and EC) with a CA under each", () -> {
      Issued oldRoot = PKI.certificate("CN=Two Generations Root").key(KeySpec.RSA_2048).selfSigned();
      Issued newRoot = PKI.certificate("CN=Two Generations Root").selfSigned();
      return List.of(oldRoot, newRoot, PKI.certificate("CN=Under New").issuedBy(newRoot),
          PKI.certificate("CN=Under Old").issuedBy(oldRoot));
    }));
    cases.add(chain("mutually cross-signed CAs", () -> {
      KeyPair keyA = KeySpec.EC_P256.generate();
      KeyPair keyB = KeySpec.RSA_2048.generate();
      Issued signerA = PKI.certificate("CN=Loop A").key(keyA).selfSigned();
      Issued signerB = PKI.certificate("CN=Loop B").key(keyB).selfSigned();
      return List.of(PKI.certificate("CN=Loop A").key(keyA).issuedBy(signerB),
          PKI.certificate("CN=Loop B").key(keyB).issuedBy(signerA));
    }));

    // Signatures that do not verify: another key of the same type, a tampered or malformed signature value.
    cases.add(chain("EC CA signed by another P-256 key", () -> {
      Issued root = PKI.certificate("CN=Honest EC Root").selfSigned();
      return List.of(root, PKI.certificate("CN=Forged EC CA").signingKey(KeySpec.EC_P256.generate()).issuedBy(root));
    }));
    cases.add(chain("RSA CA signed by another RSA key", () -> {
      Issued root = PKI.certificate("CN=Honest RSA Root").key(KeySpec.RSA_2048).selfSigned();
      return List.of(root, PKI.certificate("CN=Forged RSA CA").signingKey(KeySpec.RSA_2048.generate()).issuedBy(root));
    }));
    cases.add(chain("self-signed roots whose own key does not verify them (EC, RSA, Ed25519)", () -> List.of(
        PKI.certificate("CN=Tampered EC Root").signingKey(KeySpec.EC_P256.generate()).selfSigned(),
        PKI.certificate("CN=Tampered RSA Root").key(KeySpec.RSA_2048).signingKey(KeySpec.RSA_2048.generate())
            .selfSigned(),
        PKI.certificate("CN=Tampered Ed25519 Root").key(KeySpec.ED25519).signingKey(KeySpec.ED25519.generate())
            .selfSigned())));
    cases.add(tampered("RSA signature with its last bit flipped", KeySpec.RSA_2048, sig -> flipLastBit(sig)));
    cases.add(tampered("RSA signature one byte short", KeySpec.RSA_2048, sig -> Arrays.copyOf(sig, sig.length - 1)));
    cases.add(tampered("RSA signature one byte long", KeySpec.RSA_2048, sig -> Arrays.copyOf(sig, sig.length + 1)));
    cases.add(tampered("RSA signature all zero", KeySpec.RSA_2048, sig -> new byte[sig.length]));
    cases.add(tampered("ECDSA signature with its last bit flipped", KeySpec.EC_P256, sig -> flipLastBit(sig)));
    cases.add(tampered("ECDSA signature that is not a DER SEQUENCE", KeySpec.EC_P256, sig -> {
      sig[0] = 0x31;
      return sig;
    }));
    cases.add(tampered("ECDSA signature with a byte after its DER SEQUENCE", KeySpec.EC_P256,
        sig -> Arrays.copyOf(sig, sig.length + 1)));
    cases.add(tampered("ECDSA signature cut short", KeySpec.EC_P256, sig -> Arrays.copyOf(sig, sig.length - 3)));
    cases.add(tampered("ECDSA signature empty", KeySpec.EC_P256, sig -> new byte[0]));
    cases.add(tampered("Ed25519 signature with its last bit flipped", KeySpec.ED25519, sig -> flipLastBit(sig)));
    cases.add(tampered("Ed25519 signature one byte short", KeySpec.ED25519, sig -> Arrays.copyOf(sig, sig.length - 1)));
    cases.add(tampered("DSA signature with its last bit flipped", KeySpec.dsa(2048), sig -> flipLastBit(sig)));

    // Signed by a key of another type than the named issuer's.
    cases.add(chain("CA signed by an EC P-384 key whose named issuer has an RSA key", () -> {
      Issued rsaRoot = PKI.certificate("CN=RSA Named Root").key(KeySpec.RSA_2048).selfSigned();
      return List.of(rsaRoot, PKI.certificate("CN=EC-Signed CA").signingKey(KeySpec.EC_P384.generate())
          .issuedBy(rsaRoot));
    }));
    cases.add(chain("CA signed by an RSA key whose named issuer has an EC key", () -> {
      Issued ecRoot = PKI.certificate("CN=EC Named Root").selfSigned();
      return List.of(ecRoot, PKI.certificate("CN=RSA-Signed CA").signingKey(KeySpec.RSA_2048.generate())
          .issuedBy(ecRoot));
    }));
    cases.add(chain("CA signed by an Ed25519 key whose named issuer has an EC key", () -> {
      Issued ecRoot = PKI.certificate("CN=EC Root Named By EdDSA").selfSigned();
      return List.of(ecRoot, PKI.certificate("CN=Ed25519-Signed CA").signingKey(KeySpec.ED25519.generate())
          .issuedBy(ecRoot));
    }));
    cases.add(chain("CA signed by a DSA key whose named issuer has an RSA key", () -> {
      Issued rsaRoot = PKI.certificate("CN=RSA Root Named By DSA").key(KeySpec.RSA_2048).selfSigned();
      return List.of(rsaRoot, PKI.certificate("CN=DSA-Signed CA").signingKey(KeySpec.dsa(2048).generate())
          .issuedBy(rsaRoot));
    }));
    cases.add(chain("CA signed by an EC P-256 key whose named issuer is on secp256k1", () -> {
      Issued k1Root = PKI.certificate("CN=secp256k1 Named Root").key(KeySpec.ec("secp256k1")).selfSigned();
      return List.of(k1Root, PKI.certificate("CN=P-256-Signed CA").signingKey(KeySpec.EC_P256.generate())
          .issuedBy(k1Root));
    }));

    // Keys and algorithms no provider can use.
    cases.add(new Case("CA whose EC public key is not on its curve, with a child", () -> {
      Issued root = PKI.certificate("CN=Root Over Bad Key").selfSigned();
      KeyPair real = KeySpec.EC_P256.generate();
      SubjectPublicKeyInfo valid = SubjectPublicKeyInfo.getInstance(real.getPublic().getEncoded());
      byte[] point = valid.getPublicKeyData().getBytes();
      point[point.length - 1] ^= 1;
      String offCurve = issue("CN=Off Curve CA", name(root), new SubjectPublicKeyInfo(valid.getAlgorithm(), point),
          new JcaContentSignerBuilder("SHA256withECDSA").build(root.keyPair().getPrivate()));
      String child = issue("CN=Child Of Off Curve CA", new X500Name("CN=Off Curve CA"),
          SubjectPublicKeyInfo.getInstance(KeySpec.EC_P256.generate().getPublic().getEncoded()),
          new JcaContentSignerBuilder("SHA256withECDSA").build(real.getPrivate()));
      return bytes(root.pem() + offCurve + child);
    }));
    cases.add(new Case("CA with a signature algorithm OID no provider knows", () -> {
      Issued root = PKI.certificate("CN=Root Over Unknown Algorithm").selfSigned();
      String unknown = issue("CN=Unknown Algorithm CA", name(root),
          SubjectPublicKeyInfo.getInstance(KeySpec.EC_P256.generate().getPublic().getEncoded()),
          new FixedSigner(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1.1"), new byte[64]));
      return bytes(root.pem() + unknown);
    }));

    // What the file holds around the certificates.
    cases.add(new Case("empty file", () -> new byte[0]));
    cases.add(new Case("whitespace only", () -> bytes(" \r\n\t\n")));
    cases.add(new Case("a DER certificate instead of PEM", () -> PKI.certificate("CN=DER Root").selfSigned().der()));
    cases.add(new Case("text without PEM blocks", () -> bytes("db_password=hunter2\n")));
    cases.add(new Case("private key, TRUSTED CERTIFICATE and CRL blocks among certificates", () -> {
      List<Issued> chain = PKI.chain("Mixed", 2);
      return bytes(chain.get(0).pem() + chain.get(0).privateKeyPem() + chain.get(1).pem()
          + TestPki.pem("TRUSTED CERTIFICATE", chain.get(0).der()) + TestPki.pem("X509 CRL", chain.get(1).der()));
    }));
    cases.add(new Case("blocks that are not certificates: bad base64, not DER, garbage DER, trailing bytes", () -> {
      Issued root = PKI.certificate("CN=Parse Root").selfSigned();
      byte[] trailing = Arrays.copyOf(root.der(), root.der().length + 2);
      byte[] garbage = root.der().clone();
      garbage[garbage.length / 2] ^= (byte) 0xff;
      byte[] truncated = Arrays.copyOf(root.der(), root.der().length - 10);
      return bytes(root.pem() + "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n"
          + TestPki.pem("CERTIFICATE", "hello, world".getBytes(StandardCharsets.US_ASCII))
          + TestPki.pem("CERTIFICATE", garbage) + TestPki.pem("CERTIFICATE", trailing)
          + TestPki.pem("CERTIFICATE", truncated) + "-----BEGIN CERTIFICATE-----\nMIIB\n");
    }));
    cases.add(new Case("a certificate whose public key BIT STRING is garbage", () -> {
      Issued root = PKI.certificate("CN=Root Over Garbage Key").selfSigned();
      SubjectPublicKeyInfo valid = SubjectPublicKeyInfo.getInstance(KeySpec.EC_P256.generate().getPublic()
          .getEncoded());
      String garbageKey = issue("CN=Garbage Key CA", name(root), new SubjectPublicKeyInfo(valid.getAlgorithm(),
          new byte[] {1, 2, 3}), new JcaContentSignerBuilder("SHA256withECDSA").build(root.keyPair().getPrivate()));
      return bytes(root.pem() + garbageKey);
    }));
    cases.add(new Case("one-line PEM, END running into BEGIN", () -> {
      List<Issued> chain = PKI.chain("Layout", 3);
      String oneLine = chain.get(0).pem().replace("\n", "\\n");
      return bytes(oneLine + "\n" + chain.get(1).pem().stripTrailing() + chain.get(2).pem());
    }));
    cases.add(new Case("byte-order mark at the start and on a later line", () -> {
      List<Issued> chain = PKI.chain("Bom", 2);
      byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(bom);
      out.write(bytes(chain.get(0).pem()));
      out.write(bom);
      out.write(bytes(chain.get(1).pem()));
      return out.toByteArray();
    }));
    cases.add(new Case("1,001 certificates (TOO_MANY_CERTIFICATES)", () -> {
      KeyPair shared = TestPki.sharedKey(KeySpec.EC_P256);
      StringBuilder bundle = new StringBuilder();
      for (int i = 0; i <= TruststoreValidator.MAX_CERTIFICATES; i++) {
        bundle.append(PKI.certificate("CN=Quota Root " + i + ",O=Providers").key(shared).selfSigned().pem());
      }
      return bytes(bundle.toString());
    }));
    cases.add(new Case("1,000,001 bytes (TOO_LARGE)", () -> {
      StringBuilder bundle = new StringBuilder(PKI.certificate("CN=Large Root").key(KeySpec.RSA_2048).selfSigned()
          .pem());
      while (bundle.length() < 1_000_001) {
        bundle.append("# padding between blocks counts toward the quota\n");
      }
      bundle.setLength(1_000_001);
      return bytes(bundle.toString());
    }));

    // Real-world roots.
    cases.add(new Case("the JDK's cacerts roots", SignatureProviderIndependenceTest::jdkCacerts));
    cases.add(new Case("Debian's CA bundle " + DEBIAN_BUNDLE, () -> {
      if (!Files.isRegularFile(DEBIAN_BUNDLE)) {
        fail(DEBIAN_BUNDLE + " is missing: install the Debian package that provides it with 'apt-get install"
            + " ca-certificates' (on other systems, the package that installs the system CA bundle).");
      }
      return Files.readAllBytes(DEBIAN_BUNDLE);
    }));
    return cases.stream();
  }

  private static Case chain(String name, Callable<List<Issued>> certificates) {
    return new Case(name, () -> bytes(TestPki.bundle(certificates.call())));
  }

  /** An EC, RSA, Ed25519 or DSA root and a CA under it whose signature value is changed by {@code change}. */
  private static Case tampered(String name, KeySpec spec, UnaryOperator<byte[]> change) {
    return new Case(name, () -> {
      Issued root = PKI.certificate("CN=Root Of " + name).key(spec).selfSigned();
      Issued ca = PKI.certificate("CN=CA With " + name).key(spec).issuedBy(root);
      Certificate parsed = Certificate.getInstance(ca.der());
      byte[] signature = change.apply(parsed.getSignature().getOctets());
      byte[] der = new DERSequence(new ASN1Encodable[] {parsed.getTBSCertificate(), parsed.getSignatureAlgorithm(),
          new DERBitString(signature)}).getEncoded(ASN1Encoding.DER);
      return bytes(root.pem() + TestPki.pem("CERTIFICATE", der));
    });
  }

  private static byte[] flipLastBit(byte[] signature) {
    signature[signature.length - 1] ^= 1;
    return signature;
  }

  /** A CA certificate with this exact public key info and signer, naming {@code issuer} as its issuer. */
  private static String issue(String subject, X500Name issuer, SubjectPublicKeyInfo key, ContentSigner signer)
      throws IOException {
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
        Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(365))), new X500Name(subject),
        key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return TestPki.pem("CERTIFICATE", builder.build(signer).getEncoded());
  }

  /** The certificate's subject, exactly as encoded (so that the issuer name written matches it byte for byte). */
  private static X500Name name(Issued certificate) {
    return X500Name.getInstance(certificate.certificate().getSubjectX500Principal().getEncoded());
  }

  /** Signs with a fixed value under an algorithm identifier of our choosing. */
  private static final class FixedSigner implements ContentSigner {
    private final AlgorithmIdentifier algorithm;
    private final byte[] signature;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    FixedSigner(ASN1ObjectIdentifier algorithm, byte[] signature) {
      this.algorithm = new AlgorithmIdentifier(algorithm);
      this.signature = signature;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
      return out;
    }

    @Override
    public byte[] getSignature() {
      return signature.clone();
    }
  }

  /** Every distinct trusted certificate of the JDK's own cacerts, in alias order, as one PEM bundle. */
  private static byte[] jdkCacerts() throws Exception {
    List<X509Certificate> roots = JdkTrustStore.roots();
    assertThat(roots).as("trusted certificates in %s", JdkTrustStore.CACERTS).hasSizeGreaterThan(80);
    return JdkTrustStore.bundle(roots);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
