package com.mtlsgateway.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real CRLs, and client certificates with a chosen serial number, for revocation tests; made with BouncyCastle,
 * signed by {@link TestPki} CAs.
 *
 * <pre>{@code
 * TestPki pki = TestPki.at(NOW);
 * TestPki.Issued ca = pki.certificate("CN=Issuing CA").selfSigned();
 * byte[] crl = TestCrl.by(ca, NOW).revoke(BigInteger.valueOf(7)).der();     // thisUpdate NOW-1h, nextUpdate NOW+7d
 * byte[] expired = TestCrl.by(ca, NOW).nextUpdate(NOW.minusSeconds(1)).der();
 * TestPki.Issued client = TestCrl.client(ca, NOW, BigInteger.valueOf(7)).build();
 * }</pre>
 *
 * <p>Defaults of a CRL: version 2, the CA's subject as issuer, thisUpdate one hour before the reference instant,
 * nextUpdate seven days after it, cRLNumber 1, an authority key identifier of the CA's key, signed by the CA's key
 * with the algorithm {@link TestPki} would use. Revoked entries have no extensions unless given. Building a CRL with
 * 100,000 entries takes about a second.
 */
public final class TestCrl {

  private static final Provider BC = new BouncyCastleProvider();

  private final TestPki.Issued ca;
  private Instant thisUpdate;
  private Instant nextUpdate;
  private BigInteger number = BigInteger.ONE;
  private X500Name issuerName;
  private KeyPair signingKey;
  private boolean authorityKeyIdentifier = true;
  private final Date revocationDate;
  private final List<Entry> entries = new ArrayList<>();
  private final List<CrlExtension> extensions = new ArrayList<>();

  private record Entry(BigInteger serial, Extensions extensions) {}

  private record CrlExtension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {}

  private TestCrl(TestPki.Issued ca, Instant now) {
    this.ca = Objects.requireNonNull(ca, "ca");
    Instant second = now.truncatedTo(ChronoUnit.SECONDS);
    this.thisUpdate = second.minus(Duration.ofHours(1));
    this.nextUpdate = second.plus(Duration.ofDays(7));
    this.revocationDate = Date.from(second.minus(Duration.ofDays(1)));
  }

  /** A CRL of {@code ca}, its default times around {@code now}. */
  public static TestCrl by(TestPki.Issued ca, Instant now) {
    return new TestCrl(ca, now);
  }

  /** The thisUpdate (truncated to seconds). */
  public TestCrl thisUpdate(Instant thisUpdate) {
    this.thisUpdate = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /** The nextUpdate (truncated to seconds), or null to leave it out. */
  public TestCrl nextUpdate(Instant nextUpdate) {
    this.nextUpdate = nextUpdate == null ? null : nextUpdate.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /** The cRLNumber, or null to leave the extension out. */
  public TestCrl number(BigInteger number) {
    this.number = number;
    return this;
  }

  /** Writes this issuer name instead of the CA's subject (for example with other string types). */
  public TestCrl issuerName(X500Name issuerName) {
    this.issuerName = issuerName;
    return this;
  }

  /** Signs with this key instead of the CA's (the authority key identifier then names this key). */
  public TestCrl signingKey(KeyPair signingKey) {
    this.signingKey = signingKey;
    return this;
  }

  /** Leaves out the authority key identifier extension. */
  public TestCrl withoutAuthorityKeyIdentifier() {
    this.authorityKeyIdentifier = false;
    return this;
  }

  /** Revokes these serials (entries without extensions). */
  public TestCrl revoke(BigInteger... serials) {
    return revoke(Arrays.asList(serials));
  }

  /** Revokes these serials (entries without extensions). */
  public TestCrl revoke(Collection<BigInteger> serials) {
    for (BigInteger serial : serials) {
      entries.add(new Entry(serial, null));
    }
    return this;
  }

  /** Revokes {@code serial} with these entry extensions (e.g. a certificateIssuer). */
  public TestCrl revoke(BigInteger serial, Extensions entryExtensions) {
    entries.add(new Entry(serial, entryExtensions));
    return this;
  }

  /** Adds a CRL extension. */
  public TestCrl extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    extensions.add(new CrlExtension(oid, critical, value));
    return this;
  }

  /**
   * The CRL, DER-encoded. Built on BouncyCastle's TBSCertList generator rather than {@code X509v2CRLBuilder}, which
   * formats each entry's revocation date anew: with one shared date, 100,000 entries take a fraction of a second.
   */
  public byte[] der() {
    KeyPair signer = signingKey != null ? signingKey : ca.keyPair();
    X500Name issuer = issuerName != null ? issuerName
        : X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    try {
      ExtensionsGenerator crlExtensions = new ExtensionsGenerator();
      if (number != null) {
        crlExtensions.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      }
      if (authorityKeyIdentifier) {
        crlExtensions.addExtension(Extension.authorityKeyIdentifier, false,
            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(signer.getPublic()));
      }
      for (CrlExtension extension : extensions) {
        crlExtensions.addExtension(extension.oid(), extension.critical(), extension.value());
      }
      return sign(signer.getPrivate(), contentSigner -> {
        V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
        tbs.setSignature(contentSigner.getAlgorithmIdentifier());
        tbs.setIssuer(issuer);
        tbs.setThisUpdate(new Time(Date.from(thisUpdate)));
        if (nextUpdate != null) {
          tbs.setNextUpdate(new Time(Date.from(nextUpdate)));
        }
        Time revoked = new Time(revocationDate);
        for (Entry entry : entries) {
          tbs.addCRLEntry(new ASN1Integer(entry.serial()), revoked, entry.extensions());
        }
        if (!crlExtensions.isEmpty()) {
          tbs.setExtensions(crlExtensions.generate());
        }
        TBSCertList tbsCertList = tbs.generateTBSCertList();
        try (OutputStream out = contentSigner.getOutputStream()) {
          tbsCertList.encodeTo(out, ASN1Encoding.DER);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        try {
          return new DERSequence(new ASN1Encodable[] {tbsCertList, contentSigner.getAlgorithmIdentifier(),
              new DERBitString(contentSigner.getSignature())}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build a CRL of " + ca.subject() + ": " + e.getMessage(), e);
    }
  }

  /** The CRL as one PEM {@code X509 CRL} block. */
  public String pem() {
    return TestPki.pem("X509 CRL", der());
  }

  /**
   * A builder for an end-entity certificate with serial {@code serial} issued by {@code ca}, valid from a day before
   * {@code now} to a year after it, with an EC P-256 key shared by all such certificates.
   */
  public static ClientBuilder client(TestPki.Issued ca, Instant now, BigInteger serial) {
    return new ClientBuilder(ca, now, serial);
  }

  /** Options for a client certificate; finish with {@link #build()} or {@link #der()}. */
  public static final class ClientBuilder {
    private final TestPki.Issued ca;
    private final Instant now;
    private final BigInteger serial;
    private String subject = "CN=client";
    private KeyPair key = TestPki.sharedKey(TestPki.KeySpec.EC_P256);
    private X500Name issuerName;
    private boolean authorityKeyIdentifier = true;
    private boolean criticalAuthorityKeyIdentifier;
    private boolean version1;
    private int extraSerialBytes;

    private ClientBuilder(TestPki.Issued ca, Instant now, BigInteger serial) {
      this.ca = ca;
      this.now = now.truncatedTo(ChronoUnit.SECONDS);
      this.serial = serial;
    }

    /** The subject, RFC 2253. */
    public ClientBuilder subject(String subject) {
      this.subject = subject;
      return this;
    }

    /** The subject's key pair. */
    public ClientBuilder key(KeyPair key) {
      this.key = key;
      return this;
    }

    /** Writes this issuer name instead of the CA's subject (for example the same name with other string types). */
    public ClientBuilder issuerName(X500Name issuerName) {
      this.issuerName = issuerName;
      return this;
    }

    /** Leaves out the authority key identifier. */
    public ClientBuilder withoutAuthorityKeyIdentifier() {
      this.authorityKeyIdentifier = false;
      return this;
    }

    /** Marks the authority key identifier critical (unusual, but its BOOLEAN is then encoded). */
    public ClientBuilder criticalAuthorityKeyIdentifier() {
      this.criticalAuthorityKeyIdentifier = true;
      return this;
    }

    /** An X.509 version 1 certificate: no extensions. */
    public ClientBuilder version1() {
      this.version1 = true;
      return this;
    }

    /**
     * Encodes the serial with {@code bytes} redundant leading bytes (0x00 for a positive serial, 0xFF for a
     * negative one): a non-minimal DER INTEGER, as some CAs write. The certificate is re-signed by the CA.
     */
    public ClientBuilder nonMinimalSerial(int bytes) {
      this.extraSerialBytes = bytes;
      return this;
    }

    /** The certificate as the JDK parses it, with its key pair. */
    public TestPki.Issued build() {
      try {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der()));
        return new TestPki.Issued(certificate, key);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The certificate, DER-encoded. */
    public byte[] der() {
      X500Name issuer = issuerName != null ? issuerName
          : X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
      X500Name subjectName = X500Name.getInstance(new X500Principal(subject).getEncoded());
      SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded());
      Date from = Date.from(now.minus(Duration.ofDays(1)));
      Date to = Date.from(now.plus(Duration.ofDays(365)));
      try {
        X509CertificateHolder holder;
        if (version1) {
          X509v1CertificateBuilder builder =
              new X509v1CertificateBuilder(issuer, serial, from, to, subjectName, publicKey);
          holder = sign(ca.keyPair().getPrivate(), builder::build);
        } else {
          X509v3CertificateBuilder builder =
              new X509v3CertificateBuilder(issuer, serial, from, to, subjectName, publicKey);
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          if (authorityKeyIdentifier) {
            AuthorityKeyIdentifier aki =
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate().getPublicKey());
            builder.addExtension(Extension.authorityKeyIdentifier, criticalAuthorityKeyIdentifier, aki);
          }
          holder = sign(ca.keyPair().getPrivate(), builder::build);
        }
        byte[] der = holder.getEncoded();
        return extraSerialBytes == 0 ? der : withPaddedSerial(der, holder, serial.signum() < 0 ? (byte) 0xFF : 0,
            extraSerialBytes, ca.keyPair().getPrivate());
      } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
        throw new IllegalStateException("cannot issue " + subject + ": " + e.getMessage(), e);
      }
    }
  }

  /** Re-encodes the TBSCertificate with {@code extra} copies of {@code pad} before the serial's bytes; re-signs. */
  private static byte[] withPaddedSerial(byte[] der, X509CertificateHolder holder, byte pad, int extra,
      PrivateKey caKey) throws IOException, GeneralSecurityException {
    byte[] tbs = holder.toASN1Structure().getTBSCertificate().getEncoded("DER");
    int[] sequence = header(tbs, 0);
    int at = sequence[1];
    if ((tbs[at] & 0xff) == 0xA0) {
      at = next(tbs, at);
    }
    int[] serialHeader = header(tbs, at);
    byte[] content = Arrays.copyOfRange(tbs, serialHeader[1], serialHeader[1] + serialHeader[2]);
    byte[] padded = new byte[content.length + extra];
    Arrays.fill(padded, 0, extra, pad);
    System.arraycopy(content, 0, padded, extra, content.length);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(tbs, sequence[1], at - sequence[1]);
    body.write(tlv(0x02, padded));
    body.write(tbs, serialHeader[1] + serialHeader[2], tbs.length - serialHeader[1] - serialHeader[2]);
    byte[] newTbs = tlv(0x30, body.toByteArray());
    String algorithm = new DefaultAlgorithmNameFinder()
        .getAlgorithmName(holder.getSignatureAlgorithm());
    Signature signature = Signature.getInstance(algorithm);
    signature.initSign(caKey);
    signature.update(newTbs);
    ByteArrayOutputStream certificate = new ByteArrayOutputStream();
    certificate.write(newTbs);
    certificate.write(holder.toASN1Structure().getSignatureAlgorithm().getEncoded("DER"));
    byte[] bits = signature.sign();
    byte[] bitString = new byte[bits.length + 1];
    System.arraycopy(bits, 0, bitString, 1, bits.length);
    certificate.write(tlv(0x03, bitString));
    return tlv(0x30, certificate.toByteArray());
  }

  /** {tag, contents start, contents length} of the element at {@code from}. */
  private static int[] header(byte[] der, int from) {
    int first = der[from + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {der[from] & 0xff, from + 2, first};
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[from + 2 + i] & 0xff);
    }
    return new int[] {der[from] & 0xff, from + 2 + (first & 0x7f), length};
  }

  private static int next(byte[] der, int from) {
    int[] h = header(der, from);
    return h[1] + h[2];
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private interface Signing<T> {
    T build(ContentSigner signer);
  }

  /** Signs with the JDK's providers, or BouncyCastle's for a curve only it signs with (secp256k1). */
  private static <T> T sign(PrivateKey key, Signing<T> signing) throws OperatorCreationException {
    try {
      return signing.build(signer(key, null));
    } catch (OperatorCreationException | RuntimeOperatorException jdkCannot) {
      return signing.build(signer(key, BC));
    }
  }

  private static ContentSigner signer(PrivateKey key, Provider provider) throws OperatorCreationException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> {
        int bits = ((ECKey) key).getParams().getOrder().bitLength();
        yield bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
      }
      default -> key.getAlgorithm();
    };
    JcaContentSignerBuilder builder = new JcaContentSignerBuilder(algorithm);
    return (provider == null ? builder : builder.setProvider(provider)).build(key);
  }
}
