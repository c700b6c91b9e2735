package com.mtlsgateway.cli;

import com.mtlsgateway.testing.TestPki;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Local HTTPS servers on 127.0.0.1 (a free port each) with real certificates, to play an API Gateway mutual TLS
 * custom domain and the default execute-api endpoint.
 */
final class LocalHttps implements AutoCloseable {

  /** How the server treats client certificates. */
  enum ClientAuth {
    /** Handshake fails without a certificate it trusts (API Gateway mutual TLS). */
    NEED,
    /** Asks for one, but completes the handshake without. */
    WANT,
    /** Never asks. */
    NONE
  }

  static final String HEALTH_OK = "{\"DEMO\":\"Health Check OK\"}";
  static final String FORBIDDEN = "{\"message\":\"Forbidden\"}";

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "local-https");
    thread.setDaemon(true);
    return thread;
  });

  private LocalHttps(HttpsServer server) {
    this.server = server;
  }

  /** A handler answering {@code status} with a JSON body. */
  static HttpHandler answer(int status, String json) {
    return exchange -> send(exchange, status, json);
  }

  /** 200 {@link #HEALTH_OK} to a client with a certificate, 403 {@link #FORBIDDEN} to one without. */
  static HttpHandler forbiddenWithoutCertificate(String body) {
    return exchange -> {
      try {
        ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
        send(exchange, 200, HEALTH_OK);
      } catch (SSLPeerUnverifiedException e) {
        send(exchange, 403, body);
      }
    };
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Starts a server presenting the Pki's server certificate (for 127.0.0.1) and trusting client certificates issued
   * under its client root CA, with a handler per path prefix.
   */
  static LocalHttps start(Pki pki, ClientAuth clientAuth, Map<String, HttpHandler> handlers)
      throws IOException, GeneralSecurityException {
    return start(pki, clientAuth, handlers, new String[0]);
  }

  /** As {@link #start(Pki, ClientAuth, Map)}, limited to these TLS versions (e.g. "TLSv1.2"). */
  static LocalHttps start(Pki pki, ClientAuth clientAuth, Map<String, HttpHandler> handlers, String... protocols)
      throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(pki.serverKeyManagers(), pki.clientTrustManagers(), new SecureRandom());
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        parameters.setNeedClientAuth(clientAuth == ClientAuth.NEED);
        if (clientAuth == ClientAuth.WANT) {
          parameters.setWantClientAuth(true);
        }
        if (protocols.length > 0) {
          parameters.setProtocols(protocols);
        }
        params.setSSLParameters(parameters);
      }
    });
    handlers.forEach(server::createContext);
    LocalHttps local = new LocalHttps(server);
    server.setExecutor(local.executor);
    server.start();
    return local;
  }

  URI url(String path) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * The certificates of a test: a server CA and a server certificate for IP 127.0.0.1; a client root CA, an
   * intermediate under it, and a client certificate under the intermediate (servers trust only the root, so the
   * client must send the intermediate too).
   */
  static final class Pki {
    final TestPki pki = TestPki.at(Instant.now());
    final TestPki.Issued serverCa = pki.certificate("CN=Smoke Server CA").selfSigned();
    final TestPki.Issued clientRoot = pki.certificate("CN=Smoke Client Root CA").selfSigned();
    final TestPki.Issued clientIntermediate = pki.certificate("CN=Smoke Client Intermediate CA").issuedBy(clientRoot);
    final TestPki.Issued client = clientCertificate(TestPki.KeySpec.EC_P256);
    private final KeyPair serverKey = TestPki.KeySpec.EC_P256.generate();
    private final X509Certificate server = serverCertificate();

    /**
     * A client certificate ("CN=smoke-client") under the intermediate, with a fresh key of {@code spec} (RSA: the
     * JVM's shared RSA key, which is slow to generate).
     */
    TestPki.Issued clientCertificate(TestPki.KeySpec spec) {
      TestPki.CertificateBuilder builder = pki.certificate("CN=smoke-client").ca(false);
      builder = spec.algorithm().equals("RSA") ? builder.key(TestPki.sharedKey(spec)) : builder.key(spec);
      return builder.issuedBy(clientIntermediate);
    }

    /** The client certificate followed by the intermediate: what --cert holds. */
    String clientChainPem(TestPki.Issued leaf) {
      return TestPki.bundle(leaf, clientIntermediate);
    }

    private X509Certificate serverCertificate() {
      try {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(serverCa.certificate(),
            BigInteger.valueOf(new SecureRandom().nextInt(Integer.MAX_VALUE)),
            Date.from(pki.now().minus(Duration.ofDays(1))), Date.from(pki.now().plus(Duration.ofDays(30))),
            new X500Principal("CN=127.0.0.1"), serverKey.getPublic());
        // HttpClient checks the name: an IP address must be in the subjectAltName.
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
            new JcaContentSignerBuilder("SHA256withECDSA").build(serverCa.keyPair().getPrivate())));
      } catch (Exception e) {
        throw new IllegalStateException("cannot issue the server certificate", e);
      }
    }

    private KeyManager[] serverKeyManagers() throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "test".toCharArray();
      store.setKeyEntry("server", serverKey.getPrivate(), password,
          new Certificate[] {server, serverCa.certificate()});
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    }

    private TrustManager[] clientTrustManagers() throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("client-root", clientRoot.certificate());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    }
  }
}
