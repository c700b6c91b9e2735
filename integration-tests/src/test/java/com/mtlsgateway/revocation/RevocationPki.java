package com.mtlsgateway.revocation;

import com.mtlsgateway.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * CRLs and client certificates with chosen serial numbers, issued by {@link TestPki} CAs (EC P-256, so
 * SHA256withECDSA), made with BouncyCastle. Times have one-second precision.
 */
final class RevocationPki {

  private RevocationPki() {}

  /** A client certificate of {@code ca} with this subject and serial, valid around {@code now}. */
  static TestPki.Issued client(TestPki.Issued ca, String subject, long serial, Instant now) {
    var key = TestPki.sharedKey(TestPki.KeySpec.EC_P256);
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          ca.certificate().getSubjectX500Principal(), BigInteger.valueOf(serial),
          Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
          new X500Principal(subject), key.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
      byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keyPair().getPrivate()))
          .getEncoded();
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return new TestPki.Issued(certificate, key);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue " + subject + ": " + e.getMessage(), e);
    }
  }

  /** A CRL of {@code ca}: thisUpdate an hour before {@code now}, nextUpdate a day after, cRLNumber 1. */
  static Crl crl(TestPki.Issued ca, Instant now) {
    return new Crl(ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }

  /** A CRL being built; {@link #der()} or {@link #pem()} sign it. */
  static final class Crl {
    private final TestPki.Issued ca;
    private Instant thisUpdate;
    private Instant nextUpdate;
    private long number = 1;
    private final List<BigInteger> revoked = new ArrayList<>();

    private Crl(TestPki.Issued ca, Instant thisUpdate, Instant nextUpdate) {
      this.ca = ca;
      this.thisUpdate = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
      this.nextUpdate = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Lists these serials. */
    Crl revoke(long... serials) {
      for (long serial : serials) {
        revoked.add(BigInteger.valueOf(serial));
      }
      return this;
    }

    /** Lists the serials of these certificates. */
    Crl revoke(TestPki.Issued... certificates) {
      for (TestPki.Issued certificate : certificates) {
        revoked.add(certificate.certificate().getSerialNumber());
      }
      return this;
    }

    Crl validity(Instant thisUpdate, Instant nextUpdate) {
      this.thisUpdate = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
      this.nextUpdate = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    Crl number(long number) {
      this.number = number;
      return this;
    }

    Instant nextUpdate() {
      return nextUpdate;
    }

    /** Signed, DER. */
    byte[] der() {
      try {
        X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca.certificate().getSubjectX500Principal(),
            Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (BigInteger serial : revoked) {
          builder.addCRLEntry(serial, Date.from(thisUpdate.minus(Duration.ofMinutes(5))), CRLReason.keyCompromise);
        }
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keyPair().getPrivate()))
            .getEncoded();
      } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
        throw new IllegalStateException("cannot sign the CRL: " + e.getMessage(), e);
      }
    }

    /** Signed, PEM ({@code X509 CRL}). */
    String pem() {
      return TestPki.pem("X509 CRL", der());
    }
  }
}
