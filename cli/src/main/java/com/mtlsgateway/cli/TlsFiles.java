package com.mtlsgateway.cli;

import com.mtlsgateway.certificate.KeyMatch;
import com.mtlsgateway.certificate.PemFile;
import com.mtlsgateway.certificate.PemPrivateKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS material {@code mtls smoke} and {@code mtls serve} read from files: a certificate with its chain and key,
 * and extra CAs.
 */
final class TlsFiles {

  private TlsFiles() {}

  /** A file that cannot be used; the message names it and what to do, and holds no key material. */
  static final class TlsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsFileException(String message) {
      super(message);
    }
  }

  /**
   * A client certificate (first), the rest of its chain, and the private key that matches it.
   *
   * @param chain the client certificate followed by the chain from the --cert file, in file order
   * @param key the private key
   */
  record ClientIdentity(List<X509Certificate> chain, PrivateKey key) {

    X509Certificate certificate() {
      return chain.get(0);
    }

    /** An SSLContext that presents this identity and trusts what {@code trust} trusts. */
    SSLContext context(X509TrustManager trust) throws GeneralSecurityException {
      return TlsFiles.context(new KeyManager[] {new FixedKeyManager(this)}, trust);
    }
  }

  /**
   * A server certificate (first), the rest of its chain, and its private key: what {@code mtls serve} presents.
   *
   * @param chain the server certificate followed by the chain from the --cert file, in file order
   * @param key the private key
   */
  record ServerIdentity(List<X509Certificate> chain, PrivateKey key) {

    /** Key managers that present this certificate chain and key to every client. */
    KeyManager[] keyManagers() throws GeneralSecurityException {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        // An in-memory store only: the password protects nothing and is never written anywhere.
        char[] password = new char[0];
        store.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
      } catch (IOException e) {
        throw new GeneralSecurityException("cannot hold the server key in memory: " + e.getMessage(), e);
      }
    }
  }

  /** Reads --cert and --key and checks that the key belongs to the first certificate. */
  static ClientIdentity clientIdentity(Path certFile, Path keyFile) throws TlsFileException {
    List<X509Certificate> chain = certificates(certFile, "--cert");
    return new ClientIdentity(List.copyOf(chain), matchingKey(certFile, keyFile, chain, "client"));
  }

  /** Reads the server's --cert (the server certificate first, then its chain) and --key, which must match. */
  static ServerIdentity serverIdentity(Path certFile, Path keyFile) throws TlsFileException {
    List<X509Certificate> chain = certificates(certFile, "--cert");
    return new ServerIdentity(List.copyOf(chain), matchingKey(certFile, keyFile, chain, "server"));
  }

  private static PrivateKey matchingKey(Path certFile, Path keyFile, List<X509Certificate> chain, String role)
      throws TlsFileException {
    byte[] keyBytes = read(keyFile);
    PrivateKey key;
    try {
      key = PemPrivateKey.read(keyBytes, keyFile.toString(), chain.get(0).getPublicKey());
    } catch (PemPrivateKey.KeyFileException e) {
      throw new TlsFileException(e.getMessage());
    }
    String mismatch = mismatch(key, chain.get(0).getPublicKey());
    if (mismatch != null) {
      throw new TlsFileException("the private key in " + keyFile + " (--key) does not match the " + role
          + " certificate in " + certFile + " (--cert) (" + mismatch + "); the " + role
          + " certificate must come first in " + certFile + ", followed by its chain");
    }
    return key;
  }

  /**
   * The JDK's default trust store (the {@code cacerts} of this Java, or {@code javax.net.ssl.trustStore}), plus the
   * certificates of {@code caFile} when it is not null.
   */
  static X509TrustManager trust(Path caFile) throws TlsFileException {
    try {
      X509TrustManager jdk = trustManager(null);
      if (caFile == null) {
        return jdk;
      }
      List<X509Certificate> extra = certificates(caFile, "--ca");
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate anchor : jdk.getAcceptedIssuers()) {
        store.setCertificateEntry("jdk-" + i++, anchor);
      }
      for (X509Certificate anchor : extra) {
        store.setCertificateEntry("ca-" + i++, anchor);
      }
      return trustManager(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsFileException("cannot set up the trusted CAs: " + e.getMessage());
    }
  }

  /** An SSLContext with these key managers (none: no client certificate) and this trust. */
  static SSLContext context(KeyManager[] keyManagers, X509TrustManager trust) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, new TrustManager[] {trust}, new SecureRandom());
    return context;
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JDK has no X509TrustManager");
  }

  /** The CERTIFICATE blocks of a PEM file, in order; at least one. Other blocks (a key, too) are ignored. */
  static List<X509Certificate> certificates(Path file, String option) throws TlsFileException {
    List<PemFile.Block> blocks = PemFile.read(read(file));
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 CertificateFactory", e);
    }
    int index = 0;
    for (PemFile.Block block : blocks) {
      if (!block.label().equals("CERTIFICATE")) {
        continue;
      }
      if (block.problem() != null) {
        throw new TlsFileException(file + " (" + option + "): CERTIFICATE #" + index + " " + block.problem());
      }
      try {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException | ClassCastException e) {
        throw new TlsFileException(file + " (" + option + "): CERTIFICATE #" + index + " is not an X.509"
            + " certificate; check it with `openssl x509 -in " + file + " -noout -text`");
      }
      index++;
    }
    if (certificates.isEmpty()) {
      boolean key = blocks.stream().anyMatch(b -> b.label().endsWith("PRIVATE KEY"));
      throw new TlsFileException(file + " (" + option + ") holds no -----BEGIN CERTIFICATE----- block"
          + (key ? " but a private key" + ("--cert".equals(option) ? ": are --cert and --key swapped?"
              : ": it must hold certificates only") : "; it must be PEM (convert DER with"
              + " `openssl x509 -inform DER -in " + file + " -out cert.pem`)"));
    }
    return certificates;
  }

  private static byte[] read(Path file) throws TlsFileException {
    try {
      return InputFiles.read(file);
    } catch (IOException e) {
      throw new TlsFileException("cannot read " + file + ": " + InputFiles.describe(e));
    }
  }

  /** Why {@code key} is not the private half of {@code certificateKey}, or null when it is. */
  static String mismatch(PrivateKey key, PublicKey certificateKey) {
    return KeyMatch.mismatch(key, certificateKey);
  }

  /**
   * Presents the one identity whatever CAs the server lists in its CertificateRequest, as curl and openssl do: a
   * client certificate the server does not trust then shows as the server's refusal, not as a client that silently
   * sent nothing. Only the key type has to suit the handshake.
   */
  private static final class FixedKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final ClientIdentity identity;
    private final String keyFamily;

    FixedKeyManager(ClientIdentity identity) {
      this.identity = identity;
      this.keyFamily = KeyMatch.family(identity.key().getAlgorithm());
    }

    private boolean suits(String keyType) {
      // TLS 1.3 asks for "EC", "RSA", "RSASSA-PSS", "EdDSA"; TLS 1.2 may ask for "EC_EC", "RSA" and the like.
      String wanted = KeyMatch.family(keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType);
      return wanted.equals(keyFamily);
    }

    private String choose(String[] keyTypes) {
      if (keyTypes != null) {
        for (String keyType : keyTypes) {
          if (keyType != null && suits(keyType)) {
            return ALIAS;
          }
        }
      }
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return choose(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return choose(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return suits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? identity.chain().toArray(new X509Certificate[0]) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? identity.key() : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
