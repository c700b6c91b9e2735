package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.crypto.CertificateSignatures;
import com.mtlsgateway.crypto.KeyIdentifiers;
import com.mtlsgateway.testing.TestCrl;
import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import com.mtlsgateway.truststore.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CrlCheckerTest {

  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String SOURCE = "s3://crl-bucket/ca.crl";
  private static final ASN1ObjectIdentifier UNKNOWN = new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1");

  private final TestPki pki = TestPki.at(NOW);
  private final CrlChecker checker = new CrlChecker(Clock.fixed(NOW, ZoneOffset.UTC));
  private final Issued ca = pki.certificate("CN=Issuing CA,O=Example").selfSigned();

  private CrlReport check(List<Issued> truststore, byte[]... crls) {
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (int i = 0; i < crls.length; i++) {
      inputs.add(new CrlChecker.Input(i == 0 ? SOURCE : "s3://crl-bucket/" + i + ".crl", crls[i]));
    }
    return checker.check(truststore.stream().map(Issued::certificate).toList(), inputs);
  }

  @Test
  void aTruststoreFileHoldingAKeyIsNamedAsSuchWithoutItsContents() {
    String key = ca.privateKeyPem();
    byte[] bundle = (TestPki.bundle(ca) + key).getBytes(StandardCharsets.US_ASCII);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CrlChecker.truststore(bundle))
        .isInstanceOf(java.security.cert.CertificateException.class)
        .hasMessageStartingWith("PEM block 1 is ")
        .hasMessageContaining("PRIVATE KEY, not a CERTIFICATE: a truststore bundle holds only CA certificates")
        .hasMessageNotContaining(key.lines().skip(1).findFirst().orElseThrow());
  }

  private CrlReport check(byte[] crl) {
    return check(List.of(ca), crl);
  }

  /** The only finding of the report, which must have {@code code} and be about {@link #SOURCE}. */
  private static CrlFinding single(CrlReport report, CrlProblemCode code) {
    assertThat(report.findings()).extracting(CrlFinding::code).containsExactly(code);
    return first(report, code);
  }

  /**
   * The first finding of a CRL whose CA is not known (unreadable, or no CA of its name verifies it): that CA is then
   * also one without a CRL.
   */
  private static CrlFinding unattributed(CrlReport report, CrlProblemCode code) {
    assertThat(report.findings()).extracting(CrlFinding::code).containsExactly(code, CrlProblemCode.CA_WITHOUT_CRL);
    return first(report, code);
  }

  private static CrlFinding first(CrlReport report, CrlProblemCode code) {
    CrlFinding finding = report.findings().get(0);
    assertThat(finding.source()).isEqualTo(SOURCE);
    assertThat(CrlFindings.describe(finding)).startsWith(code.name() + " " + SOURCE + ": ");
    assertThat(report.valid()).isEqualTo(code.severity() != Severity.ERROR);
    return finding;
  }

  @Test
  void aValidCrlGivesTheIndexEntryOfItsCa() {
    Issued other = pki.certificate("CN=Other CA").key(KeySpec.RSA_2048).selfSigned();
    byte[] crl = TestCrl.by(ca, NOW).thisUpdate(NOW.minusSeconds(3600)).nextUpdate(NOW.plus(Duration.ofDays(2)))
        .number(BigInteger.valueOf(42)).revoke(BigInteger.valueOf(5), BigInteger.valueOf(0x80),
            new BigInteger("123456789012345678901234567890")).der();

    CrlReport report = check(List.of(ca, other, ca), crl);

    assertThat(report.findings()).extracting(CrlFinding::code).containsExactly(CrlProblemCode.CA_WITHOUT_CRL);
    assertThat(report.valid()).isTrue();
    assertThat(report.issuers()).hasSize(2); // the duplicate CA once
    IssuerEntry entry = report.issuers().get(0);
    assertThat(entry.subject()).isEqualTo(ca.certificate().getSubjectX500Principal().getEncoded());
    assertThat(entry.keyId()).isEqualTo(KeyIdentifiers.subject(ca.certificate()));
    IssuerEntry.Crl c = entry.crl();
    assertThat(c.source()).isEqualTo(SOURCE);
    assertThat(c.thisUpdate()).isEqualTo(NOW.minusSeconds(3600));
    assertThat(c.nextUpdate()).isEqualTo(NOW.plus(Duration.ofDays(2)));
    assertThat(c.number()).isEqualTo(BigInteger.valueOf(42));
    assertThat(c.serials()).extracting(BigInteger::new).containsExactlyInAnyOrder(BigInteger.valueOf(5),
        BigInteger.valueOf(0x80), new BigInteger("123456789012345678901234567890"));
    assertThat(c.serials()).anySatisfy(s -> assertThat(s).containsExactly(0x00, 0x80));
    assertThat(report.issuers().get(1).crl()).isNull();
    assertThat(report.revokedCount()).isEqualTo(3);
    assertThat(report.earliestNextUpdate()).contains(NOW.plus(Duration.ofDays(2)));
    assertThat(report.summary()).isEqualTo("1 INFO: CA_WITHOUT_CRL x1");
  }

  @Test
  void aCrlWithoutEntriesOrNumberIsValid() {
    CrlReport report = check(TestCrl.by(ca, NOW).number(null).der());

    assertThat(report.findings()).isEmpty();
    assertThat(report.summary()).isEqualTo("no findings");
    assertThat(report.issuers().get(0).crl().serials()).isEmpty();
    assertThat(report.issuers().get(0).crl().number()).isNull();
  }

  @Test
  void pemAndDerReadAlike() {
    TestCrl crl = TestCrl.by(ca, NOW).revoke(BigInteger.TEN);
    byte[] der = crl.der();
    byte[] pem = TestPki.pem("X509 CRL", der).getBytes(StandardCharsets.US_ASCII);

    IssuerEntry.Crl fromDer = check(der).issuers().get(0).crl();
    IssuerEntry.Crl fromPem = check(pem).issuers().get(0).crl();

    assertThat(fromPem.serials()).singleElement().isEqualTo(new byte[] {10});
    assertThat(fromDer.serials()).singleElement().isEqualTo(new byte[] {10});
    assertThat(fromPem.nextUpdate()).isEqualTo(fromDer.nextUpdate());
  }

  @Test
  void theSameSerialFromTwoCasIsRevokedOnlyForTheCaWhoseCrlListsIt() {
    Issued second = pki.certificate("CN=Second CA").selfSigned();
    BigInteger serial = BigInteger.valueOf(1001);
    CrlReport report = check(List.of(ca, second), TestCrl.by(ca, NOW).revoke(serial).der(),
        TestCrl.by(second, NOW).revoke(BigInteger.valueOf(7)).der());
    assertThat(report.findings()).isEmpty();

    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(report.issuers()));
    ClientCertificate revoked = ClientCertificate.fromDer(TestCrl.client(ca, NOW, serial).der());
    ClientCertificate notRevoked = ClientCertificate.fromDer(TestCrl.client(second, NOW, serial).der());

    RevocationIndex.Result r1 = index.check(revoked, NOW, Duration.ofHours(24));
    RevocationIndex.Result r2 = index.check(notRevoked, NOW, Duration.ofHours(24));
    assertThat(r1.check()).isEqualTo(RevocationCheck.REVOKED);
    assertThat(r1.issuer().subjectName()).isEqualTo("CN=Issuing CA,O=Example");
    assertThat(r2.check()).isEqualTo(RevocationCheck.NOT_REVOKED);
    assertThat(r2.issuer().subjectName()).isEqualTo("CN=Second CA");
  }

  @Test
  void anExpiredCrlIsRefused() {
    Instant nextUpdate = NOW.minusSeconds(1);
    CrlFinding finding = single(check(TestCrl.by(ca, NOW).nextUpdate(nextUpdate).der()),
        CrlProblemCode.CRL_EXPIRED);

    assertThat(finding.ca()).isEqualTo("CN=Issuing CA,O=Example");
    assertThat(finding.message()).isEqualTo("expired: its nextUpdate 2029-12-31T23:59:59Z is past, so a newer CRL "
        + "should exist: point RevocationListUris at the CA's current CRL, or have the CA publish one");
  }

  @Test
  void aCrlWhoseNextUpdateIsNowHasExpired() {
    single(check(TestCrl.by(ca, NOW).nextUpdate(NOW).der()), CrlProblemCode.CRL_EXPIRED);
    assertThat(check(TestCrl.by(ca, NOW).nextUpdate(NOW.plusSeconds(1)).der()).findings()).isEmpty();
  }

  @Test
  void aCrlWithoutNextUpdateIsRefused() {
    CrlReport report = check(TestCrl.by(ca, NOW).nextUpdate(null).der());

    assertThat(single(report, CrlProblemCode.CRL_NO_NEXT_UPDATE).message()).isEqualTo("has no nextUpdate, so its "
        + "staleness cannot be judged (RFC 5280 5.1.2.5 requires one): configure the CA to set it");
    assertThat(report.issuers().get(0).crl()).isNull();
  }

  @Test
  void aThisUpdateMoreThanFiveMinutesAheadIsRefused() {
    CrlFinding finding = single(check(TestCrl.by(ca, NOW).thisUpdate(NOW.plusSeconds(301)).der()),
        CrlProblemCode.CRL_NOT_YET_VALID);

    assertThat(finding.message()).isEqualTo("has thisUpdate 2030-01-01T00:05:01Z, in the future (now "
        + "2030-01-01T00:00:00Z): check the CA's clock, or that this is the CRL it publishes");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 240, 300})
  void aThisUpdateUpToFiveMinutesAheadIsAccepted(int seconds) {
    CrlReport report = check(TestCrl.by(ca, NOW).thisUpdate(NOW.plusSeconds(seconds)).der());

    assertThat(report.findings()).isEmpty();
    assertThat(report.issuers().get(0).crl().thisUpdate()).isEqualTo(NOW.plusSeconds(seconds));
  }

  @Test
  void aCrlSignedByAnotherKeyOfTheSameNameIsRefused() {
    Issued impostor = pki.certificate("CN=Issuing CA,O=Example").selfSigned();
    CrlReport report = check(TestCrl.by(ca, NOW).signingKey(impostor.keyPair()).der());

    assertThat(unattributed(report, CrlProblemCode.CRL_BAD_SIGNATURE).message()).isEqualTo("does not verify with the key "
        + "of the truststore CA CN=Issuing CA,O=Example: the signature does not match that key; it was signed by "
        + "another key (a different CA of the same name, or the CA's previous key): fetch the CRL the "
        + "truststore's CA publishes now");
    assertThat(report.issuers().get(0).crl()).isNull();
  }

  @Test
  void amongCasOfTheSameNameTheOneWhoseKeyVerifiesIsTheIssuer() {
    Issued twin = pki.certificate("CN=Issuing CA,O=Example").selfSigned();
    // Without an authority key identifier every CA of the name is tried.
    CrlReport report = check(List.of(ca, twin), TestCrl.by(twin, NOW).withoutAuthorityKeyIdentifier()
        .revoke(BigInteger.ONE).der());

    assertThat(report.findings()).extracting(CrlFinding::code).containsExactly(CrlProblemCode.CA_WITHOUT_CRL);
    assertThat(report.issuers().get(0).crl()).isNull();
    assertThat(report.issuers().get(1).crl()).isNotNull();
    assertThat(report.issuers().get(1).keyId()).isEqualTo(CrlChecker.keyId(twin.certificate()));
  }

  @Test
  void aCrlSignedByNoneOfSeveralCasOfItsNameSaysHowManyWereTried() {
    Issued twin = pki.certificate("CN=Issuing CA,O=Example").selfSigned();
    Issued impostor = pki.certificate("CN=Issuing CA,O=Example").selfSigned();

    CrlReport report = check(List.of(ca, twin), TestCrl.by(ca, NOW).signingKey(impostor.keyPair()).der());

    assertThat(report.findings()).extracting(CrlFinding::code)
        .containsExactly(CrlProblemCode.CRL_BAD_SIGNATURE, CrlProblemCode.CA_WITHOUT_CRL,
            CrlProblemCode.CA_WITHOUT_CRL);
    assertThat(report.findings().get(0).message()).contains("(2 CAs of that name tried)");
  }

  @Test
  void aCaWhoseKeyUsageLacksCrlSignMayNotSignCrls() {
    Issued noCrlSign = pki.certificate("CN=No CRL Sign").keyUsage(KeyUsage.keyCertSign).selfSigned();

    CrlReport report = check(List.of(noCrlSign), TestCrl.by(noCrlSign, NOW).der());

    CrlFinding finding = single(report, CrlProblemCode.CRL_ISSUER_NOT_CRL_SIGNER);
    assertThat(finding.message()).isEqualTo("is signed by the truststore CA CN=No CRL Sign, whose keyUsage does not "
        + "include cRLSign, so it may not sign CRLs (RFC 5280 4.2.1.3): have the CA re-issued with cRLSign, or use"
        + " the CRL its CRL signer publishes for it");
    assertThat(report.issuers().get(0).crl()).isNull();
  }

  @Test
  void aCaWithoutKeyUsageMaySignCrls() {
    Issued noKeyUsage = pki.certificate("CN=No Key Usage").keyUsage(0).selfSigned();
    assertThat(noKeyUsage.certificate().getKeyUsage()).isNull();

    CrlReport report = check(List.of(noKeyUsage), TestCrl.by(noKeyUsage, NOW).der());

    assertThat(report.findings()).isEmpty();
    assertThat(report.issuers().get(0).crl()).isNotNull();
  }

  @Test
  void aDeltaCrlIsRefused() {
    CrlReport report = check(TestCrl.by(ca, NOW)
        .extension(Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.ONE)).der());

    assertThat(single(report, CrlProblemCode.CRL_DELTA).message()).isEqualTo("is a delta CRL (deltaCRLIndicator): "
        + "it lists only the changes since a base CRL; give the CA's complete CRL instead");
  }

  @Test
  void aPartitionedCrlIsRefused() {
    DistributionPointName name = new DistributionPointName(new GeneralNames(
        new GeneralName(GeneralName.uniformResourceIdentifier, "http://crl.example.com/partition-1.crl")));
    CrlReport report = check(TestCrl.by(ca, NOW).extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(name, false, false, null, false, false)).der());

    assertThat(single(report, CrlProblemCode.CRL_PARTITIONED).message()).isEqualTo("covers only part of the CA's "
        + "certificates (its Issuing Distribution Point has a distributionPoint name): give the CA's complete CRL "
        + "(for AWS Private CA, a COMPLETE rather than PARTITIONED CRL configuration)");
  }

  @Test
  void aCrlOfCaCertificatesOnlyOrSomeReasonsIsPartitioned() {
    CrlReport caCerts = check(TestCrl.by(ca, NOW).extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(null, false, true, null, false, false)).der());
    CrlReport someReasons = check(TestCrl.by(ca, NOW).extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(null, false, false, new ReasonFlags(ReasonFlags.keyCompromise), false,
            false)).der());
    CrlReport attributeCerts = check(TestCrl.by(ca, NOW).extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(null, false, false, null, false, true)).der());

    assertThat(single(caCerts, CrlProblemCode.CRL_PARTITIONED).message()).contains("has onlyContainsCACerts)");
    assertThat(single(someReasons, CrlProblemCode.CRL_PARTITIONED).message()).contains("has onlySomeReasons)");
    assertThat(single(attributeCerts, CrlProblemCode.CRL_PARTITIONED).message())
        .contains("has onlyContainsAttributeCerts)");
  }

  @Test
  void anIssuingDistributionPointWithOnlyContainsUserCertsAloneIsAccepted() {
    CrlReport report = check(TestCrl.by(ca, NOW).revoke(BigInteger.TWO).extension(Extension.issuingDistributionPoint,
        true, new IssuingDistributionPoint(null, true, false, null, false, false)).der());

    assertThat(report.findings()).isEmpty();
    assertThat(report.issuers().get(0).crl().serials()).hasSize(1);
  }

  @Test
  void anIndirectCrlIsRefused() {
    CrlReport report = check(TestCrl.by(ca, NOW).extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(null, false, false, null, true, false)).der());

    assertThat(single(report, CrlProblemCode.CRL_INDIRECT).message()).isEqualTo("is an indirect CRL (indirectCRL): "
        + "it may list other CAs' certificates, which are not told apart here; give each CA's own CRL");
  }

  @Test
  void anEntryForAnotherIssuerIsRefusedAsIndirect() {
    Extensions otherIssuer = new Extensions(new Extension(Extension.certificateIssuer, true,
        encoded(new GeneralNames(new GeneralName(new X500Name("CN=Another CA"))))));
    CrlReport report = check(TestCrl.by(ca, NOW).revoke(BigInteger.ONE).revoke(BigInteger.TWO, otherIssuer)
        .revoke(BigInteger.TEN, otherIssuer).der());

    assertThat(single(report, CrlProblemCode.CRL_INDIRECT).message()).isEqualTo("has entries for certificates of "
        + "another issuer (certificateIssuer): give each CA's own CRL");
  }

  @Test
  void anUnknownCriticalCrlExtensionIsRefused() {
    CrlReport report = check(TestCrl.by(ca, NOW).extension(UNKNOWN, true, new DERUTF8String("x")).der());

    assertThat(single(report, CrlProblemCode.CRL_UNKNOWN_CRITICAL_EXTENSION).message()).isEqualTo("has a critical "
        + "extension 1.3.6.1.4.1.55555.1 in the CRL that is not understood here, and RFC 5280 says to refuse such a "
        + "CRL: have the CA publish a complete CRL without it");
  }

  @Test
  void anUnknownNonCriticalExtensionIsIgnored() {
    assertThat(check(TestCrl.by(ca, NOW).extension(UNKNOWN, false, new DERUTF8String("x")).der()).findings())
        .isEmpty();
  }

  @Test
  void anUnknownCriticalEntryExtensionIsRefusedOnce() {
    Extensions entryExtension = new Extensions(new Extension(UNKNOWN, true, encoded(new DERUTF8String("x"))));
    CrlReport report = check(TestCrl.by(ca, NOW).revoke(BigInteger.ONE, entryExtension)
        .revoke(BigInteger.TWO, entryExtension).der());

    assertThat(single(report, CrlProblemCode.CRL_UNKNOWN_CRITICAL_EXTENSION).message())
        .contains("extension 1.3.6.1.4.1.55555.1 in an entry");
  }

  @Test
  void aCrlNamingDeltaCrlsIsUsedWithAWarning() {
    CRLDistPoint freshest = new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(
        new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
            "http://crl.example.com/delta.crl"))), null, null)});
    CrlReport report = check(TestCrl.by(ca, NOW).revoke(BigInteger.ONE)
        .extension(Extension.freshestCRL, false, freshest).der());

    CrlFinding finding = single(report, CrlProblemCode.CRL_HAS_DELTAS);
    assertThat(finding.code().severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.message()).isEqualTo("names delta CRLs (freshestCRL), which are not read: a revocation "
        + "published only in a delta takes effect with the CA's next complete CRL");
    assertThat(report.valid()).isTrue();
    assertThat(report.issuers().get(0).crl().serials()).hasSize(1);
  }

  @Test
  void twoCrlsOfOneCaAreAmbiguous() {
    CrlReport report = check(List.of(ca), TestCrl.by(ca, NOW).number(BigInteger.ONE).der(),
        TestCrl.by(ca, NOW).number(BigInteger.TWO).der());

    assertThat(report.findings()).extracting(CrlFinding::code)
        .containsExactly(CrlProblemCode.CRL_DUPLICATE_ISSUER, CrlProblemCode.CRL_DUPLICATE_ISSUER);
    assertThat(report.findings()).extracting(CrlFinding::source).containsExactly(SOURCE, "s3://crl-bucket/1.crl");
    assertThat(report.findings().get(0).message()).isEqualTo("is one of 2 CRLs of this CA (" + SOURCE
        + ", s3://crl-bucket/1.crl): which one is current is ambiguous; list only the CA's current complete CRL");
    assertThat(report.valid()).isFalse();
    assertThat(report.issuers().get(0).crl()).isNull();
  }

  @Test
  void aCrlOfACaOutsideTheTruststoreIsRefused() {
    Issued stranger = pki.certificate("CN=Stranger CA").selfSigned();

    CrlReport report = check(List.of(ca), TestCrl.by(stranger, NOW).der());

    assertThat(report.findings()).extracting(CrlFinding::code)
        .containsExactly(CrlProblemCode.CRL_ISSUER_UNKNOWN, CrlProblemCode.CA_WITHOUT_CRL);
    CrlFinding finding = report.findings().get(0);
    assertThat(CrlFindings.describe(finding)).isEqualTo("CRL_ISSUER_UNKNOWN " + SOURCE + ": is issued by "
        + "CN=Stranger CA, which is not a CA of the truststore: add that CA to the truststore, or remove this CRL "
        + "from RevocationListUris");
    assertThat(report.valid()).isFalse();
  }

  @Test
  void aCaWithoutCrlIsReportedForInformation() {
    Issued second = pki.certificate("CN=Second CA").selfSigned();

    CrlReport report = check(List.of(ca, second), TestCrl.by(ca, NOW).der());

    assertThat(report.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(CrlProblemCode.CA_WITHOUT_CRL);
      assertThat(f.code().severity()).isEqualTo(Severity.INFO);
      assertThat(f.source()).isNull();
      assertThat(f.ca()).isEqualTo("CN=Second CA");
      assertThat(CrlFindings.describe(f)).isEqualTo("CA_WITHOUT_CRL CN=Second CA: no CRL was given for this CA: the"
          + " clients it issues are never checked for revocation; add its CRL to RevocationListUris if it issues "
          + "client certificates");
    });
    assertThat(report.valid()).isTrue();
  }

  @Test
  void garbageIsUnreadable() {
    byte[] garbage = new byte[300];
    new Random(1).nextBytes(garbage);
    garbage[0] = 0x30; // looks like a SEQUENCE at first

    CrlFinding finding = unattributed(check(garbage), CrlProblemCode.CRL_UNREADABLE);

    assertThat(finding.ca()).isNull();
    assertThat(finding.message()).isEqualTo("is not a DER or PEM X.509 CRL (it does not parse)");
  }

  @Test
  void anEmptyFileIsUnreadable() {
    assertThat(unattributed(check(new byte[0]), CrlProblemCode.CRL_UNREADABLE).message())
        .isEqualTo("is empty: expected a DER or PEM X.509 CRL");
  }

  @Test
  void aCertificateIsNotACrl() {
    assertThat(unattributed(check(ca.pem().getBytes(StandardCharsets.US_ASCII)), CrlProblemCode.CRL_UNREADABLE).message())
        .isEqualTo("is a certificate, not a CRL: give the CRL the CA publishes (PEM -----BEGIN X509 CRL-----, or "
            + "DER)");
    assertThat(unattributed(check(ca.der()), CrlProblemCode.CRL_UNREADABLE).message())
        .isEqualTo("is not a DER or PEM X.509 CRL (it does not parse)");
  }

  @Test
  void aFileWithTwoCrlsIsUnreadable() {
    String two = TestCrl.by(ca, NOW).pem() + TestCrl.by(ca, NOW).number(BigInteger.TWO).pem();
    assertThat(unattributed(check(two.getBytes(StandardCharsets.US_ASCII)), CrlProblemCode.CRL_UNREADABLE).message())
        .isEqualTo("holds 2 CRLs: give one CRL per location");

    ByteArrayOutputStream der = new ByteArrayOutputStream();
    der.writeBytes(TestCrl.by(ca, NOW).der());
    der.writeBytes(TestCrl.by(ca, NOW).number(BigInteger.TWO).der());
    assertThat(unattributed(check(der.toByteArray()), CrlProblemCode.CRL_UNREADABLE).message())
        .isEqualTo("holds 2 CRLs: give one CRL per location");
  }

  @Test
  void anHtmlPageIsUnreadableAndSaysToCheckTheUrl() {
    byte[] html = "<!DOCTYPE html>\n<html><body>Sign in</body></html>".getBytes(StandardCharsets.UTF_8);

    assertThat(unattributed(check(html), CrlProblemCode.CRL_UNREADABLE).message()).isEqualTo("is not a DER or PEM X.509 "
        + "CRL (it looks like an HTML or XML page: check the URL)");
  }

  @Test
  void eachUnreadableCrlIsReportedAndTheOthersStillChecked() {
    CrlReport report = check(List.of(ca), new byte[0], TestCrl.by(ca, NOW).der());

    assertThat(report.findings()).extracting(CrlFinding::code).containsExactly(CrlProblemCode.CRL_UNREADABLE);
    assertThat(report.issuers().get(0).crl().source()).isEqualTo("s3://crl-bucket/1.crl");
  }

  @Test
  void aCrlWithSeveralProblemsReportsEach() {
    CrlReport report = check(TestCrl.by(ca, NOW).nextUpdate(null).thisUpdate(NOW.plus(Duration.ofHours(1)))
        .extension(Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.ONE)).der());

    assertThat(report.findings()).extracting(CrlFinding::code).containsExactly(CrlProblemCode.CRL_DELTA,
        CrlProblemCode.CRL_NOT_YET_VALID, CrlProblemCode.CRL_NO_NEXT_UPDATE);
    assertThat(report.summary()).isEqualTo("3 ERROR: CRL_NOT_YET_VALID x1, CRL_NO_NEXT_UPDATE x1, CRL_DELTA x1");
    assertThat(CrlFindings.reason(report)).startsWith("The CRLs in RevocationListUris cannot be used (3 ERROR: ")
        .contains("CRL_DELTA " + SOURCE + ": is a delta CRL");
  }

  @Test
  void theReasonJoinsFindingsThatEndInAFullStopCleanly() {
    CrlReport report = new CrlReport(List.of(
        new CrlFinding(CrlProblemCode.CRL_EXPIRED, "s3://b/a.crl", null, "expired on 2020-01-01."),
        new CrlFinding(CrlProblemCode.CRL_DELTA, "s3://b/b.crl", null, "is a delta CRL.")), List.of());

    assertThat(CrlFindings.reason(report)).endsWith(": CRL_EXPIRED s3://b/a.crl: expired on 2020-01-01; "
        + "CRL_DELTA s3://b/b.crl: is a delta CRL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"EC-secp256r1", "EC-secp384r1", "EC-secp521r1", "RSA-2048", "RSA-3072"})
  void casOfEveryAcceptedKeyTypeSignCrls(String key) {
    String[] parts = key.split("-");
    KeySpec spec = parts[0].equals("EC") ? KeySpec.ec(parts[1]) : KeySpec.rsa(Integer.parseInt(parts[1]));
    Issued issuer = pki.certificate("CN=" + key + " CA").key(spec).selfSigned();

    CrlReport report = check(List.of(issuer), TestCrl.by(issuer, NOW).revoke(BigInteger.TEN).der());

    assertThat(report.findings()).isEmpty();
    assertThat(report.issuers().get(0).crl().serials()).hasSize(1);
  }

  @Test
  void aCaOnSecp256k1IsNotTrustedToSignCrls() {
    Issued k1 = pki.certificate("CN=K1 CA").key(KeySpec.ec("secp256k1")).selfSigned();

    CrlReport report = check(List.of(k1), TestCrl.by(k1, NOW).der());

    CrlFinding finding = unattributed(report, CrlProblemCode.CRL_BAD_SIGNATURE);
    assertThat(finding.message()).contains(": " + CertificateSignatures.OTHER_CURVE + ";");
  }

  @Test
  void crlSignaturesAreJudgedLikeCertificateSignatures() throws Exception {
    Issued rsa = pki.certificate("CN=Issuing CA,O=Example").key(KeySpec.RSA_2048).selfSigned();
    Issued k1 = pki.certificate("CN=K1 CA").key(KeySpec.ec("secp256k1")).selfSigned();
    X509CRL crl = parseCrl(TestCrl.by(ca, NOW).der());
    X509CRL k1Crl = parseCrl(TestCrl.by(k1, NOW).der());

    assertThat(CertificateSignatures.failure(crl, ca.certificate().getPublicKey())).isNull();
    assertThat(CertificateSignatures.failure(crl, pki.certificate("CN=x").selfSigned().certificate().getPublicKey()))
        .isEqualTo("the signature does not match that key");
    assertThat(CertificateSignatures.failure(crl, rsa.certificate().getPublicKey()))
        .isEqualTo("it is signed with SHA256withECDSA, which needs an EC key, and that key is RSA");
    assertThat(CertificateSignatures.failure(k1Crl, k1.certificate().getPublicKey()))
        .isEqualTo(CertificateSignatures.OTHER_CURVE);
  }

  private static X509CRL parseCrl(byte[] der) throws Exception {
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }

  @Test
  void aCrlWith100000EntriesIsReadAndEverySerialIsFoundRevoked() {
    Random random = new Random(7);
    List<BigInteger> serials = new ArrayList<>(100_000);
    for (int i = 0; i < 100_000; i++) {
      // Small serials (1 to 3 bytes) and random 16-byte ones, as CAs of both kinds write.
      serials.add(i % 2 == 0 ? BigInteger.valueOf(3L * i + 1) : new BigInteger(127, random).setBit(120));
    }
    CrlReport report = check(TestCrl.by(ca, NOW).revoke(serials).der());
    assertThat(report.findings()).isEmpty();
    assertThat(report.revokedCount()).isEqualTo(100_000);

    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(report.issuers()));
    RevocationIndex.Issuer issuer = index.issuers().get(0);

    assertThat(issuer.revokedCount()).isEqualTo(100_000);
    assertThat(serials).allMatch(s -> issuer.revoked(s.toByteArray()));
    assertThat(issuer.revoked(BigInteger.valueOf(2).toByteArray())).isFalse(); // 3i+1 never is 2
    assertThat(issuer.revoked(BigInteger.valueOf(3L * 100_000 + 1).toByteArray())).isFalse();
    BigInteger listed = serials.get(4_001);
    assertThat(index.check(ClientCertificate.fromDer(TestCrl.client(ca, NOW, listed).der()), NOW, Duration.ZERO)
        .check()).isEqualTo(RevocationCheck.REVOKED);
    assertThat(index.check(ClientCertificate.fromDer(TestCrl.client(ca, NOW, listed.add(BigInteger.ONE)).der()), NOW,
        Duration.ZERO).check()).isEqualTo(RevocationCheck.NOT_REVOKED);
  }

  @Test
  void theKeyIdOfACaWithoutSubjectKeyIdentifierIsTheSha1OfItsKey() throws Exception {
    Issued withoutSki = pki.certificate("CN=Old Root").withoutKeyIdentifiers().selfSigned();
    Issued withSki = pki.certificate("CN=New Root").selfSigned();
    byte[] expected = new JcaX509ExtensionUtils()
        .createSubjectKeyIdentifier(withoutSki.certificate().getPublicKey()).getKeyIdentifier();

    assertThat(CrlChecker.keyId(withoutSki.certificate())).isEqualTo(expected);
    assertThat(CrlChecker.keyId(withSki.certificate()))
        .isEqualTo(KeyIdentifiers.subject(withSki.certificate()));
  }

  private static byte[] encoded(ASN1Encodable value) {
    try {
      return value.toASN1Primitive().getEncoded("DER");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
