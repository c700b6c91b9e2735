package com.mtlsgateway.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDK's own trust store ({@code $JAVA_HOME/lib/security/cacerts}): about a hundred real, independently made roots
 * on every machine that runs the tests, since every JDK ships it (on some Linux distributions it is a link into /etc).
 */
public final class JdkTrustStore {

  /** The file, for messages. */
  public static final File CACERTS = new File(System.getProperty("java.home"), "lib/security/cacerts");

  private JdkTrustStore() {}

  /**
   * Every distinct trusted certificate, in alias order; fails the test when the JDK has no cacerts.
   *
   * @throws Exception when the file cannot be read as a key store
   */
  public static List<X509Certificate> roots() throws Exception {
    if (!CACERTS.isFile()) {
      fail("The JDK running the tests (java.home " + System.getProperty("java.home") + ") has no " + CACERTS
          + ", the trust store every JDK ships: reinstall the JDK, or on Linux the package that provides its CA"
          + " certificates (Debian and Ubuntu: ca-certificates-java; Amazon Linux, Fedora and RHEL: ca-certificates).");
    }
    // No password: that is how the JDK's own TLS reads its default trust store (unless javax.net.ssl.trustStorePassword
    // is set), whether the file is JKS (some Linux distributions) or the password-less PKCS12 the JDK ships.
    KeyStore cacerts = KeyStore.getInstance(CACERTS, (char[]) null);
    List<String> aliases = Collections.list(cacerts.aliases());
    Collections.sort(aliases);
    // Identical certificates under two aliases would be the validator's DUPLICATE: keep each certificate once.
    Map<String, X509Certificate> byDer = new LinkedHashMap<>();
    for (String alias : aliases) {
      if (cacerts.isCertificateEntry(alias) && cacerts.getCertificate(alias) instanceof X509Certificate x509) {
        byDer.putIfAbsent(HexFormat.of().formatHex(x509.getEncoded()), x509);
      }
    }
    return List.copyOf(byDer.values());
  }

  /** The certificates as one PEM bundle (LF line ends). */
  public static byte[] bundle(List<X509Certificate> certificates) throws Exception {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append(TestPki.pem("CERTIFICATE", certificate.getEncoded()));
    }
    return pem.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
