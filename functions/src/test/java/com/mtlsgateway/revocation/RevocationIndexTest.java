package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.testing.TestCrl;
import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RevocationIndexTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant NEXT_UPDATE = NOW.plus(Duration.ofDays(7));
  private static final Duration GRACE = Duration.ofHours(24);
  private static final byte[] SUBJECT_A = principal("CN=Alpha CA");
  private static final byte[] SUBJECT_B = principal("CN=Beta CA");

  private final TestPki pki = TestPki.at(NOW);

  private static byte[] principal(String name) {
    return new X500Principal(name).getEncoded();
  }

  private static IssuerEntry.Crl crl(Instant nextUpdate, BigInteger... serials) {
    return new IssuerEntry.Crl("s3://crls/a.crl", NOW.minusSeconds(3600), nextUpdate, BigInteger.valueOf(9),
        Arrays.stream(serials).map(BigInteger::toByteArray).toList());
  }

  private static IssuerEntry.Crl crl(List<byte[]> serials) {
    return new IssuerEntry.Crl("s3://crls/a.crl", NOW.minusSeconds(3600), NEXT_UPDATE, BigInteger.valueOf(9),
        serials);
  }

  /** An index of the CAs, each with the CRL built for it by {@link CrlChecker} (none where {@code crl} is null). */
  private static RevocationIndex index(List<Issued> cas, List<byte[]> crls) {
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (int i = 0; i < crls.size(); i++) {
      inputs.add(new CrlChecker.Input("s3://crls/" + i + ".crl", crls.get(i)));
    }
    CrlReport report = new CrlChecker(Clock.fixed(NOW, ZoneOffset.UTC))
        .check(cas.stream().map(Issued::certificate).toList(), inputs);
    assertThat(report.valid()).as(report.summary()).isTrue();
    return RevocationIndex.read(RevocationIndex.write(report.issuers()));
  }

  private static ClientCertificate client(Issued ca, long serial) {
    return ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.valueOf(serial)).der());
  }

  @Test
  void writeThenReadKeepsEveryField() {
    List<IssuerEntry> entries = List.of(
        new IssuerEntry(SUBJECT_A, new byte[] {1, 2, 3}, new IssuerEntry.Crl("https://crl.example.com/a.crl",
            Instant.parse("2029-12-31T23:00:00Z"), NEXT_UPDATE, new BigInteger("123456789012345678901"),
            List.of(BigInteger.ONE.toByteArray(), BigInteger.valueOf(300).toByteArray()))),
        new IssuerEntry(SUBJECT_B, new byte[] {4}, null));

    byte[] bytes = RevocationIndex.write(entries);
    RevocationIndex index = RevocationIndex.read(bytes);

    assertThat(index.size()).isEqualTo(bytes.length);
    assertThat(index.issuers()).hasSize(2);
    RevocationIndex.Issuer a = index.issuers().get(0);
    assertThat(a.subjectName()).isEqualTo("CN=Alpha CA");
    assertThat(a.hasCrl()).isTrue();
    assertThat(a.source()).contains("https://crl.example.com/a.crl");
    assertThat(a.thisUpdate()).contains(Instant.parse("2029-12-31T23:00:00Z"));
    assertThat(a.nextUpdate()).contains(NEXT_UPDATE);
    assertThat(a.number()).contains(new BigInteger("123456789012345678901"));
    assertThat(a.revokedCount()).isEqualTo(2);
    assertThat(a.revoked(new byte[] {1})).isTrue();
    assertThat(a.revoked(BigInteger.valueOf(300).toByteArray())).isTrue();
    assertThat(a.revoked(new byte[] {2})).isFalse();
    RevocationIndex.Issuer b = index.issuers().get(1);
    assertThat(b.subjectName()).isEqualTo("CN=Beta CA");
    assertThat(b.hasCrl()).isFalse();
    assertThat(b.source()).isEmpty();
    assertThat(b.nextUpdate()).isEmpty();
    assertThat(b.thisUpdate()).isEmpty();
    assertThat(b.number()).isEmpty();
    assertThat(b.revokedCount()).isZero();
    assertThat(b.revoked(new byte[] {1})).isFalse();
  }

  @Test
  void aCrlWithoutNumberKeepsNone() {
    IssuerEntry.Crl crl = new IssuerEntry.Crl("s3://crls/a.crl", NOW, NEXT_UPDATE, null, List.of());

    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A,
        new byte[] {1}, crl))));

    assertThat(index.issuers().get(0).number()).isEmpty();
    assertThat(index.issuers().get(0).hasCrl()).isTrue();
  }

  @Test
  void theBytesDependOnlyOnTheSetOfSerials() {
    Random random = new Random(3);
    List<byte[]> serials = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      serials.add(new BigInteger(1 + random.nextInt(160), random).toByteArray());
    }
    List<byte[]> shuffledWithDuplicates = new ArrayList<>(serials);
    shuffledWithDuplicates.addAll(serials.subList(0, 50));
    Collections.shuffle(shuffledWithDuplicates, random);

    byte[] first = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(serials))));
    byte[] again = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(serials))));
    byte[] shuffled = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1},
        crl(shuffledWithDuplicates))));

    assertThat(again).isEqualTo(first);
    assertThat(shuffled).isEqualTo(first);
    RevocationIndex index = RevocationIndex.read(shuffled);
    assertThat(index.revokedCount()).isEqualTo(serials.stream().map(HexFormat.of()::formatHex).distinct().count());
    assertThat(serials).allMatch(s -> index.issuers().get(0).revoked(s));
  }

  @Test
  void anotherSerialGivesOtherBytes() {
    byte[] one = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(NEXT_UPDATE,
        BigInteger.ONE))));
    byte[] two = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(NEXT_UPDATE,
        BigInteger.TWO))));

    assertThat(two).isNotEqualTo(one);
    assertThat(RevocationIndex.read(two).issuers().get(0).revoked(BigInteger.TWO.toByteArray())).isTrue();
  }

  @Test
  void theTrailerIsTheCrc32cOfEverythingBefore() {
    byte[] bytes = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(NEXT_UPDATE,
        BigInteger.TEN))));
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);

    assertThat(ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()).isEqualTo((int) crc.getValue());
    assertThat(RevocationIndex.read(bytes).size()).isEqualTo(bytes.length);
  }

  @Test
  void anEmptyIndexHasNoIssuers() {
    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(List.of()));

    assertThat(index.issuers()).isEmpty();
    assertThat(index.revokedCount()).isZero();
    assertThat(index.earliestNextUpdate()).isEmpty();
  }

  @Test
  void countsAndEarliestNextUpdateSpanTheCas() {
    Instant sooner = NOW.plus(Duration.ofHours(5));
    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(List.of(
        new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(NEXT_UPDATE, BigInteger.ONE, BigInteger.TWO, BigInteger.ONE)),
        new IssuerEntry(principal("CN=Gamma CA"), new byte[] {3}, null),
        new IssuerEntry(SUBJECT_B, new byte[] {2}, crl(sooner, BigInteger.ONE)))));

    assertThat(index.revokedCount()).isEqualTo(3); // the duplicate once
    assertThat(index.earliestNextUpdate()).contains(sooner);
  }

  @Test
  void aChangedByteIsDetected() {
    byte[] bytes = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(NEXT_UPDATE,
        BigInteger.TEN))));
    for (int at : new int[] {12, bytes.length / 2, bytes.length - 1}) {
      byte[] altered = bytes.clone();
      altered[at] ^= 0x01;

      assertThatThrownBy(() -> RevocationIndex.read(altered)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("its CRC32C trailer does not match its content (truncated or damaged)");
    }
  }

  @Test
  void aTruncatedIndexIsDetected() {
    byte[] bytes = RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1}, crl(NEXT_UPDATE,
        BigInteger.TEN))));

    assertThatThrownBy(() -> RevocationIndex.read(Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("its CRC32C trailer does not match its content (truncated or damaged)");
    assertThatThrownBy(() -> RevocationIndex.read(Arrays.copyOf(bytes, 15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it is not a revocation index of this format (no MTLSRIX1 header)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MTLSRIX2", "<html>", "MTLSRIX"})
  void anotherFormatIsRefused(String start) {
    byte[] other = Arrays.copyOf(start.getBytes(StandardCharsets.US_ASCII), 60);

    assertThatThrownBy(() -> RevocationIndex.read(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it is not a revocation index of this format (no MTLSRIX1 header)");
  }

  @Test
  void contentThatDoesNotFitIsRefusedEvenWithAValidTrailer() throws IOException {
    // Each body is the content after the magic; the trailer is made to match, so only the structure is at fault.
    assertThatThrownBy(() -> RevocationIndex.read(sealed(body(out -> out.writeInt(1)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("it ends in the middle of an issuer");
    assertThatThrownBy(() -> RevocationIndex.read(sealed(body(out -> {
      out.writeInt(1);
      out.writeShort(1000); // a subject longer than what follows
      out.write(new byte[10]);
    })))).isInstanceOf(IllegalArgumentException.class).hasMessage("it ends in the middle of an issuer");
    assertThatThrownBy(() -> RevocationIndex.read(sealed(body(out -> out.writeInt(-1)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("it claims -1 issuers");
    assertThatThrownBy(() -> RevocationIndex.read(sealed(body(out -> {
      out.writeInt(0);
      out.write(new byte[3]);
    })))).isInstanceOf(IllegalArgumentException.class).hasMessage("it has 3 bytes after its last issuer");
    assertThatThrownBy(() -> RevocationIndex.read(sealed(body(out -> {
      out.writeInt(1);
      writeIssuerHead(out);
      out.writeByte(1); // one group
      out.writeByte(4); // of 4-byte serials
      out.writeInt(1000); // claiming more than there are
      out.write(new byte[8]);
    })))).isInstanceOf(IllegalArgumentException.class).hasMessage("it has a malformed group of serial numbers");
    assertThatThrownBy(() -> RevocationIndex.read(sealed(body(out -> {
      out.writeInt(1);
      writeIssuerHead(out);
      out.writeByte(2); // two groups of the same length
      out.writeByte(1);
      out.writeInt(1);
      out.writeByte(5);
      out.writeByte(1);
      out.writeInt(1);
      out.writeByte(6);
    })))).isInstanceOf(IllegalArgumentException.class).hasMessage("it has a malformed group of serial numbers");
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] body(Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write("MTLSRIX1".getBytes(StandardCharsets.US_ASCII));
    body.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  /** An issuer with a CRL, up to its group count. */
  private static void writeIssuerHead(DataOutputStream out) throws IOException {
    out.writeShort(SUBJECT_A.length);
    out.write(SUBJECT_A);
    out.writeShort(1);
    out.writeByte(7);
    out.writeByte(1);
    out.writeShort(1);
    out.writeByte('s');
    out.writeLong(NOW.getEpochSecond());
    out.writeLong(NEXT_UPDATE.getEpochSecond());
    out.writeShort(0);
  }

  private static byte[] sealed(byte[] content) {
    CRC32C crc = new CRC32C();
    crc.update(content);
    return ByteBuffer.allocate(content.length + 4).put(content).putInt((int) crc.getValue()).array();
  }

  @Test
  void serialsOfEveryLengthAndSignAreFound() {
    List<BigInteger> serials = List.of(BigInteger.ONE, BigInteger.valueOf(127), BigInteger.valueOf(0x80),
        BigInteger.valueOf(0xFF), BigInteger.valueOf(0x8000), BigInteger.ONE.shiftLeft(159),
        BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE), BigInteger.valueOf(-5), BigInteger.valueOf(-129),
        new BigInteger("00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff", 16));
    Issued ca = pki.certificate("CN=Alpha CA").selfSigned();
    RevocationIndex index = index(List.of(ca), List.of(TestCrl.by(ca, NOW).revoke(serials).der()));

    for (BigInteger serial : serials) {
      ClientCertificate client = ClientCertificate.fromDer(TestCrl.client(ca, NOW, serial).der());
      assertThat(index.check(client, NOW, GRACE).check()).as("serial %s", serial).isEqualTo(RevocationCheck.REVOKED);
      ClientCertificate neighbour = ClientCertificate.fromDer(TestCrl.client(ca, NOW, serial.add(BigInteger.TWO))
          .der());
      assertThat(index.check(neighbour, NOW, GRACE).check()).as("serial %s + 2", serial)
          .isEqualTo(RevocationCheck.NOT_REVOKED);
    }
    // 0x80 is stored with its sign byte: the bare byte is another (negative) number.
    assertThat(index.issuers().get(0).revoked(new byte[] {0x00, (byte) 0x80})).isTrue();
    assertThat(index.issuers().get(0).revoked(new byte[] {(byte) 0x80})).isFalse();
  }

  @Test
  void aSerialWithAnUnusualLengthIsNotFoundInAnotherLengthsGroup() {
    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A,
        new byte[] {1}, crl(List.of(new byte[] {1, 2}, new byte[] {1, 2, 3}))))));
    RevocationIndex.Issuer issuer = index.issuers().get(0);

    assertThat(issuer.revoked(new byte[] {1, 2})).isTrue();
    assertThat(issuer.revoked(new byte[] {1, 2, 3})).isTrue();
    assertThat(issuer.revoked(new byte[] {1})).isFalse();
    assertThat(issuer.revoked(new byte[] {1, 2, 3, 4})).isFalse();
    assertThat(issuer.revoked(new byte[255])).isFalse();
    assertThat(issuer.revoked(new byte[300])).isFalse();
  }

  @Test
  void serialsOutsideOneTo255BytesCannotBeWritten() {
    assertThatThrownBy(() -> RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1},
        crl(List.of(new byte[0]))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a serial number must be 1 to 255 bytes long");
    assertThatThrownBy(() -> RevocationIndex.write(List.of(new IssuerEntry(SUBJECT_A, new byte[] {1},
        crl(List.of(new byte[256]))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a serial number must be 1 to 255 bytes long");
  }

  @Test
  void aStaleCrlStillRevokesWhatItLists() {
    Issued ca = pki.certificate("CN=Alpha CA").selfSigned();
    RevocationIndex index = index(List.of(ca), List.of(TestCrl.by(ca, NOW).revoke(BigInteger.valueOf(5)).der()));
    Instant nextUpdate = index.issuers().get(0).nextUpdate().orElseThrow();
    Instant stale = nextUpdate.plus(GRACE).plusSeconds(1);

    RevocationIndex.Result listed = index.check(client(ca, 5), stale, GRACE);
    RevocationIndex.Result other = index.check(client(ca, 6), stale, GRACE);

    assertThat(listed.check()).isEqualTo(RevocationCheck.REVOKED);
    assertThat(other.check()).isEqualTo(RevocationCheck.CRL_STALE);
    assertThat(other.issuer().subjectName()).isEqualTo("CN=Alpha CA");
    assertThat(index.check(client(ca, 6), nextUpdate.plus(GRACE), GRACE).check())
        .isEqualTo(RevocationCheck.NOT_REVOKED);
    assertThat(index.check(client(ca, 6), nextUpdate.plusSeconds(1), Duration.ZERO).check())
        .isEqualTo(RevocationCheck.CRL_STALE);
  }

  @Test
  void aCaWithoutCrlAndAnUnknownIssuerAreToldApart() {
    Issued withCrl = pki.certificate("CN=Alpha CA").selfSigned();
    Issued withoutCrl = pki.certificate("CN=Beta CA").selfSigned();
    Issued stranger = pki.certificate("CN=Stranger CA").selfSigned();
    RevocationIndex index = index(List.of(withCrl, withoutCrl), List.of(TestCrl.by(withCrl, NOW).der()));

    RevocationIndex.Result noCrl = index.check(client(withoutCrl, 5), NOW, GRACE);
    RevocationIndex.Result unknown = index.check(client(stranger, 5), NOW, GRACE);

    assertThat(noCrl.check()).isEqualTo(RevocationCheck.CA_WITHOUT_CRL);
    assertThat(noCrl.issuer().subjectName()).isEqualTo("CN=Beta CA");
    assertThat(unknown.check()).isEqualTo(RevocationCheck.UNKNOWN_ISSUER);
    assertThat(unknown.issuer()).isNull();
    assertThat(index.check(client(withCrl, 5), NOW, GRACE).check()).isEqualTo(RevocationCheck.NOT_REVOKED);
  }

  @Test
  void amongCasOfOneNameTheAuthorityKeyIdentifierPicksTheIssuer() {
    Issued first = pki.certificate("CN=Shared Name CA").selfSigned();
    Issued second = pki.certificate("CN=Shared Name CA").selfSigned();
    RevocationIndex index = index(List.of(first, second), List.of(
        TestCrl.by(first, NOW).revoke(BigInteger.valueOf(5)).der(),
        TestCrl.by(second, NOW).revoke(BigInteger.valueOf(6)).der()));

    assertThat(index.check(client(first, 5), NOW, GRACE).check()).isEqualTo(RevocationCheck.REVOKED);
    assertThat(index.check(client(second, 5), NOW, GRACE).check()).isEqualTo(RevocationCheck.NOT_REVOKED);
    assertThat(index.check(client(second, 6), NOW, GRACE).check()).isEqualTo(RevocationCheck.REVOKED);
    assertThat(index.check(client(first, 6), NOW, GRACE).check()).isEqualTo(RevocationCheck.NOT_REVOKED);
    assertThat(index.check(client(second, 5), NOW, GRACE).issuer())
        .isSameAs(index.issuers().get(1)).isNotSameAs(index.issuers().get(0));
  }

  @Test
  void withoutAuthorityKeyIdentifierEveryCaOfTheNameIsConsulted() {
    Issued first = pki.certificate("CN=Shared Name CA").selfSigned();
    Issued second = pki.certificate("CN=Shared Name CA").selfSigned();
    RevocationIndex index = index(List.of(first, second), List.of(
        TestCrl.by(first, NOW).revoke(BigInteger.valueOf(5)).der(), TestCrl.by(second, NOW).der()));

    ClientCertificate ambiguous = ClientCertificate.fromDer(TestCrl.client(second, NOW, BigInteger.valueOf(5))
        .withoutAuthorityKeyIdentifier().der());
    ClientCertificate clear = ClientCertificate.fromDer(TestCrl.client(second, NOW, BigInteger.valueOf(7))
        .withoutAuthorityKeyIdentifier().der());

    assertThat(index.check(ambiguous, NOW, GRACE).check()).isEqualTo(RevocationCheck.REVOKED); // the safe side
    assertThat(index.check(clear, NOW, GRACE).check()).isEqualTo(RevocationCheck.NOT_REVOKED);
  }

  @Test
  void amongCasOfOneNameOneWithoutCrlMeansTheClientWasNotChecked() {
    Issued first = pki.certificate("CN=Shared Name CA").selfSigned();
    Issued second = pki.certificate("CN=Shared Name CA").selfSigned();
    RevocationIndex index = index(List.of(first, second), List.of(TestCrl.by(first, NOW).der()));

    ClientCertificate noAki = ClientCertificate.fromDer(TestCrl.client(second, NOW, BigInteger.valueOf(7))
        .withoutAuthorityKeyIdentifier().der());

    assertThat(index.check(noAki, NOW, GRACE).check()).isEqualTo(RevocationCheck.CA_WITHOUT_CRL);
    assertThat(index.check(client(first, 7), NOW, GRACE).check()).isEqualTo(RevocationCheck.NOT_REVOKED);
    assertThat(index.check(client(second, 7), NOW, GRACE).check()).isEqualTo(RevocationCheck.CA_WITHOUT_CRL);
  }

  @Test
  void anIssuerNameEncodedWithOtherStringTypesIsFoundByItsCanonicalForm() {
    X500Name printable = name(new DERPrintableString("Example Org"), new DERPrintableString("Issuing CA"));
    X500Name utf8 = name(new DERUTF8String("Example Org"), new DERUTF8String("Issuing CA"));
    // The index has the CA's subject in PrintableString; its clients name it in UTF8String.
    Issued ca = pki.certificate("CN=Issuing CA,O=Example Org").selfSigned();
    IssuerEntry entry = new IssuerEntry(encoded(printable), CrlChecker.keyId(ca.certificate()),
        crl(NEXT_UPDATE, BigInteger.valueOf(5)));
    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(List.of(entry)));

    ClientCertificate revoked = ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.valueOf(5))
        .issuerName(utf8).der());
    ClientCertificate notRevoked = ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.valueOf(6))
        .issuerName(utf8).der());
    ClientCertificate exact = ClientCertificate.fromDer(TestCrl.client(ca, NOW, BigInteger.valueOf(5))
        .issuerName(printable).der());

    assertThat(revoked.issuer()).isEqualTo(encoded(utf8)).isNotEqualTo(encoded(printable));
    assertThat(index.check(revoked, NOW, GRACE).check()).isEqualTo(RevocationCheck.REVOKED);
    assertThat(index.check(notRevoked, NOW, GRACE).check()).isEqualTo(RevocationCheck.NOT_REVOKED);
    assertThat(index.check(exact, NOW, GRACE).check()).isEqualTo(RevocationCheck.REVOKED);
  }

  @Test
  void aDifferentNameIsNotMatchedByTheCanonicalForm() {
    IssuerEntry entry = new IssuerEntry(principal("CN=Issuing CA,O=Example Org"), new byte[] {1},
        crl(NEXT_UPDATE, BigInteger.valueOf(5)));
    RevocationIndex index = RevocationIndex.read(RevocationIndex.write(List.of(entry)));
    Issued other = pki.certificate("CN=Issuing CA,O=Other Org").selfSigned();

    assertThat(index.check(client(other, 5), NOW, GRACE).check()).isEqualTo(RevocationCheck.UNKNOWN_ISSUER);
  }

  private static X500Name name(ASN1Encodable organization, ASN1Encodable commonName) {
    return new X500Name(new RDN[] {new RDN(BCStyle.O, organization), new RDN(BCStyle.CN, commonName)});
  }

  private static byte[] encoded(X500Name name) {
    try {
      return name.getEncoded("DER");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
