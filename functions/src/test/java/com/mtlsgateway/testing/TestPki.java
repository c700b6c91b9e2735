package com.mtlsgateway.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real CAs and certificates for tests, made with BouncyCastle and returned as JDK {@link X509Certificate}s.
 *
 * <pre>{@code
 * TestPki pki = TestPki.at(Instant.parse("2030-01-01T00:00:00Z"));
 * TestPki.Issued root = pki.certificate("CN=Root CA").selfSigned();
 * TestPki.Issued sub = pki.certificate("CN=Sub CA").key(TestPki.KeySpec.rsa(2048)).issuedBy(root);
 * TestPki.Issued client = pki.certificate("CN=client").ca(false).issuedBy(sub);
 * String truststore = TestPki.bundle(root, sub);
 * List<TestPki.Issued> deep = pki.chain("Deep", 5);              // root first, five CAs
 * KeyPair shared = TestPki.sharedKey(TestPki.KeySpec.RSA_2048);  // many certificates, one key: fast
 * }</pre>
 *
 * <p>Defaults: a fresh EC P-256 key per certificate (cheap to generate, so every CA has its own key), a CA
 * (basicConstraints CA:TRUE and keyCertSign), subject and authority key identifiers, valid from one day before to
 * 365 days after the reference instant, a random 63-bit serial, and a SHA-256 (or, for EC P-384/P-521, SHA-384 /
 * SHA-512) signature matched to the signing key. Times in certificates have one-second precision, so instants are
 * truncated to seconds.
 *
 * <p>Speed: generating an RSA key takes tens (2048 bits) to thousands (4096 bits) of milliseconds, an EC key about
 * one; issuing a certificate takes about 1 ms with an EC P-256 issuer key and 2 to 3 ms with RSA 2048. For hundreds
 * of certificates pass one {@link #sharedKey(KeySpec)} to {@link CertificateBuilder#key(KeyPair)}: 1,000 EC P-256
 * self-signed roots on one shared key take a second or two.
 *
 * <p>Thread-safe: a TestPki holds only its reference instant.
 */
public final class TestPki {

  /** Signs and generates keys where the JDK cannot (RSASSA-PSS by name, curves such as secp224r1). */
  private static final Provider BC = new BouncyCastleProvider();

  private static final Map<KeySpec, KeyPair> SHARED_KEYS = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Instant now;

  private TestPki(Instant now) {
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * A factory whose default validity windows are centred on {@code now}; tests pass the instant of their fixed
   * Clock, code that runs against real services passes {@code Instant.now()}.
   */
  public static TestPki at(Instant now) {
    return new TestPki(Objects.requireNonNull(now, "now"));
  }

  /** The reference instant (truncated to seconds). */
  public Instant now() {
    return now;
  }

  /** A builder for a certificate with this subject, an RFC 2253 name such as {@code "CN=Root CA,O=Example"}. */
  public CertificateBuilder certificate(String subject) {
    return new CertificateBuilder(this, new X500Principal(subject));
  }

  /**
   * A chain of {@code levels} CAs (1 or more), root first: subjects {@code "CN=<name> CA 1"} (the self-signed root)
   * to {@code "CN=<name> CA <levels>"}, each with its own fresh EC P-256 key and signed by the previous one.
   */
  public List<Issued> chain(String name, int levels) {
    return chain(name, levels, KeySpec.EC_P256);
  }

  /** As {@link #chain(String, int)}, each CA with its own fresh key of {@code keySpec}. */
  public List<Issued> chain(String name, int levels, KeySpec keySpec) {
    if (levels < 1) {
      throw new IllegalArgumentException("levels must be >= 1, was " + levels);
    }
    List<Issued> chain = new ArrayList<>();
    chain.add(certificate("CN=" + name + " CA 1").key(keySpec).selfSigned());
    for (int level = 2; level <= levels; level++) {
      chain.add(certificate("CN=" + name + " CA " + level).key(keySpec).issuedBy(chain.get(level - 2)));
    }
    return List.copyOf(chain);
  }

  /**
   * One key pair per spec for the whole JVM, generated on first use: for many certificates quickly, when it does
   * not matter that they share a key.
   */
  public static KeyPair sharedKey(KeySpec spec) {
    return SHARED_KEYS.computeIfAbsent(spec, KeySpec::generate);
  }

  /** Concatenated PEM of the certificates, in order: a truststore bundle. */
  public static String bundle(Issued... certificates) {
    return bundle(List.of(certificates));
  }

  /** Concatenated PEM of the certificates, in order: a truststore bundle. */
  public static String bundle(List<Issued> certificates) {
    StringBuilder out = new StringBuilder();
    certificates.forEach(c -> out.append(c.pem()));
    return out.toString();
  }

  /**
   * RFC 7468 PEM text: {@code -----BEGIN label-----}, base64 in lines of 64 characters, {@code -----END label-----},
   * each line ending in LF.
   */
  public static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /**
   * A key algorithm and size; the constants cover what API Gateway accepts (RSA 2048+, EC P-256/P-384/P-521) plus
   * Ed25519, which it does not.
   *
   * @param algorithm JCA key algorithm name: RSA, DSA, EC or Ed25519
   * @param bits modulus or prime size for RSA and DSA; 0 otherwise
   * @param curve named curve for EC; null otherwise
   */
  public record KeySpec(String algorithm, int bits, String curve) {
    public static final KeySpec RSA_2048 = rsa(2048);
    public static final KeySpec EC_P256 = ec("secp256r1");
    public static final KeySpec EC_P384 = ec("secp384r1");
    public static final KeySpec EC_P521 = ec("secp521r1");
    public static final KeySpec ED25519 = new KeySpec("Ed25519", 0, null);

    /** RSA with a modulus of {@code bits} (any size the JDK accepts, 512 and up). */
    public static KeySpec rsa(int bits) {
      return new KeySpec("RSA", bits, null);
    }

    /** DSA with a prime of {@code bits} (1024, 2048 and 3072 use the JDK's precomputed parameters: fast). */
    public static KeySpec dsa(int bits) {
      return new KeySpec("DSA", bits, null);
    }

    /**
     * EC on a named curve, e.g. {@code "secp256r1"} (P-256), {@code "secp384r1"}, {@code "secp521r1"}; curves the
     * JDK no longer generates (such as {@code "secp224r1"}) come from BouncyCastle.
     */
    public static KeySpec ec(String curve) {
      return new KeySpec("EC", 0, curve);
    }

    /** A fresh key pair. */
    public KeyPair generate() {
      try {
        KeyPair keyPair = generator(null).generateKeyPair();
        if (bits > 0 && keyPair.getPublic() instanceof RSAKey rsa && rsa.getModulus().bitLength() != bits) {
          // The Amazon Corretto Crypto Provider, once installed first (the validator installs it for large bundles
          // where its native library loads), rounds odd sizes up, e.g. 2047 bits to 2048; the JDK's own generator
          // makes exactly the size asked for.
          return generator(Security.getProvider("SunRsaSign")).generateKeyPair();
        }
        return keyPair;
      } catch (InvalidAlgorithmParameterException jdkLacksCurve) {
        try {
          return generator(BC).generateKeyPair();
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException("cannot generate " + this, e);
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot generate " + this, e);
      }
    }

    private KeyPairGenerator generator(Provider provider) throws GeneralSecurityException {
      KeyPairGenerator generator = provider == null
          ? KeyPairGenerator.getInstance(algorithm)
          : KeyPairGenerator.getInstance(algorithm, provider);
      if (curve != null) {
        generator.initialize(new ECGenParameterSpec(curve));
      } else if (bits > 0) {
        generator.initialize(bits);
      }
      return generator;
    }
  }

  /**
   * A certificate and its subject's key pair (the private key is what signs certificates it issues).
   *
   * @param certificate the certificate, parsed by the JDK
   * @param keyPair the subject's key pair
   */
  public record Issued(X509Certificate certificate, KeyPair keyPair) {
    /** The DER encoding. */
    public byte[] der() {
      try {
        return certificate.getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The certificate as one PEM {@code CERTIFICATE} block. */
    public String pem() {
      return TestPki.pem("CERTIFICATE", der());
    }

    /** The private key as an unencrypted PKCS#8 PEM {@code PRIVATE KEY} block (what ACM ImportCertificate takes). */
    public String privateKeyPem() {
      return TestPki.pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
    }

    /** The subject in RFC 2253 form. */
    public String subject() {
      return certificate.getSubjectX500Principal().getName();
    }
  }

  /** Options for one certificate; finish with {@link #selfSigned()} or {@link #issuedBy(Issued)}. */
  public static final class CertificateBuilder {
    private final X500Principal subject;
    private KeyPair keyPair;
    private KeySpec keySpec = KeySpec.EC_P256;
    private String signatureAlgorithm;
    private Instant notBefore;
    private Instant notAfter;
    private boolean ca = true;
    private boolean version1;
    private boolean basicConstraints = true;
    private Integer pathLength;
    private boolean keyIdentifiers = true;
    private X500Principal issuerName;
    private KeyPair signingKey;
    private List<String> dnsNames = List.of();
    private List<KeyPurposeId> extendedKeyUsage;
    private Integer keyUsage;

    private CertificateBuilder(TestPki pki, X500Principal subject) {
      this.subject = subject;
      this.notBefore = pki.now.minus(Duration.ofDays(1));
      this.notAfter = pki.now.plus(Duration.ofDays(365));
    }

    /** Use this key pair for the subject (for example a {@link TestPki#sharedKey(KeySpec)}). */
    public CertificateBuilder key(KeyPair keyPair) {
      this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
      return this;
    }

    /** Generate a fresh subject key of this spec (the default is {@link KeySpec#EC_P256}). */
    public CertificateBuilder key(KeySpec keySpec) {
      this.keySpec = Objects.requireNonNull(keySpec, "keySpec");
      this.keyPair = null;
      return this;
    }

    /**
     * The JCA signature algorithm name, e.g. {@code "SHA256withRSA"}, {@code "SHA1withRSA"}, {@code "MD5withRSA"},
     * {@code "SHA384withECDSA"}, {@code "SHA1withDSA"}, {@code "SHA256withRSAandMGF1"} (RSASSA-PSS); it must suit
     * the signing key. Default: matched to the signing key.
     */
    public CertificateBuilder signatureAlgorithm(String signatureAlgorithm) {
      this.signatureAlgorithm = Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
      return this;
    }

    /** The validity window, both ends inclusive (truncated to seconds). */
    public CertificateBuilder validity(Instant notBefore, Instant notAfter) {
      this.notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
      this.notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    /**
     * {@code true} (default): basicConstraints CA:TRUE and keyUsage keyCertSign, cRLSign. {@code false}: an end
     * entity, basicConstraints CA:FALSE and keyUsage digitalSignature.
     */
    public CertificateBuilder ca(boolean ca) {
      this.ca = ca;
      return this;
    }

    /** An X.509 version 1 certificate: no extensions at all (so no basicConstraints and no key identifiers). */
    public CertificateBuilder version1() {
      this.version1 = true;
      return this;
    }

    /** A CA whose basicConstraints has this pathLenConstraint: at most this many CAs may follow it on a path. */
    public CertificateBuilder pathLength(int pathLength) {
      this.ca = true;
      this.pathLength = pathLength;
      return this;
    }

    /** Version 3, but without the basicConstraints extension. */
    public CertificateBuilder withoutBasicConstraints() {
      this.basicConstraints = false;
      return this;
    }

    /** Without subject and authority key identifier extensions (as in some old roots). */
    public CertificateBuilder withoutKeyIdentifiers() {
      this.keyIdentifiers = false;
      return this;
    }

    /** Write this issuer name instead of the issuer's subject (or, when self-signed, instead of the subject). */
    public CertificateBuilder issuerName(String issuerName) {
      this.issuerName = new X500Principal(issuerName);
      return this;
    }

    /**
     * Sign with this key instead of the issuer's: the certificate names its issuer as usual but its signature does
     * not verify with the issuer's key (a broken signature).
     */
    public CertificateBuilder signingKey(KeyPair signingKey) {
      this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
      return this;
    }

    /** A subjectAltName extension with these DNS names (wildcards such as {@code *.example.com} as given). */
    public CertificateBuilder dnsNames(String... dnsNames) {
      this.dnsNames = List.of(dnsNames);
      return this;
    }

    /**
     * An extendedKeyUsage extension with these purposes, e.g. {@code KeyPurposeId.id_kp_serverAuth},
     * {@code KeyPurposeId.id_kp_clientAuth}. Default: none.
     */
    public CertificateBuilder extendedKeyUsage(KeyPurposeId... purposes) {
      this.extendedKeyUsage = List.of(purposes);
      return this;
    }

    /**
     * The keyUsage extension's bits, BouncyCastle {@link KeyUsage} constants or'ed (e.g.
     * {@code KeyUsage.digitalSignature | KeyUsage.keyEncipherment}), instead of the default for {@link #ca(boolean)};
     * 0 leaves the extension out.
     */
    public CertificateBuilder keyUsage(int bits) {
      this.keyUsage = bits;
      return this;
    }

    /** A self-signed certificate: issuer = subject, signed by its own key. */
    public Issued selfSigned() {
      KeyPair subjectKey = subjectKey();
      return build(subjectKey, subject, subjectKey);
    }

    /** A certificate issued by {@code issuer}: its subject as issuer name, signed by its key. */
    public Issued issuedBy(Issued issuer) {
      return build(subjectKey(), issuer.certificate().getSubjectX500Principal(), issuer.keyPair());
    }

    private KeyPair subjectKey() {
      return keyPair != null ? keyPair : keySpec.generate();
    }

    private Issued build(KeyPair subjectKey, X500Principal issuer, KeyPair issuerKey) {
      X500Principal writtenIssuer = issuerName != null ? issuerName : issuer;
      PrivateKey signer = (signingKey != null ? signingKey : issuerKey).getPrivate();
      String algorithm = signatureAlgorithm != null ? signatureAlgorithm : defaultSignatureAlgorithm(signer);
      try {
        X509CertificateHolder holder;
        try {
          // The JDK's providers sign several times faster than BouncyCastle's.
          holder = build(subjectKey, writtenIssuer, issuerKey.getPublic(), new JcaContentSignerBuilder(algorithm)
              .build(signer));
        } catch (OperatorCreationException | RuntimeOperatorException jdkCannot) {
          // An algorithm name or a curve only BouncyCastle knows (SHA256withRSAandMGF1, secp224r1, ...).
          holder = build(subjectKey, writtenIssuer, issuerKey.getPublic(), new JcaContentSignerBuilder(algorithm)
              .setProvider(BC).build(signer));
        }
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        return new Issued(certificate, subjectKey);
      } catch (OperatorCreationException | IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot issue " + subject.getName() + ": " + e.getMessage(), e);
      }
    }

    private X509CertificateHolder build(
        KeyPair subjectKey, X500Principal writtenIssuer, PublicKey authorityKey, ContentSigner signer)
        throws IOException, GeneralSecurityException {
      BigInteger serial = new BigInteger(63, RANDOM);
      Date from = Date.from(notBefore);
      Date to = Date.from(notAfter);
      if (version1) {
        return new JcaX509v1CertificateBuilder(writtenIssuer, serial, from, to, subject, subjectKey.getPublic())
            .build(signer);
      }
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(writtenIssuer, serial, from, to, subject, subjectKey.getPublic());
      if (basicConstraints) {
        builder.addExtension(Extension.basicConstraints, true,
            pathLength != null ? new BasicConstraints(pathLength) : new BasicConstraints(ca));
      }
      int usage = keyUsage != null ? keyUsage
          : ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature;
      if (usage != 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      }
      if (extendedKeyUsage != null) {
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(extendedKeyUsage.toArray(KeyPurposeId[]::new)));
      }
      if (!dnsNames.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dnsNames.stream()
            .map(name -> new GeneralName(GeneralName.dNSName, name)).toArray(GeneralName[]::new)));
      }
      if (keyIdentifiers) {
        JcaX509ExtensionUtils identifiers = new JcaX509ExtensionUtils(); // holds a SHA-1 digest: one per use
        builder.addExtension(Extension.subjectKeyIdentifier, false,
            identifiers.createSubjectKeyIdentifier(subjectKey.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            identifiers.createAuthorityKeyIdentifier(authorityKey));
      }
      return builder.build(signer);
    }

    private static String defaultSignatureAlgorithm(PrivateKey signer) {
      return switch (signer.getAlgorithm()) {
        case "RSA" -> "SHA256withRSA";
        case "DSA" -> "SHA256withDSA";
        case "EC", "ECDSA" -> {
          int bits = ((ECKey) signer).getParams().getOrder().bitLength();
          yield bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        case "EdDSA" -> ((EdECKey) signer).getParams().getName(); // Ed25519 or Ed448 names its own signature
        default -> signer.getAlgorithm();
      };
    }
  }
}
