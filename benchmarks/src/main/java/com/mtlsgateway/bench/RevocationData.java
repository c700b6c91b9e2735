package com.mtlsgateway.bench;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The revocation benchmark's data, written to a folder for bench/run (and made in-process by {@link
 * RevocationBenchmark} when it is given none):
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar com.mtlsgateway.bench.RevocationData FOLDER [CAS SERIALS_PER_CA]</pre>
 *
 * <ul>
 *   <li>{@code cas.pem}: {@code CAS} (default 10) CA certificates, keys alternating RSA-2048 and EC P-256, each with
 *       cRLSign and a subject key identifier: the truststore;
 *   <li>{@code crl-NN.der}: one complete CRL per CA (DER, signed by it), {@code SERIALS_PER_CA} (default 100,000)
 *       entries each, with a cRLNumber and an authority key identifier, thisUpdate an hour ago, nextUpdate in
 *       7 days. Serials are as real CAs make them: 16 random bytes, positive (top bit clear), so 16-byte DER
 *       INTEGERs (fewer bytes when the first random bytes are 0); revocation dates spread over the past year; 5 in
 *       6 entries carry a reasonCode;
 *   <li>{@code client-revoked.pem}: a client certificate of CA {@link #CLIENT_CA} whose serial is on that CA's CRL
 *       (its entry in the middle of the list); {@code client-valid.pem}: one of the same CA whose serial is on no
 *       CRL.
 * </ul>
 *
 * Serials, dates and reasons come from a {@link SplittableRandom} of seed {@link #SEED}: the same on every run, so
 * the index has the same size every time (keys and signatures are fresh; the index holds neither).
 */
public final class RevocationData {

  /** The seed of the serial numbers, revocation dates and reasons. */
  public static final long SEED = 0x6D746C73L;
  public static final int DEFAULT_CAS = 10;
  public static final int DEFAULT_SERIALS_PER_CA = 100_000;
  /** The CA (0-based) that issues the two client certificates. */
  public static final int CLIENT_CA = 3;
  public static final String TRUSTSTORE = "cas.pem";
  public static final String REVOKED_CLIENT = "client-revoked.pem";
  public static final String VALID_CLIENT = "client-valid.pem";
  private static final int SERIAL_BYTES = 16;
  private static final int[] REASONS = {CRLReason.unspecified, CRLReason.keyCompromise, CRLReason.affiliationChanged,
      CRLReason.superseded, CRLReason.cessationOfOperation, CRLReason.privilegeWithdrawn};

  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private RevocationData() {}

  /** The file name of CA {@code ca}'s CRL. */
  public static String crlFile(int ca) {
    return String.format(Locale.ROOT, "crl-%02d.der", ca);
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 3) {
      System.err.println("usage: RevocationData FOLDER [CAS SERIALS_PER_CA]");
      System.exit(2);
    }
    int cas = args.length == 3 ? Integer.parseInt(args[1]) : DEFAULT_CAS;
    int serials = args.length == 3 ? Integer.parseInt(args[2]) : DEFAULT_SERIALS_PER_CA;
    long started = System.nanoTime();
    long crlBytes = write(Path.of(args[0]), Instant.now(), cas, serials);
    System.out.printf(Locale.ROOT, "wrote %s: %d CAs, %,d revoked serials each, CRLs %,d bytes in all, in %d ms%n",
        args[0], cas, serials, crlBytes, (System.nanoTime() - started) / 1_000_000);
    System.out.println("GENERATE_MS " + (System.nanoTime() - started) / 1_000_000);
    System.out.println("CRL_BYTES " + crlBytes);
  }

  /**
   * Writes the files described above to {@code folder} (created if needed).
   *
   * @return the CRLs' total size in bytes
   */
  public static long write(Path folder, Instant now, int cas, int serialsPerCa) throws IOException {
    if (cas <= CLIENT_CA || serialsPerCa < 1) {
      throw new IllegalArgumentException("at least " + (CLIENT_CA + 1) + " CAs and 1 serial per CA");
    }
    Files.createDirectories(folder);
    SplittableRandom random = new SplittableRandom(SEED);
    TestPki pki = TestPki.at(now);
    List<Issued> authorities = new ArrayList<>(cas);
    Set<BigInteger> all = new HashSet<>(cas * serialsPerCa * 4 / 3 + 1);
    BigInteger revokedClientSerial = null;
    long crlBytes = 0;
    for (int c = 0; c < cas; c++) {
      KeySpec key = c % 2 == 0 ? KeySpec.RSA_2048 : KeySpec.EC_P256;
      Issued ca = pki.certificate(String.format(Locale.ROOT, "CN=Bench Issuing CA %02d,O=mtls-gateway bench", c))
          .key(key).selfSigned();
      authorities.add(ca);
      List<BigInteger> serials = new ArrayList<>(serialsPerCa);
      for (int s = 0; s < serialsPerCa; s++) {
        BigInteger serial = randomSerial(random);
        if (all.add(serial)) {
          serials.add(serial);
        }
      }
      if (c == CLIENT_CA) {
        revokedClientSerial = serials.get(serials.size() / 2);
      }
      byte[] crl = crl(ca, now, serials, c + 1L, random);
      Files.write(folder.resolve(crlFile(c)), crl);
      crlBytes += crl.length;
    }
    BigInteger validClientSerial;
    do {
      validClientSerial = randomSerial(random);
    } while (all.contains(validClientSerial));
    Issued clientCa = authorities.get(CLIENT_CA);
    KeyPair clientKey = TestPki.sharedKey(KeySpec.EC_P256);
    Files.writeString(folder.resolve(REVOKED_CLIENT),
        TestPki.pem("CERTIFICATE", client(clientCa, clientKey, revokedClientSerial, "revoked", now)),
        StandardCharsets.US_ASCII);
    Files.writeString(folder.resolve(VALID_CLIENT),
        TestPki.pem("CERTIFICATE", client(clientCa, clientKey, validClientSerial, "valid", now)),
        StandardCharsets.US_ASCII);
    Files.writeString(folder.resolve(TRUSTSTORE), TestPki.bundle(authorities), StandardCharsets.US_ASCII);
    return crlBytes;
  }

  /** 16 random bytes with the top bit clear: a positive INTEGER of at most 16 content bytes. */
  private static BigInteger randomSerial(SplittableRandom random) {
    byte[] bytes = new byte[SERIAL_BYTES];
    random.nextBytes(bytes);
    bytes[0] &= 0x7F;
    return new BigInteger(bytes);
  }

  /**
   * The CRL's DER, written here rather than with BouncyCastle's CRL builder, which takes seconds per 100,000
   * entries: the TBSCertList (RFC 5280 5.1) with its entries, the extensions encoded by BouncyCastle, signed with
   * the JDK's Signature.
   */
  private static byte[] crl(Issued ca, Instant now, List<BigInteger> serials, long number, SplittableRandom random) {
    try {
      PrivateKey key = ca.keyPair().getPrivate();
      String algorithm = signatureAlgorithm(key);
      byte[] algorithmId = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm).getEncoded();
      JcaX509ExtensionUtils identifiers = new JcaX509ExtensionUtils();
      byte[] extensions = new Extensions(new Extension[] {
          new Extension(Extension.authorityKeyIdentifier, false,
              identifiers.createAuthorityKeyIdentifier(ca.certificate()).getEncoded()),
          new Extension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)).getEncoded())})
          .getEncoded();
      ByteArrayOutputStream entries = new ByteArrayOutputStream(serials.size() * 48);
      long yearSeconds = Duration.ofDays(365).toSeconds();
      for (BigInteger serial : serials) {
        Instant revoked = now.minusSeconds(3600 + random.nextLong(yearSeconds));
        int reason = REASONS[random.nextInt(REASONS.length)];
        // A reason of 0 (unspecified) is left out, as RFC 5280 5.3.1 asks: 1 entry in 6 has none.
        byte[] reasonCode = reason == CRLReason.unspecified ? new byte[0]
            : der(0x30, der(0x30, der(0x06, new byte[] {0x55, 0x1D, 0x15}), der(0x04, der(0x0A, new byte[] {
                (byte) reason}))));
        entries.write(der(0x30, der(0x02, serial.toByteArray()), utcTime(revoked), reasonCode));
      }
      byte[] tbs = der(0x30, der(0x02, new byte[] {1}), algorithmId,
          ca.certificate().getSubjectX500Principal().getEncoded(), utcTime(now.minus(Duration.ofHours(1))),
          utcTime(now.plus(Duration.ofDays(7))), der(0x30, entries.toByteArray()), der(0xA0, extensions));
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(tbs);
      byte[] value = signature.sign();
      byte[] bits = new byte[value.length + 1]; // a leading 0: no unused bits
      System.arraycopy(value, 0, bits, 1, value.length);
      return der(0x30, tbs, algorithmId, der(0x03, bits));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the CRL of " + ca.subject() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] utcTime(Instant instant) {
    return der(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  /** One DER element: the tag, the definite length, then the parts. */
  private static byte[] der(int tag, byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | octets);
      for (int i = octets - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] client(Issued ca, KeyPair key, BigInteger serial, String name, Instant now) {
    try {
      X509Certificate issuer = ca.certificate();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial,
          Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(90))),
          new javax.security.auth.x500.X500Principal("CN=bench client " + name + ",O=mtls-gateway bench"),
          key.getPublic());
      JcaX509ExtensionUtils identifiers = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          identifiers.createSubjectKeyIdentifier(key.getPublic()));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          identifiers.createAuthorityKeyIdentifier(issuer));
      return builder.build(signer(ca.keyPair().getPrivate())).getEncoded();
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the " + name + " client: " + e.getMessage(), e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return key instanceof ECKey ? "SHA256withECDSA" : "SHA256withRSA";
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
  }
}
