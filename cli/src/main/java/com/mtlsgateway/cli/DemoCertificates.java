package com.mtlsgateway.cli;

import com.mtlsgateway.certificate.Der;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Server certificates for a local emulator, made with the JDK alone: the CLI carries no certificate library, and the
 * private key an import needs must be made where it is used rather than kept in the repository.
 *
 * <p>A root CA and an issuing CA (EC P-256, ECDSA with SHA-256, as a private CA would issue) and a server
 * certificate for a domain and its {@code www.} name with an RSA 2048 key (keyUsage digitalSignature and
 * keyEncipherment, extendedKeyUsage serverAuth): what {@code Custom::ImportedCertificate} checks and ACM imports.
 * X.509 v3 (RFC 5280) written with the project's DER encoder ({@link Der#element}); not a general encoder.
 */
final class DemoCertificates {

  /** A certificate and its key pair. */
  record Issued(X509Certificate certificate, KeyPair keyPair) {
    String pem() {
      return DemoCertificates.pem("CERTIFICATE", encoded(certificate));
    }
  }

  /**
   * A server certificate with its chain (issuing CA, then root) and key.
   *
   * @param server the server certificate
   * @param chain the issuing CA then the root
   */
  record ServerMaterial(Issued server, List<Issued> chain) {
    String certificatePem() {
      return server.pem();
    }

    String chainPem() {
      StringBuilder pem = new StringBuilder();
      chain.forEach(ca -> pem.append(ca.pem()));
      return pem.toString();
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as ACM and Secrets Manager take it. */
    String keyPem() {
      return privateKeyPem(server.keyPair().getPrivate());
    }

    /** Another certificate for the same key and name from the same issuing CA. */
    ServerMaterial renewed(String domain, Instant notBefore, Instant notAfter) throws GeneralSecurityException {
      return new ServerMaterial(serverCertificate(domain, server.keyPair(), chain.get(0), notBefore, notAfter), chain);
    }
  }

  private static final String EC_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String ORGANIZATION = "2.5.4.10";
  private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
  private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  /** keyUsage keyCertSign and cRLSign: bits 5 and 6, one unused bit. */
  private static final byte[] CA_KEY_USAGE = {1, 0x06};
  /** keyUsage digitalSignature and keyEncipherment: bits 0 and 2, five unused bits. */
  private static final byte[] SERVER_KEY_USAGE = {5, (byte) 0xA0};
  private static final String ORGANIZATION_NAME = "mtls-gateway demo";
  private static final SecureRandom RANDOM = new SecureRandom();

  private DemoCertificates() {}

  /**
   * A new root CA, issuing CA and server certificate for {@code domain} and {@code www.domain}.
   *
   * @param notBefore start of every certificate's validity; the CAs end a year after the server certificate
   */
  static ServerMaterial serverMaterial(String domain, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    Instant caNotAfter = notAfter.plusSeconds(366L * 24 * 3600);
    KeyPair rootKey = ecKey();
    Issued root = sign(name("Demo Server Root CA"), rootKey, null, notBefore, caNotAfter,
        caExtensions(rootKey, null, -1));
    KeyPair issuingKey = ecKey();
    Issued issuing = sign(name("Demo Server Issuing CA"), issuingKey, root, notBefore, caNotAfter,
        caExtensions(issuingKey, root, 0));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048, RANDOM);
    return new ServerMaterial(serverCertificate(domain, rsa.generateKeyPair(), issuing, notBefore, notAfter),
        List.of(issuing, root));
  }

  private static Issued serverCertificate(String domain, KeyPair key, Issued issuer, Instant notBefore,
      Instant notAfter) throws GeneralSecurityException {
    List<byte[]> extensions = List.of(
        extension(BASIC_CONSTRAINTS, true, Der.element(Der.SEQUENCE)),
        extension(KEY_USAGE, true, Der.element(0x03, SERVER_KEY_USAGE)),
        extension(EXTENDED_KEY_USAGE, false, Der.element(Der.SEQUENCE, oid(SERVER_AUTH))),
        extension(SUBJECT_ALT_NAME, false, Der.element(Der.SEQUENCE,
            Der.element(0x82, domain.getBytes(StandardCharsets.US_ASCII)),
            Der.element(0x82, ("www." + domain).getBytes(StandardCharsets.US_ASCII)))),
        extension(SUBJECT_KEY_IDENTIFIER, false, Der.element(0x04, keyIdentifier(key))),
        extension(AUTHORITY_KEY_IDENTIFIER, false,
            Der.element(Der.SEQUENCE, Der.element(0x80, keyIdentifier(issuer.keyPair())))));
    return sign(name(domain), key, issuer, notBefore, notAfter, extensions);
  }

  /** @param pathLength the CA's pathLenConstraint, or -1 for none */
  private static List<byte[]> caExtensions(KeyPair key, Issued issuer, int pathLength) {
    List<byte[]> extensions = new ArrayList<>();
    byte[] isCa = Der.element(0x01, new byte[] {(byte) 0xFF});
    extensions.add(extension(BASIC_CONSTRAINTS, true,
        pathLength < 0 ? Der.element(Der.SEQUENCE, isCa)
            : Der.element(Der.SEQUENCE, isCa, integer(BigInteger.valueOf(pathLength)))));
    extensions.add(extension(KEY_USAGE, true, Der.element(0x03, CA_KEY_USAGE)));
    extensions.add(extension(SUBJECT_KEY_IDENTIFIER, false, Der.element(0x04, keyIdentifier(key))));
    if (issuer != null) {
      extensions.add(extension(AUTHORITY_KEY_IDENTIFIER, false,
          Der.element(Der.SEQUENCE, Der.element(0x80, keyIdentifier(issuer.keyPair())))));
    }
    return extensions;
  }

  /** Signs a certificate for {@code name} and {@code key}, by {@code issuer} or, when null, by itself. */
  private static Issued sign(byte[] name, KeyPair key, Issued issuer, Instant notBefore, Instant notAfter,
      List<byte[]> extensions) throws GeneralSecurityException {
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    serial[0] = (byte) ((serial[0] & 0x7F) | 0x40); // positive, and 16 bytes long
    byte[] algorithm = Der.element(Der.SEQUENCE, oid(EC_WITH_SHA256));
    byte[] issuerName = issuer == null ? name : issuer.certificate().getSubjectX500Principal().getEncoded();
    byte[] tbs = Der.element(Der.SEQUENCE,
        Der.element(0xA0, integer(BigInteger.TWO)),
        integer(new BigInteger(serial)),
        algorithm,
        issuerName,
        Der.element(Der.SEQUENCE, time(notBefore), time(notAfter)),
        name,
        key.getPublic().getEncoded(),
        Der.element(0xA3, Der.element(Der.SEQUENCE, extensions.toArray(byte[][]::new))));
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign((issuer == null ? key : issuer.keyPair()).getPrivate());
    signature.update(tbs);
    byte[] certificate = Der.element(Der.SEQUENCE, tbs, algorithm, bitString(signature.sign()));
    return new Issued((X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificate)), key);
  }

  static String privateKeyPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a certificate made here cannot be encoded", e);
    }
  }

  private static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  /** SHA-1 of the whole SubjectPublicKeyInfo: a stable identifier of the key (RFC 7093 allows any such hash). */
  private static byte[] keyIdentifier(KeyPair key) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(key.getPublic().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
    }
  }

  /** {@code O=mtls-gateway demo, CN=commonName}. */
  private static byte[] name(String commonName) {
    return Der.element(Der.SEQUENCE, attribute(ORGANIZATION, ORGANIZATION_NAME), attribute(COMMON_NAME, commonName));
  }

  /** One RelativeDistinguishedName: a SET of one attribute, its value a UTF8String. */
  private static byte[] attribute(String type, String value) {
    return Der.element(0x31, Der.element(Der.SEQUENCE, oid(type), Der.element(0x0C,
        value.getBytes(StandardCharsets.UTF_8))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.element(Der.SEQUENCE, oid(oid), Der.element(0x01, new byte[] {(byte) 0xFF}), Der.element(0x04, value))
        : Der.element(Der.SEQUENCE, oid(oid), Der.element(0x04, value));
  }

  /** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
  private static byte[] time(Instant instant) {
    boolean utc = instant.atZone(ZoneOffset.UTC).getYear() < 2050;
    String text = DateTimeFormatter.ofPattern(utc ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'")
        .format(instant.atZone(ZoneOffset.UTC));
    return Der.element(utc ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(String dotted) {
    long[] arcs = Arrays.stream(dotted.split("\\.")).mapToLong(Long::parseLong).toArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      base128(out, arcs[i]);
    }
    return Der.element(0x06, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      out.write((int) ((value >>> (7 * i)) & 0x7F) | (i == 0 ? 0 : 0x80));
    }
  }

  private static byte[] integer(BigInteger value) {
    return Der.element(0x02, value.toByteArray());
  }

  private static byte[] bitString(byte[] bytes) {
    byte[] content = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, content, 1, bytes.length);
    return Der.element(0x03, content);
  }
}
