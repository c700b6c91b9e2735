package com.mtlsgateway.truststore;

import static com.mtlsgateway.truststore.TruststoreFixtures.PKI;
import static com.mtlsgateway.truststore.TruststoreFixtures.findings;
import static com.mtlsgateway.truststore.TruststoreFixtures.only;
import static com.mtlsgateway.truststore.TruststoreFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules relating certificates to each other: issuers, signatures, depth, duplicates, subject conflicts. */
class TruststoreValidatorChainTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void chainsOfOneToFourCasAreClean(int levels) {
    List<TestPki.Issued> chain = PKI.chain("Clean", levels);

    ValidationReport report = validate(chain);

    assertThat(report.findings()).isEmpty();
    assertThat(report.certificateCount()).isEqualTo(levels);
    assertThat(report.valid(false)).isTrue();
  }

  @Test
  void fiveCasAreTooDeepOnTheFifthOnly() {
    ValidationReport report = validate(PKI.chain("Deep", 5));

    assertThat(findings(report)).containsExactly("CHAIN_TOO_DEEP@4");
    Finding tooDeep = only(report, FindingCode.CHAIN_TOO_DEEP);
    assertThat(tooDeep.certificate().subject()).isEqualTo("CN=Deep CA 5");
    assertThat(tooDeep.message()).startsWith("Certificate 4 is CA number 5 from its root down (root: certificate 0)")
        .contains("at most 4 (a root and three intermediates)");
  }

  @Test
  void depthDoesNotDependOnTheOrderOfTheBundle() {
    List<TestPki.Issued> reversed = new ArrayList<>(PKI.chain("Reversed", 6));
    Collections.reverse(reversed);

    ValidationReport report = validate(reversed);

    // CA 6 sits at index 0 and CA 5 at index 1; the root is at index 5.
    assertThat(findings(report)).containsExactly("CHAIN_TOO_DEEP@0", "CHAIN_TOO_DEEP@1");
    assertThat(report.findings().get(0).message()).startsWith("Certificate 0 is CA number 6 from its root down (root:"
        + " certificate 5)");
  }

  @Test
  void rsaChainOfThreeIsClean() {
    assertThat(validate(PKI.chain("RSA", 3, KeySpec.RSA_2048)).findings()).isEmpty();
  }

  @Test
  void chainWithoutKeyIdentifiersIsClean() {
    TestPki.Issued root = PKI.certificate("CN=Old Style Root").withoutKeyIdentifiers().selfSigned();
    TestPki.Issued ca = PKI.certificate("CN=Old Style CA").withoutKeyIdentifiers().issuedBy(root);

    assertThat(validate(ca, root).findings()).isEmpty();
  }

  @Test
  void intermediateWithoutItsRootIsChainIncomplete() {
    List<TestPki.Issued> chain = PKI.chain("Partial", 3);

    ValidationReport report = validate(chain.get(1), chain.get(2));

    assertThat(findings(report)).containsExactly("CHAIN_INCOMPLETE@0");
    assertThat(only(report, FindingCode.CHAIN_INCOMPLETE).message())
        .isEqualTo("Certificate 0 is issued by CN=Partial CA 1, which is not in the bundle: add that issuer's"
            + " certificate and its own issuers up to the root, since API Gateway needs each chain complete.");
  }

  @Test
  void issuerNameThatMatchesNoCertificateIsChainIncompleteEvenIfTheKeyWouldVerify() {
    TestPki.Issued root = PKI.certificate("CN=Real Root").selfSigned();
    TestPki.Issued ca = PKI.certificate("CN=Misnamed CA").issuerName("CN=Imaginary Root").issuedBy(root);

    assertThat(findings(validate(root, ca))).containsExactly("CHAIN_INCOMPLETE@1");
  }

  @Test
  void intermediateSignedByAnotherKeyIsBadSignature() {
    TestPki.Issued root = PKI.certificate("CN=Honest Root").selfSigned();
    KeyPair impostor = KeySpec.EC_P256.generate();
    TestPki.Issued forged = PKI.certificate("CN=Forged CA").signingKey(impostor).issuedBy(root);

    ValidationReport report = validate(root, forged);

    assertThat(findings(report)).containsExactly("BAD_SIGNATURE@1");
    assertThat(only(report, FindingCode.BAD_SIGNATURE).message())
        .startsWith("Certificate 1 is issued by CN=Honest Root, but the key of no certificate with that name"
            + " (certificate 0) verifies its signature (")
        .contains("add the CA certificate whose key signed this one");
  }

  @Test
  void selfSignedRootWhoseSignatureDoesNotVerifyIsBadSignature() {
    TestPki.Issued root = PKI.certificate("CN=Tampered Root").signingKey(KeySpec.EC_P256.generate()).selfSigned();

    ValidationReport report = validate(root);

    assertThat(findings(report)).containsExactly("BAD_SIGNATURE@0");
    assertThat(only(report, FindingCode.BAD_SIGNATURE).message())
        .contains("names itself as issuer, but its own key does not verify its signature")
        .contains("fresh copy from the CA");
  }

  @Test
  void reKeyedRootWithTheSameNameIsBadSignatureNamingTheAuthorityKeyId() throws Exception {
    TestPki.Issued oldRoot = PKI.certificate("CN=Rekeyed Root").selfSigned();
    TestPki.Issued newRoot = PKI.certificate("CN=Rekeyed Root").selfSigned();
    TestPki.Issued ca = PKI.certificate("CN=Rekeyed Issuing CA").issuedBy(newRoot);
    String newKeyId = HexFormat.of().formatHex(new JcaX509ExtensionUtils()
        .createSubjectKeyIdentifier(newRoot.keyPair().getPublic()).getKeyIdentifier());

    ValidationReport report = validate(oldRoot, ca);

    assertThat(findings(report)).containsExactly("BAD_SIGNATURE@1");
    assertThat(only(report, FindingCode.BAD_SIGNATURE).message()).contains("it names authority key id " + newKeyId)
        .contains("another generation of that CA");
  }

  @Test
  void bothGenerationsOfARootLetTheRightOneBeFound() {
    TestPki.Issued oldRoot = PKI.certificate("CN=Two Generations Root").selfSigned();
    TestPki.Issued newRoot = PKI.certificate("CN=Two Generations Root").selfSigned();
    TestPki.Issued underOld = PKI.certificate("CN=Under Old").issuedBy(oldRoot);
    TestPki.Issued underNew = PKI.certificate("CN=Under New").issuedBy(newRoot);

    ValidationReport report = validate(oldRoot, newRoot, underNew, underOld);

    assertThat(report.findings()).isEmpty();
  }

  @Test
  void sameCertificateTwiceIsDuplicateOnTheLaterCopyOnly() {
    List<TestPki.Issued> chain = PKI.chain("Twice", 2);

    ValidationReport report = validate(chain.get(0), chain.get(1), chain.get(0));

    assertThat(findings(report)).containsExactly("DUPLICATE@2");
    assertThat(only(report, FindingCode.DUPLICATE).message())
        .isEqualTo("Certificate 2 is identical to certificate 0: remove this copy.");
    assertThat(report.certificateCount()).isEqualTo(3);
  }

  @Test
  void aDuplicatedExpiredCertificateIsReportedExpiredOnce() {
    TestPki.Issued expired = PKI.certificate("CN=Expired Twice")
        .validity(PKI.now().minus(Duration.ofDays(90)), PKI.now().minus(Duration.ofDays(1))).selfSigned();

    ValidationReport report = validate(expired, expired);

    assertThat(findings(report)).containsExactly("EXPIRED@0", "DUPLICATE@1");
  }

  @Test
  void sameSubjectFromTwoIssuersIsSubjectConflictOnTheLaterOne() {
    TestPki.Issued rootA = PKI.certificate("CN=Root A").selfSigned();
    TestPki.Issued rootB = PKI.certificate("CN=Root B").selfSigned();
    KeyPair sharedCaKey = KeySpec.EC_P256.generate();
    TestPki.Issued fromA = PKI.certificate("CN=Cross Signed CA").key(sharedCaKey).issuedBy(rootA);
    TestPki.Issued fromB = PKI.certificate("CN=Cross Signed CA").key(sharedCaKey).issuedBy(rootB);

    ValidationReport report = validate(rootA, rootB, fromA, fromB);

    assertThat(findings(report)).containsExactly("SUBJECT_CONFLICT@3");
    Finding conflict = only(report, FindingCode.SUBJECT_CONFLICT);
    assertThat(conflict.severity()).isEqualTo(Severity.ERROR);
    assertThat(conflict.message()).isEqualTo("Certificate 3 has the same subject as certificate 2 but another issuer"
        + " (CN=Root B here, CN=Root A there); API Gateway allows one issuer per subject: keep only one of them,"
        + " usually the self-signed root rather than its cross-signed copy.");
    assertThat(report.valid(true)).isFalse();
  }

  @Test
  void subjectsAreComparedCanonically() {
    TestPki.Issued root = PKI.certificate("CN=Case Root,O=Example").selfSigned();
    TestPki.Issued other = PKI.certificate("CN=Other Root").selfSigned();
    TestPki.Issued ca = PKI.certificate("CN=Case CA").issuedBy(root);
    TestPki.Issued sameNameOtherCase = PKI.certificate("cn=case ca").issuedBy(other);

    assertThat(findings(validate(root, other, ca, sameNameOtherCase))).containsExactly("SUBJECT_CONFLICT@3");
  }

  @Test
  void sameSubjectSameIssuerIsNoConflict() {
    TestPki.Issued root = PKI.certificate("CN=Renewing Root").selfSigned();
    TestPki.Issued first = PKI.certificate("CN=Renewed CA").issuedBy(root);
    TestPki.Issued renewed = PKI.certificate("CN=Renewed CA").issuedBy(root);

    assertThat(validate(root, first, renewed).findings()).isEmpty();
  }

  @Test
  void mutuallyCrossSignedCasFindEachOtherAndTheDepthWalkEnds() {
    KeyPair keyA = KeySpec.EC_P256.generate();
    KeyPair keyB = KeySpec.EC_P256.generate();
    TestPki.Issued signerA = PKI.certificate("CN=Loop A").key(keyA).selfSigned();
    TestPki.Issued signerB = PKI.certificate("CN=Loop B").key(keyB).selfSigned();
    TestPki.Issued aByB = PKI.certificate("CN=Loop A").key(keyA).issuedBy(signerB);
    TestPki.Issued bByA = PKI.certificate("CN=Loop B").key(keyB).issuedBy(signerA);

    ValidationReport report = validate(aByB, bByA);

    assertThat(report.findings()).extracting(Finding::code)
        .doesNotContain(FindingCode.CHAIN_INCOMPLETE, FindingCode.BAD_SIGNATURE, FindingCode.CHAIN_TOO_DEEP);
  }
}
