package com.mtlsgateway.certificate;

import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.testing.TestPki.Issued;
import com.mtlsgateway.testing.TestPki.KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Server certificates as a CA would issue them (root, issuing CA, server certificate for {@value #DOMAIN} with an
 * RSA 2048 key, serverAuth), and what events/imported-certificate-*.json expect in moto: bucket {@value #BUCKET}
 * holding {@code server.pem}, {@code server-2026.pem} (a renewal with the same key) and {@code chain.pem}, and the
 * secret {@value #SECRET_NAME} holding the PEM private key.
 */
public final class ServerCertificates {
  public static final String DOMAIN = "api.example.com";
  public static final String BUCKET = "mtls-gateway-demo-certificates";
  public static final String SECRET_NAME = "mtls-gateway-demo/server-key";
  /** A partial ARN (no random suffix), as a template would build it from the name; Secrets Manager accepts it. */
  public static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + SECRET_NAME;

  private ServerCertificates() {}

  /**
   * A server certificate and its chain.
   *
   * @param issuers the issuing CA then the root
   */
  public record Material(Issued server, List<Issued> issuers) {
    public String certificatePem() {
      return server.pem();
    }

    public String chainPem() {
      return TestPki.bundle(issuers);
    }

    public String keyPem() {
      return server.privateKeyPem();
    }

    /** A renewal: a new certificate for the same key, from the same issuing CA, valid 35 days longer. */
    public Material renewed(TestPki pki) {
      return new Material(serverBuilder(pki).key(server.keyPair())
          .validity(pki.now().minus(Duration.ofDays(1)), pki.now().plus(Duration.ofDays(400)))
          .issuedBy(issuers.get(0)), issuers);
    }

    /** A re-key: a new certificate for a new key of the same type. */
    public Material rekeyed(TestPki pki) {
      return new Material(serverBuilder(pki).key(KeySpec.RSA_2048).issuedBy(issuers.get(0)), issuers);
    }
  }

  public static Material issue(TestPki pki) {
    Issued root = pki.certificate("CN=Demo Server Root CA").key(KeySpec.RSA_2048).selfSigned();
    Issued issuing = pki.certificate("CN=Demo Server Issuing CA").key(KeySpec.RSA_2048).issuedBy(root);
    KeyPair key = KeySpec.RSA_2048.generate();
    return new Material(serverBuilder(pki).key(key).issuedBy(issuing), List.of(issuing, root));
  }

  private static TestPki.CertificateBuilder serverBuilder(TestPki pki) {
    return pki.certificate("CN=" + DOMAIN + ",O=Demo").ca(false).dnsNames(DOMAIN, "www." + DOMAIN)
        .validity(pki.now().minus(Duration.ofDays(1)), pki.now().plus(Duration.ofDays(365)))
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth);
  }

  /** Puts what the event files expect into moto (after a reset): returns the Create's material. */
  public static Material prepareEventFiles(TestPki pki, S3Client s3, SecretsManagerClient secrets) {
    Material material = issue(pki);
    s3.createBucket(b -> b.bucket(BUCKET));
    put(s3, "server.pem", material.certificatePem());
    put(s3, "server-2026.pem", material.renewed(pki).certificatePem());
    put(s3, "chain.pem", material.chainPem());
    secrets.createSecret(b -> b.name(SECRET_NAME).secretString(material.keyPem()));
    return material;
  }

  public static void put(S3Client s3, String key, String text) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
  }

  /** Clients for moto, built like production's (endpoint, Region and credentials from the SDK's settings). */
  public static AcmClient acm() {
    return AcmClient.builder().httpClient(Apache5HttpClient.builder().build()).build();
  }

  public static SecretsManagerClient secretsManager() {
    return SecretsManagerClient.builder().httpClient(Apache5HttpClient.builder().build()).build();
  }
}
