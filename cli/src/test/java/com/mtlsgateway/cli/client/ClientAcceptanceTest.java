package com.mtlsgateway.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.testing.TestCrl;
import com.mtlsgateway.testing.TestPki;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClientAcceptance} on real CAs and clients made with BouncyCastle. */
class ClientAcceptanceTest {

  private static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestPki PKI = TestPki.at(NOW);

  private static TestPki.Issued root;
  private static TestPki.Issued intermediate;
  private static TestPki.Issued client;

  @TempDir
  Path dir;

  @BeforeAll
  static void makePki() {
    root = PKI.certificate("CN=Root CA").selfSigned();
    intermediate = PKI.certificate("CN=Issuing CA").issuedBy(root);
    client = PKI.certificate("CN=client").ca(false).issuedBy(intermediate);
  }

  @Test
  void aClientOfATruststoreCaIsAcceptedWithItsPathLeafFirst() throws Exception {
    ClientVerdict verdict = acceptance(TestPki.bundle(root, intermediate)).check(certificates(client));

    assertThat(verdict.accepted()).isTrue();
    assertThat(verdict.problems()).isEmpty();
    assertThat(verdict.pathSubjects()).containsExactly("CN=client", "CN=Issuing CA", "CN=Root CA");
    assertThat(verdict.executionLogReason()).isEmpty();
  }

  @Test
  void anIntermediateOnlyTheClientSendsDoesNotCompleteThePath() throws Exception {
    ClientVerdict verdict = acceptance(TestPki.bundle(root)).check(certificates(client, intermediate));

    assertThat(verdict.accepted()).isFalse();
    assertThat(codes(verdict)).containsExactly("ISSUER_NOT_FOUND");
    assertThat(verdict.problems().get(0).message())
        .startsWith("client certificate 'CN=client': its issuer 'CN=Issuing CA' is not in the truststore")
        .contains("The client sends it (certificate #1 of those it presents)", "add it to the truststore");
    assertThat(verdict.executionLogReason()).isEqualTo("Could not find issuer for certificate");
    assertThat(verdict.pathSubjects()).containsExactly("CN=client");
  }

  @Test
  void aMissingIssuerNamesItAndTheFix() throws Exception {
    ClientVerdict verdict = acceptance(TestPki.bundle(root)).check(certificates(client));

    assertThat(codes(verdict)).containsExactly("ISSUER_NOT_FOUND");
    assertThat(verdict.problems().get(0).message()).contains("add 'CN=Issuing CA', with its issuers up to the root,"
        + " to the truststore");
  }

  @Test
  void aTruststoreCaWithoutItsRootBreaksThePath() throws Exception {
    ClientVerdict verdict = acceptance(TestPki.bundle(intermediate)).check(certificates(client));

    assertThat(codes(verdict)).containsExactly("ISSUER_NOT_FOUND");
    assertThat(verdict.problems().get(0).message())
        .startsWith("truststore CA #0 'CN=Issuing CA': its issuer 'CN=Root CA' is not in the truststore");
    assertThat(verdict.pathSubjects()).containsExactly("CN=client", "CN=Issuing CA");
  }

  @Test
  void aSelfSignedClientIsRefusedInApiGatewaysWords() throws Exception {
    TestPki.Issued selfSigned = PKI.certificate("CN=lonely").ca(false).selfSigned();

    ClientVerdict verdict = acceptance(TestPki.bundle(root, selfSigned)).check(certificates(selfSigned));

    assertThat(codes(verdict)).containsExactly("SELF_SIGNED");
    assertThat(verdict.executionLogReason()).isEqualTo("self signed certificate");
  }

  @Test
  void aSha1SignedClientIsRefused() throws Exception {
    TestPki.Issued rsaCa = PKI.certificate("CN=RSA CA").key(TestPki.KeySpec.RSA_2048).selfSigned();
    TestPki.Issued sha1 = PKI.certificate("CN=sha1 client").ca(false).signatureAlgorithm("SHA1withRSA")
        .issuedBy(rsaCa);

    ClientVerdict verdict = acceptance(TestPki.bundle(rsaCa)).check(certificates(sha1));

    assertThat(codes(verdict)).containsExactly("INSECURE_SIGNATURE");
    assertThat(verdict.problems().get(0).message()).startsWith("client certificate 'CN=sha1 client' is signed with"
        + " SHA1withRSA (SHA-1 is weaker than SHA-256)");
    assertThat(verdict.executionLogReason()).isEqualTo("Client cert using an insecure Signature Algorithm");
  }

  @Test
  void theDocumentedReasonComesFirstInTheLog() throws Exception {
    TestPki.Issued expiredSelfSigned = PKI.certificate("CN=old").ca(false)
        .validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1))).selfSigned();

    ClientVerdict verdict = acceptance(TestPki.bundle(root)).check(certificates(expiredSelfSigned));

    assertThat(codes(verdict)).containsExactly("EXPIRED", "SELF_SIGNED");
    assertThat(verdict.executionLogReason()).isEqualTo("self signed certificate");
  }

  @Test
  void aBrokenPathIsLoggedBeforeAnInsecureSignature() throws Exception {
    TestPki.Issued rsaCa = PKI.certificate("CN=RSA CA").key(TestPki.KeySpec.RSA_2048).selfSigned();
    TestPki.Issued sha1SelfSigned = PKI.certificate("CN=sha1 self").ca(false).key(TestPki.KeySpec.RSA_2048)
        .signatureAlgorithm("SHA1withRSA").selfSigned();
    TestPki.Issued sha1Orphan = PKI.certificate("CN=sha1 orphan").ca(false).signatureAlgorithm("SHA1withRSA")
        .issuedBy(rsaCa);

    ClientVerdict selfSigned = acceptance(TestPki.bundle(root)).check(certificates(sha1SelfSigned));
    ClientVerdict orphan = acceptance(TestPki.bundle(root)).check(certificates(sha1Orphan));

    assertThat(codes(selfSigned)).containsExactly("INSECURE_SIGNATURE", "SELF_SIGNED");
    assertThat(selfSigned.executionLogReason()).isEqualTo("self signed certificate");
    assertThat(codes(orphan)).containsExactly("INSECURE_SIGNATURE", "ISSUER_NOT_FOUND");
    assertThat(orphan.executionLogReason()).isEqualTo("Could not find issuer for certificate");
  }

  @Test
  void anExpiredClientAndANotYetValidCaAreRefused() throws Exception {
    TestPki.Issued future = PKI.certificate("CN=Future CA")
        .validity(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400))).issuedBy(root);
    TestPki.Issued expired = PKI.certificate("CN=expired client").ca(false)
        .validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofSeconds(1))).issuedBy(future);

    ClientVerdict verdict = acceptance(TestPki.bundle(root, future)).check(certificates(expired));

    assertThat(codes(verdict)).containsExactly("EXPIRED", "NOT_YET_VALID");
    assertThat(verdict.problems().get(0).message()).startsWith("client certificate 'CN=expired client' expired on"
        + " " + NOW.minus(Duration.ofSeconds(1)));
    assertThat(verdict.problems().get(1).message()).startsWith("truststore CA #1 'CN=Future CA' is not valid before");
    assertThat(verdict.executionLogReason()).isEqualTo("certificate has expired");
  }

  @Test
  void fourCasAreAcceptedAndFiveAreTooDeep() throws Exception {
    List<TestPki.Issued> four = PKI.chain("Four", 4);
    TestPki.Issued fourClient = PKI.certificate("CN=four").ca(false).issuedBy(four.get(3));
    List<TestPki.Issued> five = PKI.chain("Five", 5);
    TestPki.Issued fiveClient = PKI.certificate("CN=five").ca(false).issuedBy(five.get(4));
    List<TestPki.Issued> all = new ArrayList<>(four);
    all.addAll(five);

    ClientAcceptance acceptance = acceptance(TestPki.bundle(all));
    ClientVerdict accepted = acceptance.check(certificates(fourClient));
    ClientVerdict deep = acceptance.check(certificates(fiveClient));

    assertThat(accepted.accepted()).isTrue();
    assertThat(accepted.pathSubjects()).hasSize(5).endsWith("CN=Four CA 1");
    assertThat(codes(deep)).containsExactly("CHAIN_TOO_DEEP");
    assertThat(deep.problems().get(0).message()).contains("holds 5 CAs", "more than API Gateway's 4");
    assertThat(deep.pathSubjects()).hasSize(6);
  }

  @Test
  void aSignatureByAnotherCaOfTheSameNameIsABadSignature() throws Exception {
    TestPki.Issued impostor = PKI.certificate("CN=Issuing CA").issuedBy(root);
    TestPki.Issued forged = PKI.certificate("CN=forged").ca(false).withoutKeyIdentifiers().issuedBy(impostor);

    ClientVerdict verdict = acceptance(TestPki.bundle(root, intermediate)).check(certificates(forged));

    assertThat(codes(verdict)).containsExactly("BAD_SIGNATURE");
    assertThat(verdict.problems().get(0).message()).contains("truststore CA #1 'CN=Issuing CA'",
        "the signature does not match that key");
  }

  @Test
  void smallKeysAndNonCaTruststoreEntriesAreRefused() throws Exception {
    TestPki.Issued weakCa = PKI.certificate("CN=Weak CA").key(TestPki.KeySpec.rsa(1024)).selfSigned();
    TestPki.Issued notCa = PKI.certificate("CN=Not a CA").ca(false).issuedBy(weakCa);
    TestPki.Issued leaf = PKI.certificate("CN=leaf").ca(false).key(TestPki.KeySpec.ED25519).issuedBy(notCa);

    ClientVerdict verdict = acceptance(TestPki.bundle(weakCa, notCa)).check(certificates(leaf));

    assertThat(codes(verdict)).containsExactly("KEY_TYPE_UNSUPPORTED", "NOT_CA", "KEY_TOO_SMALL");
    assertThat(verdict.problems().get(2).message()).contains("truststore CA #0 'CN=Weak CA' has an RSA key of 1024"
        + " bits");
  }

  @Test
  void aCaWithPathLengthZeroMayIssueOnlyClients() throws Exception {
    TestPki.Issued limitedRoot = PKI.certificate("CN=Limited Root").pathLength(1).selfSigned();
    TestPki.Issued sub = PKI.certificate("CN=Limited Sub").pathLength(0).issuedBy(limitedRoot);
    TestPki.Issued subSub = PKI.certificate("CN=Limited Sub Sub").issuedBy(sub);
    TestPki.Issued direct = PKI.certificate("CN=direct").ca(false).issuedBy(sub);
    TestPki.Issued tooFar = PKI.certificate("CN=too far").ca(false).issuedBy(subSub);

    ClientAcceptance acceptance = acceptance(TestPki.bundle(limitedRoot, sub, subSub));

    assertThat(acceptance.check(certificates(direct)).accepted()).isTrue();
    ClientVerdict verdict = acceptance.check(certificates(tooFar));
    assertThat(codes(verdict)).containsExactly("PATH_LENGTH_EXCEEDED", "PATH_LENGTH_EXCEEDED");
    assertThat(verdict.problems().get(0).message()).startsWith("truststore CA #1 'CN=Limited Sub' allows at most 0"
        + " CAs below it (basicConstraints pathLenConstraint), and the path has 1");
    assertThat(verdict.problems().get(1).message()).startsWith("truststore CA #0 'CN=Limited Root' allows at most 1"
        + " CA below it");
  }

  @Test
  void aKeyThatIsNotTheClientsIsAMismatch() throws Exception {
    TestPki.Issued other = PKI.certificate("CN=other").ca(false).issuedBy(intermediate);

    ClientVerdict verdict = acceptance(TestPki.bundle(root, intermediate))
        .check(certificates(client), other.keyPair().getPrivate());
    ClientVerdict matching = acceptance(TestPki.bundle(root, intermediate))
        .check(certificates(client), client.keyPair().getPrivate());

    assertThat(codes(verdict)).containsExactly("KEY_MISMATCH");
    assertThat(matching.accepted()).isTrue();
  }

  @Test
  void aRevokedClientIsRefusedAndAnotherSerialOfItsCaAccepted() throws Exception {
    TestPki.Issued revoked = TestCrl.client(intermediate, NOW, BigInteger.valueOf(7)).build();
    TestPki.Issued good = TestCrl.client(intermediate, NOW, BigInteger.valueOf(8)).build();
    Path crl = Files.write(dir.resolve("issuing.crl"), TestCrl.by(intermediate, NOW).revoke(BigInteger.valueOf(7))
        .der());

    ClientAcceptance acceptance = ClientAcceptance.load(bundle(TestPki.bundle(root, intermediate)), List.of(crl),
        CLOCK);

    assertThat(codes(acceptance.check(certificates(revoked)))).containsExactly("REVOKED");
    assertThat(acceptance.check(certificates(revoked)).problems().get(0).message())
        .contains("serial 7 is revoked by the CRL of truststore CA #1 'CN=Issuing CA' (" + crl + ")");
    assertThat(acceptance.check(certificates(good)).accepted()).isTrue();
  }

  @Test
  void aCrlPastNextUpdatePlusTheDefaultGraceDeniesItsClients() throws Exception {
    TestPki.Issued good = TestCrl.client(intermediate, NOW, BigInteger.valueOf(8)).build();
    Path crl = Files.write(dir.resolve("issuing.crl"), TestCrl.by(intermediate, NOW)
        .nextUpdate(NOW.plus(Duration.ofDays(1))).der());
    MutableClock clock = new MutableClock(NOW);
    ClientAcceptance acceptance = ClientAcceptance.load(bundle(TestPki.bundle(root, intermediate)), List.of(crl),
        clock);

    clock.now = NOW.plus(Duration.ofDays(2)).minusSeconds(1);
    assertThat(acceptance.check(certificates(good)).accepted()).isTrue();
    clock.now = NOW.plus(Duration.ofDays(2)).plusSeconds(1);
    ClientVerdict stale = acceptance.check(certificates(good));
    assertThat(codes(stale)).containsExactly("CRL_STALE");
    assertThat(stale.problems().get(0).message()).contains("plus the grace period of 24 h");
  }

  @Test
  void aCaWithoutACrlIsNotCheckedAsTheAuthorizerDecides() throws Exception {
    TestPki.Issued other = PKI.certificate("CN=Other CA").selfSigned();
    TestPki.Issued otherClient = TestCrl.client(other, NOW, BigInteger.valueOf(7)).build();
    Path crl = Files.write(dir.resolve("issuing.crl"), TestCrl.by(intermediate, NOW).revoke(BigInteger.valueOf(7))
        .der());

    ClientAcceptance acceptance = ClientAcceptance.load(bundle(TestPki.bundle(root, intermediate, other)),
        List.of(crl), CLOCK);

    assertThat(acceptance.check(certificates(otherClient)).accepted()).isTrue();
  }

  @Test
  void unusableFilesNameTheFlagTheFileAndTheFix() throws Exception {
    Path truststore = bundle(TestPki.bundle(root, intermediate));
    Path missing = dir.resolve("missing.pem");
    Path expiredCrl = Files.write(dir.resolve("expired.crl"), TestCrl.by(intermediate, NOW)
        .nextUpdate(NOW.minusSeconds(60)).der());

    assertThatThrownBy(() -> ClientAcceptance.load(missing, List.of(), CLOCK))
        .isInstanceOf(ClientAcceptance.InputException.class)
        .hasMessage("--truststore " + missing + ": cannot read it: no such file");
    assertThatThrownBy(() -> ClientAcceptance.load(bundle("not pem"), List.of(), CLOCK))
        .hasMessageStartingWith("--truststore ").hasMessageContaining("mtls truststore validate");
    assertThatThrownBy(() -> ClientAcceptance.load(truststore, List.of(expiredCrl), CLOCK))
        .hasMessageStartingWith("--crl: CRL_EXPIRED " + expiredCrl + ": ")
        .hasMessageContaining("leave --crl out");
  }

  @Test
  void noCertificateIsRefused() throws Exception {
    ClientVerdict verdict = acceptance(TestPki.bundle(root)).check(List.of());

    assertThat(codes(verdict)).containsExactly("NO_CLIENT_CERTIFICATE");
    assertThat(verdict.problems().get(0).message())
        .contains("AWS does not document whether at the handshake or with 403 Forbidden after it");
    assertThat(verdict.path()).isEmpty();
  }

  private ClientAcceptance acceptance(String bundle) throws Exception {
    return ClientAcceptance.load(bundle(bundle), List.of(), CLOCK);
  }

  private Path bundle(String pem) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "truststore", ".pem"), pem, StandardCharsets.US_ASCII);
  }

  private static List<X509Certificate> certificates(TestPki.Issued... issued) {
    return Stream.of(issued).map(TestPki.Issued::certificate).toList();
  }

  private static List<String> codes(ClientVerdict verdict) {
    return verdict.problems().stream().map(p -> p.code().name()).toList();
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
