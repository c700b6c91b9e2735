package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test PKI made by openssl as a CA operator makes one: in a folder, {@code NAME.key} and {@code NAME.pem} per
 * certificate, an {@code openssl ca} database and the CRLs. Extension sections of {@code ca.cnf}: {@code root_ca}
 * (a root without authorityKeyIdentifier), {@code ca_ext} (a CA with it), {@code client}, {@code tls_client} (a
 * client whose basicConstraints is critical), {@code tls_server} (127.0.0.1 and localhost) and the CRL extensions
 * {@code crl_ext}. Certificates get random serials, SHA-256 and 365 days unless an option says otherwise.
 */
final class OpensslPki {

  /** The key algorithms: EC on P-256, RSA of 2048 bits. */
  enum Key {
    EC("EC", "ec_paramgen_curve:P-256"),
    RSA("RSA", "rsa_keygen_bits:2048");

    private final String algorithm;
    private final String option;

    Key(String algorithm, String option) {
      this.algorithm = algorithm;
      this.option = option;
    }
  }

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String CONFIG = """
      [ req ]
      distinguished_name = dn
      prompt = no
      [ dn ]
      CN = unused
      [ ca ]
      default_ca = test_ca
      [ test_ca ]
      database = index.txt
      new_certs_dir = .
      rand_serial = yes
      crlnumber = crlnumber
      default_md = sha256
      default_days = 365
      default_crl_days = 30
      policy = any
      unique_subject = no
      email_in_dn = no
      [ any ]
      commonName = supplied
      organizationName = optional
      [ root_ca ]
      basicConstraints = critical, CA:TRUE
      keyUsage = critical, keyCertSign, cRLSign
      subjectKeyIdentifier = hash
      [ ca_ext ]
      basicConstraints = critical, CA:TRUE
      keyUsage = critical, keyCertSign, cRLSign
      subjectKeyIdentifier = hash
      authorityKeyIdentifier = keyid:always
      [ client ]
      basicConstraints = CA:FALSE
      keyUsage = critical, digitalSignature
      extendedKeyUsage = clientAuth
      subjectKeyIdentifier = hash
      authorityKeyIdentifier = keyid:always
      [ tls_client ]
      basicConstraints = critical, CA:FALSE
      keyUsage = critical, digitalSignature
      extendedKeyUsage = clientAuth
      authorityKeyIdentifier = keyid:always
      [ tls_server ]
      basicConstraints = critical, CA:FALSE
      keyUsage = critical, digitalSignature
      extendedKeyUsage = serverAuth
      subjectAltName = IP:127.0.0.1, DNS:localhost
      authorityKeyIdentifier = keyid:always
      [ crl_ext ]
      authorityKeyIdentifier = keyid:always
      """;

  private final Path dir;

  /** Writes {@code ca.cnf} and an empty CA database into {@code dir}, an existing folder. */
  OpensslPki(Path dir) throws IOException {
    this.dir = dir;
    Files.writeString(dir.resolve("ca.cnf"), CONFIG);
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("crlnumber"), "01\n");
  }

  /** The absolute path of {@code name} in the folder. */
  String file(String name) {
    return dir.resolve(name).toString();
  }

  /** Makes {@code NAME.key}. */
  void key(String name, Key key) throws IOException, InterruptedException {
    openssl("genpkey", "-algorithm", key.algorithm, "-pkeyopt", key.option, "-out", name + ".key");
  }

  /** A self-signed CA {@code NAME.pem} for {@code subject} ("/O=.../CN=..."), valid {@code days} from now. */
  void root(String name, String subject, String extensions, int days, Key key)
      throws IOException, InterruptedException {
    key(name, key);
    openssl("req", "-x509", "-new", "-config", "ca.cnf", "-key", name + ".key", "-sha256", "-days",
        String.valueOf(days), "-subj", subject, "-extensions", extensions, "-out", name + ".pem");
  }

  /**
   * {@code NAME.pem} for {@code subject} issued by the CA {@code issuer} with the config's {@code extensions};
   * {@code options} go to {@code openssl ca} ("-md", "sha1"; "-days", "30"; "-startdate", ..., "-enddate", ...).
   */
  void issue(String name, String subject, String issuer, String extensions, Key key, String... options)
      throws IOException, InterruptedException {
    key(name, key);
    openssl("req", "-new", "-config", "ca.cnf", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
    List<String> args = new ArrayList<>(List.of("ca", "-batch", "-notext", "-preserveDN", "-config", "ca.cnf",
        "-cert", issuer + ".pem", "-keyfile", issuer + ".key", "-extensions", extensions, "-in", name + ".csr",
        "-out", name + ".pem"));
    args.addAll(List.of(options));
    openssl(args.toArray(String[]::new));
  }

  /** Records {@code NAME.pem} as revoked in the CA database, for the next {@link #crl}. */
  void revoke(String issuer, String name) throws IOException, InterruptedException {
    openssl("ca", "-batch", "-config", "ca.cnf", "-cert", issuer + ".pem", "-keyfile", issuer + ".key", "-revoke",
        name + ".pem");
  }

  /**
   * The CRL {@code file} of the CA {@code issuer}, next update in 30 days; {@code options} go to {@code openssl ca}
   * ("-crlexts", "crl_ext"; "-crl_lastupdate", ..., "-crl_nextupdate", ...).
   */
  void crl(String issuer, String file, String... options) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("ca", "-batch", "-config", "ca.cnf", "-cert", issuer + ".pem",
        "-keyfile", issuer + ".key", "-gencrl", "-out", file));
    args.addAll(List.of(options));
    openssl(args.toArray(String[]::new));
  }

  /** {@code file}: the certificates {@code NAME.pem} of {@code names}, in that order. */
  void bundle(String file, String... names) throws IOException {
    StringBuilder pem = new StringBuilder();
    for (String name : names) {
      pem.append(Files.readString(dir.resolve(name + ".pem"), StandardCharsets.US_ASCII));
    }
    Files.writeString(dir.resolve(file), pem, StandardCharsets.US_ASCII);
  }

  /** Runs openssl in the folder; fails the test when it is missing or exits non-zero. */
  Command openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Command run;
    try {
      run = Command.run(dir, TIMEOUT, command);
    } catch (IOException e) {
      throw new AssertionError("openssl is needed (Debian/Ubuntu: apt-get install openssl): " + e.getMessage(), e);
    }
    assertThat(run.exitCode()).as("openssl " + String.join(" ", args) + ": " + run.transcript()).isZero();
    return run;
  }
}
