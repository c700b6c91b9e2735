package com.mtlsgateway.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import com.mtlsgateway.truststore.FindingCode;
import com.mtlsgateway.truststore.TruststoreValidator;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;

/** Every check of {@link CertificateChecker}, on certificates and keys made here. */
class CertificateCheckerTest {

  static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
  static final TestPki PKI = TestPki.at(NOW);
  static final CertificateChecker CHECKER = new CertificateChecker(Clock.fixed(NOW, ZoneOffset.UTC));

  /** Root, intermediate, server (api.example.com), all with keys of {@code spec}. */
  static List<Issued> chain(KeySpec spec, String... dnsNames) {
    Issued root = PKI.certificate("CN=Test Root CA").key(spec).selfSigned();
    Issued intermediate = PKI.certificate("CN=Test Issuing CA").key(spec).issuedBy(root);
    Issued server = server(spec, dnsNames).issuedBy(intermediate);
    return List.of(server, intermediate, root);
  }

  static TestPki.CertificateBuilder server(KeySpec spec, String... dnsNames) {
    return PKI.certificate("CN=api.example.com").ca(false).key(spec)
        .dnsNames(dnsNames.length == 0 ? new String[] {"api.example.com"} : dnsNames)
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static List<CertificateProblem> check(Issued server, String chain, String key, String domain) {
    return CHECKER.check(bytes(server.pem()), chain == null ? null : bytes(chain), bytes(key), domain);
  }

  static List<CertificateProblem> check(List<Issued> chain, String domain) {
    return check(chain.get(0), TestPki.bundle(chain.subList(1, chain.size())), chain.get(0).privateKeyPem(), domain);
  }

  static List<CertificateProblemCode> codes(List<CertificateProblem> problems) {
    return problems.stream().map(CertificateProblem::code).toList();
  }

  @Test
  void goodRsa2048AndEcP256AndP384ChainsPass() {
    assertThat(check(chain(KeySpec.RSA_2048), "api.example.com")).isEmpty();
    assertThat(check(chain(KeySpec.EC_P256), "api.example.com")).isEmpty();
    assertThat(check(chain(KeySpec.EC_P384), "api.example.com")).isEmpty();
  }

  @Test
  void aChainStoppingBelowTheRootOrNoChainPasses() {
    List<Issued> full = chain(KeySpec.EC_P256);
    assertThat(check(full.subList(0, 2), "api.example.com")).isEmpty();
    assertThat(check(full.get(0), null, full.get(0).privateKeyPem(), "api.example.com")).isEmpty();
  }

  @Test
  void aChainGivenEmptyIsInvalidLikeAnEmptyCertificate() {
    Issued server = server(KeySpec.EC_P256).selfSigned();
    for (String empty : List.of("", " \n\t\r\n")) {
      List<CertificateProblem> problems = check(server, empty, server.privateKeyPem(), "api.example.com");
      assertThat(problems).extracting(CertificateProblem::input, CertificateProblem::code)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("ChainPem", CertificateProblemCode.PEM_INVALID));
      assertThat(problems.get(0).message()).startsWith("ChainPem is empty");

      List<CertificateProblem> certificate = CHECKER.check(bytes(empty), null, bytes(server.privateKeyPem()),
          "api.example.com");
      assertThat(certificate).extracting(CertificateProblem::input, CertificateProblem::code)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("CertificatePem", CertificateProblemCode.PEM_INVALID));
      assertThat(certificate.get(0).message()).startsWith("CertificatePem is empty");
    }
  }

  @Test
  void blocksAndChainCertificatesAreNumberedFromZeroAsInTheTruststore() {
    List<Issued> full = chain(KeySpec.EC_P256);
    Issued server = full.get(0);

    List<CertificateProblem> key = check(server, full.get(1).pem() + server.privateKeyPem(), server.privateKeyPem(),
        "api.example.com");
    assertThat(key).extracting(CertificateProblem::message)
        .containsExactly("ChainPem block #1 is PRIVATE KEY, not CERTIFICATE; the private key belongs in PrivateKey"
            + " only: remove it here");

    List<CertificateProblem> order = check(server, TestPki.bundle(full.get(2), full.get(1)), server.privateKeyPem(),
        "api.example.com");
    assertThat(order.get(0).message()).contains("is issued by chain certificate #1 (CN=Test Issuing CA)");

    Issued root = PKI.certificate("CN=Old Root").validity(NOW.minus(Duration.ofDays(900)), NOW.minusSeconds(5))
        .selfSigned();
    Issued leaf = server(KeySpec.EC_P256).issuedBy(root);
    assertThat(check(leaf, root.pem(), leaf.privateKeyPem(), "api.example.com").get(0).message())
        .startsWith("chain certificate #0 (CN=Old Root) expired at ");
  }

  @Test
  void aMismatchedKeyIsRefused() {
    List<Issued> good = chain(KeySpec.EC_P256);
    Issued other = server(KeySpec.EC_P256).selfSigned();

    List<CertificateProblem> problems = check(good.get(0), null, other.privateKeyPem(), "api.example.com");

    assertThat(codes(problems)).containsExactly(CertificateProblemCode.KEY_MISMATCH);
    assertThat(problems.get(0).input()).isEqualTo("PrivateKey");
    // An RSA key for an EC certificate.
    assertThat(codes(check(good.get(0), null, TestPki.pem("PRIVATE KEY",
        TestPki.sharedKey(KeySpec.RSA_2048).getPrivate().getEncoded()), "api.example.com")))
        .containsExactly(CertificateProblemCode.KEY_MISMATCH);
  }

  @Test
  void encryptedKeysAreRefusedWithoutShowingThem() throws Exception {
    Issued server = server(KeySpec.RSA_2048).selfSigned();
    OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
        .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
    String pkcs8 = pem(new JcaPKCS8Generator(server.keyPair().getPrivate(), encryptor));
    StringWriter legacy = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(legacy)) {
      writer.writeObject(server.keyPair(), new JcePEMEncryptorBuilder("AES-128-CBC")
          .setProvider(new BouncyCastleProvider()).build("secret".toCharArray()));
    }
    assertThat(legacy.toString()).contains("Proc-Type: 4,ENCRYPTED");

    for (String key : List.of(pkcs8, legacy.toString())) {
      List<CertificateProblem> problems = check(server, null, key, "api.example.com");
      assertThat(codes(problems)).containsExactly(CertificateProblemCode.KEY_ENCRYPTED);
      assertNoKeyLine(problems, key);
    }
  }

  @Test
  void aKeyOver5KbIsRefused() {
    Issued server = server(KeySpec.EC_P256).selfSigned();
    String padded = server.privateKeyPem() + "#".repeat(5200) + "\n";

    List<CertificateProblem> problems = check(server, null, padded, "api.example.com");

    assertThat(codes(problems)).containsExactly(CertificateProblemCode.KEY_TOO_LARGE);
    assertThat(problems.get(0).message()).contains(padded.length() + " bytes", "5120");
  }

  @Test
  void rsaKeysOtherThan2048AreRefusedCitingApiGateway() {
    for (int bits : new int[] {3072, 4096}) {
      Issued server = server(KeySpec.rsa(bits)).selfSigned();
      List<CertificateProblem> problems = check(server, null, server.privateKeyPem(), "api.example.com");
      assertThat(codes(problems)).as("RSA %d", bits).containsExactly(CertificateProblemCode.KEY_TYPE_UNSUPPORTED);
      assertThat(problems.get(0).input()).isEqualTo("CertificatePem");
      assertThat(problems.get(0).message()).startsWith("the certificate's key is RSA " + bits + ", larger than")
          .contains("Prepare certificates in AWS Certificate Manager")
          .contains("If you create a Regional custom domain name, the maximum size of the public key is 2048")
          .endsWith("get an RSA 2048 or EC P-256/P-384 certificate (API Gateway Regional custom domains take no"
              + " other key)");
    }
  }

  @Test
  void rsa1024AndP521AreRefused() {
    assertThat(codes(check(chain(KeySpec.rsa(1024)), "api.example.com")))
        .containsExactly(CertificateProblemCode.KEY_TYPE_UNSUPPORTED);
    List<CertificateProblem> p521 = check(chain(KeySpec.EC_P521), "api.example.com");
    assertThat(codes(p521)).containsExactly(CertificateProblemCode.KEY_TYPE_UNSUPPORTED);
    assertThat(p521.get(0).message()).contains("EC P-521").contains("P-256/P-384");
    assertThat(p521.get(0).input()).isEqualTo("CertificatePem");
  }

  @Test
  void expiredAndNotYetValidCertificatesAreRefused() {
    Issued expired = server(KeySpec.EC_P256).validity(NOW.minus(Duration.ofDays(400)), NOW.minusSeconds(1))
        .selfSigned();
    Issued future = server(KeySpec.EC_P256).validity(NOW.plusSeconds(60), NOW.plus(Duration.ofDays(90)))
        .selfSigned();

    assertThat(codes(check(expired, null, expired.privateKeyPem(), "api.example.com")))
        .containsExactly(CertificateProblemCode.EXPIRED);
    assertThat(codes(check(future, null, future.privateKeyPem(), "api.example.com")))
        .containsExactly(CertificateProblemCode.NOT_YET_VALID);
  }

  @Test
  void anExpiredChainCertificateIsReportedOnChainPem() {
    Issued root = PKI.certificate("CN=Old Root").validity(NOW.minus(Duration.ofDays(900)), NOW.minusSeconds(5))
        .selfSigned();
    Issued server = server(KeySpec.EC_P256).issuedBy(root);

    List<CertificateProblem> problems = check(server, root.pem(), server.privateKeyPem(), "api.example.com");

    assertThat(problems).extracting(CertificateProblem::input, CertificateProblem::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ChainPem", CertificateProblemCode.EXPIRED));
  }

  @Test
  void aChainInTheWrongOrderIsRefused() {
    List<Issued> full = chain(KeySpec.EC_P256);
    List<CertificateProblem> problems =
        check(full.get(0), TestPki.bundle(full.get(2), full.get(1)), full.get(0).privateKeyPem(), "api.example.com");

    assertThat(codes(problems)).containsExactly(CertificateProblemCode.CHAIN_ORDER);
    assertThat(problems.get(0).input()).isEqualTo("ChainPem");
    // The server certificate repeated at the start of the chain (a "fullchain.pem").
    assertThat(codes(check(full.get(0), TestPki.bundle(full), full.get(0).privateKeyPem(), "api.example.com")))
        .containsExactly(CertificateProblemCode.CHAIN_ORDER);
  }

  @Test
  void aMissingIntermediateIsRefused() {
    Issued root = PKI.certificate("CN=Root").selfSigned();
    Issued upper = PKI.certificate("CN=Upper CA").issuedBy(root);
    Issued lower = PKI.certificate("CN=Lower CA").issuedBy(upper);
    Issued server = server(KeySpec.EC_P256).issuedBy(lower);

    // Lower CA missing right after the server certificate; Upper CA missing in the middle.
    List<CertificateProblem> first = check(server, TestPki.bundle(upper, root), server.privateKeyPem(),
        "api.example.com");
    List<CertificateProblem> middle = check(server, TestPki.bundle(lower, root), server.privateKeyPem(),
        "api.example.com");

    assertThat(codes(first)).containsExactly(CertificateProblemCode.CHAIN_INCOMPLETE);
    assertThat(first.get(0).message()).contains("CN=Lower CA");
    assertThat(codes(middle)).containsExactly(CertificateProblemCode.CHAIN_INCOMPLETE);
    assertThat(middle.get(0).message()).contains("CN=Upper CA");
  }

  @Test
  void anUnrelatedChainCertificateIsNamedAsNotTheIssuer() {
    Issued root = PKI.certificate("CN=Root A").selfSigned();
    Issued stray = PKI.certificate("CN=Unrelated CA").selfSigned();
    Issued server = server(KeySpec.EC_P256).issuedBy(root);
    Issued lower = PKI.certificate("CN=Lower CA").issuedBy(root);
    Issued leaf = server(KeySpec.EC_P256).issuedBy(lower);

    List<CertificateProblem> first = check(server, stray.pem(), server.privateKeyPem(), "api.example.com");
    List<CertificateProblem> later = check(leaf, TestPki.bundle(lower, stray), leaf.privateKeyPem(),
        "api.example.com");

    assertThat(codes(first)).containsExactly(CertificateProblemCode.CHAIN_INCOMPLETE);
    assertThat(first.get(0).message()).isEqualTo("chain certificate #0 (CN=Unrelated CA) is not the issuer of the"
        + " certificate (CN=api.example.com): that is CN=Root A, which is not in the chain. Put CN=Root A's"
        + " certificate (your CA publishes it) first in ChainPem, and remove chain certificate #0 unless it issued"
        + " CN=Root A; if CN=Root A is a root CA that clients trust, the chain may stop before it");
    assertThat(first.get(0).message()).doesNotContain("intermediate");
    assertThat(codes(later)).containsExactly(CertificateProblemCode.CHAIN_INCOMPLETE);
    assertThat(later.get(0).message()).startsWith("chain certificate #1 (CN=Unrelated CA) is not the issuer of chain"
        + " certificate #0 (CN=Lower CA): that is CN=Root A").contains("right after chain certificate #0");
  }

  @Test
  void noChainForACertificateNotIssuedByItselfIsAWarningNotAProblem() {
    List<Issued> full = chain(KeySpec.EC_P256);
    Issued server = full.get(0);
    Issued selfSigned = server(KeySpec.EC_P256).selfSigned();

    CertificateChecker.Report report = CHECKER.report(bytes(server.pem()), null, bytes(server.privateKeyPem()),
        "api.example.com", CertificateChecker.Inputs.PROPERTIES);

    assertThat(report.problems()).isEmpty();
    assertThat(report.certificate()).isEqualTo(server.certificate());
    assertThat(report.warnings()).extracting(CertificateProblem::input, CertificateProblem::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ChainPem", CertificateProblemCode.CHAIN_NOT_GIVEN));
    assertThat(report.warnings().get(0).message()).isEqualTo("no chain is given and the certificate"
        + " (CN=api.example.com) is issued by CN=Test Issuing CA, so this check cannot know whether TLS clients get"
        + " that issuer: API Gateway serves only the chain imported with the certificate. If CN=Test Issuing CA is an"
        + " intermediate CA, give its certificate (and any CA above it; the root may be left out) in ChainPem; if it"
        + " is a root CA your clients trust, no chain is needed");
    // The deploy's checks are unchanged: a warning is no problem.
    assertThat(check(server, null, server.privateKeyPem(), "api.example.com")).isEmpty();
    // A self-signed certificate, or a chain given, leaves nothing unknown.
    assertThat(CHECKER.report(bytes(selfSigned.pem()), null, bytes(selfSigned.privateKeyPem()), "api.example.com",
        CertificateChecker.Inputs.PROPERTIES).warnings()).isEmpty();
    assertThat(CHECKER.report(bytes(server.pem()), bytes(full.get(1).pem()), bytes(server.privateKeyPem()),
        "api.example.com", CertificateChecker.Inputs.PROPERTIES).warnings()).isEmpty();
  }

  @Test
  void anEndLineRunningIntoTheNextBeginIsInvalidInTheTruststoreWords() {
    List<Issued> full = chain(KeySpec.EC_P256);
    String glued = full.get(1).pem().stripTrailing() + full.get(2).pem();
    assertThat(glued).contains("-----END CERTIFICATE----------BEGIN CERTIFICATE-----");
    String truststoreMessage = new TruststoreValidator(Clock.fixed(NOW, ZoneOffset.UTC)).validate(bytes(glued))
        .findings().stream().filter(f -> f.code() == FindingCode.PARSE_ERROR).findFirst().orElseThrow().message();

    List<CertificateProblem> problems = check(full.get(0), glued, full.get(0).privateKeyPem(), "api.example.com");

    assertThat(problems).extracting(CertificateProblem::input, CertificateProblem::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ChainPem", CertificateProblemCode.PEM_INVALID));
    assertThat(problems.get(0).message()).isEqualTo("in ChainPem, " + truststoreMessage.replace("API Gateway's",
        "ACM's"));
    assertThat(problems.get(0).message()).startsWith("in ChainPem, PEM block 0 ends on the line where PEM block 1"
        + " begins (-----END CERTIFICATE----------BEGIN CERTIFICATE-----)");
    // In the certificate's input, the second block is read too: it is one certificate too many.
    assertThat(codes(CHECKER.check(bytes(glued), null, bytes(full.get(1).privateKeyPem()), "api.example.com")))
        .contains(CertificateProblemCode.NOT_ONE_CERTIFICATE, CertificateProblemCode.PEM_INVALID);
  }

  @Test
  void aCertificateOnOneLineIsInvalidInTheTruststoreWords() {
    Issued server = server(KeySpec.EC_P256).selfSigned();
    String oneLine = server.pem().strip().replace("\n", "\\n"); // as pasted into a JSON value

    List<CertificateProblem> problems = CHECKER.check(bytes(oneLine), null, bytes(server.privateKeyPem()),
        "api.example.com");

    assertThat(codes(problems)).containsExactly(CertificateProblemCode.PEM_INVALID);
    assertThat(problems.get(0).message()).startsWith("in CertificatePem, PEM block 0 (CERTIFICATE) is all on one"
        + " line: its line breaks are missing, replaced by literal \\n sequences");
  }

  @Test
  void inputsAreNamedAsTheCallerSays() {
    List<Issued> full = chain(KeySpec.EC_P256);
    Issued server = full.get(0);
    CertificateChecker.Inputs options = new CertificateChecker.Inputs("--cert", "--chain", "--key", "--domain");

    CertificateChecker.Report report = CHECKER.report(bytes(server.pem() + full.get(1).pem()),
        bytes(server.pem()), bytes(full.get(1).privateKeyPem()), "other.example.com", options);

    assertThat(report.problems()).extracting(CertificateProblem::input)
        .containsExactly("--cert", "--key", "--chain", "--domain");
    assertThat(report.problems()).extracting(CertificateProblem::message).containsExactly(
        "--cert holds 2 certificates; put only the server certificate (CN=api.example.com) there and its issuers,"
            + " in order, in --chain",
        report.problems().get(1).message(),
        "--chain starts with the server certificate itself; remove it from --chain (it belongs in --cert only)",
        "the certificate does not cover other.example.com: its DNS subjectAltNames are api.example.com; a wildcard"
            + " covers exactly one leftmost label. Get a certificate with other.example.com in its subjectAltName,"
            + " or set --domain to a name it covers");
    assertThat(CHECKER.report(bytes(server.pem()), null, bytes(server.privateKeyPem()), "API.example.com", options)
        .problems().get(0).message()).startsWith("--domain 'API.example.com' has upper case letters")
        .endsWith("as the template's DomainName parameter requires");
    for (CertificateProblem problem : report.problems()) {
      assertThat(problem.message()).doesNotContain("CertificatePem", "ChainPem", "PrivateKey");
    }
  }

  @Test
  void aMatchingKeyOnACurveTheJdkCannotSignOnIsOnlyUnsupported() {
    for (String curve : List.of("secp256k1", "brainpoolP256r1")) {
      Issued server = server(KeySpec.ec(curve)).selfSigned();
      Issued other = server(KeySpec.ec(curve)).selfSigned();

      List<CertificateProblem> matching = check(server, null, server.privateKeyPem(), "api.example.com");
      List<CertificateProblem> mismatched = check(server, null, other.privateKeyPem(), "api.example.com");

      assertThat(codes(matching)).as(curve).containsExactly(CertificateProblemCode.KEY_TYPE_UNSUPPORTED);
      assertThat(matching.get(0).message()).as(curve).startsWith("the certificate's key is EC " + curve + ";");
      assertThat(codes(mismatched)).as(curve)
          .containsExactly(CertificateProblemCode.KEY_TYPE_UNSUPPORTED, CertificateProblemCode.KEY_MISMATCH);
      assertThat(mismatched.get(1).message()).as(curve).contains("the key's public point or curve differs");
      // Same point, other curve: a P-256 key is no secp256k1 key.
      assertThat(codes(check(server, null, server(KeySpec.EC_P256).selfSigned().privateKeyPem(), "api.example.com")))
          .as(curve).contains(CertificateProblemCode.KEY_MISMATCH);
    }
  }

  @Test
  void aLinkNotSignedByTheNextIsRefused() {
    Issued root = PKI.certificate("CN=Root").selfSigned();
    Issued impostor = PKI.certificate("CN=Root").selfSigned(); // same name, another key
    Issued server = server(KeySpec.EC_P256).issuedBy(root);

    assertThat(codes(check(server, impostor.pem(), server.privateKeyPem(), "api.example.com")))
        .containsExactly(CertificateProblemCode.CHAIN_BAD_SIGNATURE);
  }

  @Test
  void wildcardsCoverExactlyOneLeftmostLabel() {
    List<Issued> wildcard = chain(KeySpec.EC_P256, "*.example.com");

    assertThat(check(wildcard, "a.example.com")).isEmpty();
    assertThat(codes(check(wildcard, "example.com"))).containsExactly(CertificateProblemCode.DOMAIN_NOT_COVERED);
    assertThat(codes(check(wildcard, "a.b.example.com")))
        .containsExactly(CertificateProblemCode.DOMAIN_NOT_COVERED);
    // The template's DomainName takes no wildcard.
    assertThat(codes(check(wildcard, "*.example.com"))).containsExactly(CertificateProblemCode.DOMAIN_NAME_INVALID);
    assertThat(check(wildcard, "").get(0).code()).isEqualTo(CertificateProblemCode.DOMAIN_NAME_INVALID);
  }

  @Test
  void exactNamesMatchIgnoringCaseAndTheCnIsNotUsed() {
    List<Issued> exact = chain(KeySpec.EC_P256, "www.example.com", "API.example.com");
    assertThat(check(exact, "api.example.com")).isEmpty();
    List<CertificateProblem> other = check(exact, "other.example.com");
    assertThat(codes(other)).containsExactly(CertificateProblemCode.DOMAIN_NOT_COVERED);
    assertThat(other.get(0).input()).isEqualTo("DomainName");
    assertThat(other.get(0).message()).contains("www.example.com, API.example.com");

    // CN=api.example.com, SAN only www.example.com: not covered.
    List<Issued> cnOnly = chain(KeySpec.EC_P256, "www.example.com");
    assertThat(codes(check(cnOnly, "api.example.com"))).containsExactly(CertificateProblemCode.DOMAIN_NOT_COVERED);
  }

  @Test
  void domainNamesTheTemplateRefusesAreInvalidNotUncovered() {
    List<Issued> good = chain(KeySpec.EC_P256, "api.example.com", "*.example.com", "localhost", "1.2.3.4");
    Map<String, String> invalid = new java.util.LinkedHashMap<>();
    invalid.put("https://api.example.com/", "is a URL");
    invalid.put("api.example.com:443", "has a port");
    invalid.put("1.2.3.4", "is an IP address");
    invalid.put("2001:db8::1", "is an IP address");
    invalid.put("localhost", "is a single label");
    invalid.put("api.example.com.", "ends with a dot");
    invalid.put("-api.example.com", "starts or ends with a hyphen");
    invalid.put("api-.example.com", "starts or ends with a hyphen");
    invalid.put("my_api.example.com", "has an underscore");
    invalid.put("*.example.com", "is a wildcard");
    invalid.put("API.example.com", "use lower case (api.example.com), as the template's DomainName parameter"
        + " requires");
    invalid.put("api..example.com", "has an empty label");
    invalid.put("api.example.c", "is not a fully qualified domain name");
    invalid.put("a".repeat(64) + ".example.com", "longer than 63");
    invalid.put(" api.example.com", "holds spaces");
    invalid.put("bücher.example.com", "xn--");
    invalid.forEach((name, why) -> {
      List<CertificateProblem> problems = check(good, name);
      assertThat(codes(problems)).as(name).containsExactly(CertificateProblemCode.DOMAIN_NAME_INVALID);
      assertThat(problems.get(0).input()).isEqualTo("DomainName");
      assertThat(problems.get(0).message()).as(name).contains(why);
    });
    // Without a usable certificate, too.
    assertThat(codes(CHECKER.check(bytes("garbage"), null, bytes(good.get(0).privateKeyPem()), "localhost")))
        .containsExactly(CertificateProblemCode.PEM_INVALID, CertificateProblemCode.DOMAIN_NAME_INVALID);
    // What the template's DomainName pattern takes.
    for (String name : List.of("api.example.com", "mtls-1.eu.example.co.uk", "a.example.com", "xn--bcher-kva.example.com")) {
      assertThat(CertificateChecker.domainNameProblem(name, "DomainName")).as(name).isNull();
    }
  }

  @Test
  void keyMessagesNameAPlaceholderFileNotTheProperty() {
    Issued server = server(KeySpec.EC_P256).selfSigned();
    String corrupt = server.privateKeyPem().replace("BEGIN PRIVATE KEY", "BEGIN DSA PRIVATE KEY")
        .replace("END PRIVATE KEY", "END DSA PRIVATE KEY");
    for (String key : List.of(corrupt, "not pem", server.pem())) {
      List<CertificateProblem> problems = CHECKER.report(bytes(server.pem()), null, bytes(key), "api.example.com",
          CertificateChecker.Inputs.PROPERTIES.withKey("PrivateKeySecretArn")).problems();
      assertThat(problems).as(key).isNotEmpty();
      for (CertificateProblem problem : problems) {
        assertThat(problem.message()).doesNotContain("-in PrivateKey").doesNotContain("--key");
      }
      assertThat(problems.get(0).message()).startsWith("PrivateKeySecretArn");
    }
    assertThat(CHECKER.check(bytes(server.pem()), null, bytes(corrupt), "api.example.com").get(0).message())
        .contains("`openssl pkey -in key.pem -out plain.pem`");
    assertThat(CHECKER.check(bytes(server.pem()), null, bytes("not pem"), "api.example.com").get(0).message())
        .contains("`openssl pkey -inform DER -in key.der -out key.pem`");
  }

  @Test
  void coverageRules() {
    assertThat(CertificateChecker.covers("*.example.com", "a.example.com")).isTrue();
    assertThat(CertificateChecker.covers("*.example.com", "example.com")).isFalse();
    assertThat(CertificateChecker.covers("*.example.com", "a.b.example.com")).isFalse();
    assertThat(CertificateChecker.covers("*.com", "example.com")).isFalse();
    assertThat(CertificateChecker.covers("a.*.example.com", "a.b.example.com")).isFalse();
    assertThat(CertificateChecker.covers("f*.example.com", "foo.example.com")).isFalse();
    assertThat(CertificateChecker.covers("Api.Example.com.", "api.example.com")).isTrue();
  }

  @Test
  void aClientAuthOnlyCertificateIsRefused() {
    Issued client = server(KeySpec.EC_P256).extendedKeyUsage(KeyPurposeId.id_kp_clientAuth).selfSigned();

    List<CertificateProblem> problems = check(client, null, client.privateKeyPem(), "api.example.com");

    assertThat(codes(problems)).containsExactly(CertificateProblemCode.NO_SERVER_AUTH);
    assertThat(problems.get(0).message()).contains("clientAuth");
  }

  @Test
  void keyUsageMustFitTheKeyType() {
    Issued ecEncipherOnly = server(KeySpec.EC_P256).keyUsage(KeyUsage.keyEncipherment).selfSigned();
    Issued rsaEncipherOnly = server(KeySpec.RSA_2048).keyUsage(KeyUsage.keyEncipherment).selfSigned();
    Issued noExtensions = server(KeySpec.EC_P256).keyUsage(0).selfSigned();

    assertThat(codes(check(ecEncipherOnly, null, ecEncipherOnly.privateKeyPem(), "api.example.com")))
        .containsExactly(CertificateProblemCode.KEY_USAGE_NOT_SERVER);
    assertThat(check(rsaEncipherOnly, null, rsaEncipherOnly.privateKeyPem(), "api.example.com")).isEmpty();
    assertThat(check(noExtensions, null, noExtensions.privateKeyPem(), "api.example.com")).isEmpty();
  }

  @Test
  void unparseableInputsAreNamed() {
    Issued server = server(KeySpec.EC_P256).selfSigned();

    List<CertificateProblem> problems = CHECKER.check(bytes("garbage"), bytes(server.privateKeyPem()),
        bytes("not a key"), "api.example.com");

    assertThat(problems).extracting(CertificateProblem::input).containsExactly("CertificatePem", "PrivateKey",
        "ChainPem");
    assertThat(codes(problems)).containsOnly(CertificateProblemCode.PEM_INVALID);
    assertNoKeyLine(problems, server.privateKeyPem());
  }

  @Test
  void pkcs1AndSec1KeysAreRead() {
    Issued rsa = server(KeySpec.RSA_2048).selfSigned();
    Issued ec = server(KeySpec.EC_P384).selfSigned();

    assertThat(check(rsa, null, TestPki.pem("RSA PRIVATE KEY", inner(rsa.keyPair())), "api.example.com")).isEmpty();
    assertThat(check(ec, null, TestPki.pem("EC PRIVATE KEY", inner(ec.keyPair())), "api.example.com")).isEmpty();
  }

  @Test
  void noMessageEverHoldsALineOfTheKey() {
    Issued server = server(KeySpec.RSA_2048).keyUsage(KeyUsage.keyCertSign)
        .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth).validity(NOW.minus(Duration.ofDays(9)), NOW.minusSeconds(9))
        .selfSigned();
    String key = server.privateKeyPem();
    String wrong = server(KeySpec.RSA_2048).selfSigned().privateKeyPem();
    // Every key line in every input, and in a corrupted key.
    String corrupt = key.replace("\n-----END", "!!\n-----END");

    for (String k : List.of(key, wrong, corrupt, key.replace("BEGIN PRIVATE", "BEGIN FUNNY PRIVATE"))) {
      List<CertificateProblem> problems = CHECKER.check(bytes(server.pem() + k), bytes(k), bytes(k), "x.example.com");
      assertThat(problems).isNotEmpty();
      assertNoKeyLine(problems, k);
    }
  }

  static void assertNoKeyLine(List<CertificateProblem> problems, String key) {
    List<String> lines = Arrays.stream(key.split("\n")).filter(l -> !l.startsWith("-----") && l.length() > 8)
        .toList();
    for (CertificateProblem problem : problems) {
      for (String line : lines) {
        assertThat(problem.message()).doesNotContain(line);
      }
    }
  }

  private static byte[] inner(KeyPair pair) {
    return PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()).getPrivateKey().getOctets();
  }

  private static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject((org.bouncycastle.util.io.pem.PemObjectGenerator) object);
    }
    return out.toString();
  }
}
