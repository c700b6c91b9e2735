package com.mtlsgateway.cli.client;

import com.mtlsgateway.certificate.KeyMatch;
import com.mtlsgateway.cli.InputFiles;
import com.mtlsgateway.crypto.CertificateSignatures;
import com.mtlsgateway.crypto.KeyIdentifiers;
import com.mtlsgateway.revocation.AuthorizerSettings;
import com.mtlsgateway.revocation.ClientCertificate;
import com.mtlsgateway.revocation.CrlChecker;
import com.mtlsgateway.revocation.CrlFindings;
import com.mtlsgateway.revocation.CrlReport;
import com.mtlsgateway.revocation.RevocationIndex;
import com.mtlsgateway.truststore.Algorithms;
import com.mtlsgateway.truststore.Severity;
import com.mtlsgateway.truststore.TruststoreValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * API Gateway's acceptance of one client certificate (+ optional revocation), loaded once, thread-safe.
 *
 * <p>The path is built as API Gateway builds it (docs/client-check.md has the sources): from the client's
 * certificate, each issuer is looked up <em>in the truststore only</em> by name (and key identifier among same-named
 * CAs) and must verify the signature, up to a self-issued root; at most {@value TruststoreValidator#MAX_CA_DEPTH} CAs
 * (the client's certificate not counted). Every certificate on the path must be within its validity, signed with
 * SHA-256 or stronger and hold an RSA 2048+ or EC 256+ key ({@link Algorithms}); the truststore's certificates must be
 * CAs whose pathLenConstraint the path respects. With CRLs, the client's certificate is then checked as the revocation authorizer checks it (issuer and serial,
 * a CRL past nextUpdate plus the template's default grace period of {@link AuthorizerSettings#DEFAULT_GRACE} denies).
 */
public final class ClientAcceptance {

  private static final String STANDARDS = "API Gateway requires signatures with SHA-256 or stronger";

  /** The truststore's certificates in bundle order (duplicates kept, so that #index is the bundle's). */
  private final List<X509Certificate> truststore;
  /** The distinct CAs by subject: where issuers are looked up. */
  private final Map<X500Principal, List<X509Certificate>> bySubject = new HashMap<>();
  /** The revocation index built from the CRLs, or null without CRLs. */
  private final RevocationIndex revocation;
  private final Clock clock;

  private ClientAcceptance(List<X509Certificate> truststore, RevocationIndex revocation, Clock clock) {
    this.truststore = List.copyOf(truststore);
    truststore.stream().distinct().forEach(ca -> bySubject.computeIfAbsent(ca.getSubjectX500Principal(),
        subject -> new ArrayList<>(1)).add(ca));
    this.revocation = revocation;
    this.clock = clock;
  }

  /** A file that cannot be used; the message names the flag, the file, the problem and the fix. */
  public static final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
      super(message);
    }
  }

  /**
   * Reads the PEM truststore bundle and the CRL files (DER or PEM; checked with the same rules as {@code bin/mtls crl
   * check}, i.e. {@link CrlChecker}, and indexed as {@link RevocationIndex}).
   *
   * @param crls at most 10 files, as RevocationListUris; empty for no revocation check
   * @param clock the time certificates are checked at (read on each {@link #check}) and CRLs are loaded at
   * @throws InputException with a message naming the flag (--truststore / --crl), file, problem, fix: an unreadable
   *     file, a bundle without certificates, or a CRL with an ERROR finding
   */
  public static ClientAcceptance load(Path truststore, List<Path> crls, Clock clock) throws InputException {
    List<X509Certificate> cas;
    try {
      cas = CrlChecker.truststore(read(truststore, "--truststore"));
    } catch (CertificateException e) {
      throw new InputException("--truststore " + truststore + " does not read as a PEM bundle of CA certificates ("
          + e.getMessage() + "); check it with: mtls truststore validate " + truststore);
    }
    if (crls.isEmpty()) {
      return new ClientAcceptance(cas, null, clock);
    }
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (Path crl : crls) {
      inputs.add(new CrlChecker.Input(crl.toString(), read(crl, "--crl")));
    }
    CrlReport report = new CrlChecker(clock).check(cas, inputs);
    List<String> errors = report.findings().stream().filter(f -> f.code().severity() == Severity.ERROR)
        .map(CrlFindings::describe).toList();
    if (!errors.isEmpty()) {
      throw new InputException("--crl: " + String.join("; ", errors) + ". Custom::RevocationList refuses such CRLs"
          + " (an authorizer still holding an older index denies the CA's clients once its CRL is past nextUpdate plus"
          + " the grace period): give the CA's current complete CRL, or leave --crl out to check without revocation");
    }
    return new ClientAcceptance(cas, RevocationIndex.read(RevocationIndex.write(report.issuers())), clock);
  }

  private static byte[] read(Path file, String flag) throws InputException {
    try {
      return InputFiles.read(file);
    } catch (IOException e) {
      throw new InputException(flag + " " + file + ": cannot read it: " + InputFiles.describe(e));
    }
  }

  /** presented: the certificates the client sent, leaf first (the TLS Certificate message order). */
  public ClientVerdict check(List<X509Certificate> presented) {
    return check(presented, null);
  }

  /**
   * As {@link #check(List)}, and whether {@code key} is the client certificate's private key ({@code
   * KEY_MISMATCH}: the client could not complete the handshake).
   *
   * @param key the client's private key, or null not to check it
   */
  public ClientVerdict check(List<X509Certificate> presented, PrivateKey key) {
    if (presented.isEmpty()) {
      return new ClientVerdict(List.of(), List.of(new ClientProblem(ClientProblemCode.NO_CLIENT_CERTIFICATE,
          "the client sent no certificate: the mutual TLS domain refuses it (AWS does not document whether at the"
              + " handshake or with 403 Forbidden after it); give the client its certificate and key")));
    }
    Instant now = clock.instant();
    X509Certificate client = presented.get(0);
    List<ClientProblem> problems = new ArrayList<>();
    if (key != null) {
      String mismatch = KeyMatch.mismatch(key, client.getPublicKey());
      if (mismatch != null) {
        problems.add(new ClientProblem(ClientProblemCode.KEY_MISMATCH, describe(client, 0) + ": the private key is"
            + " not this certificate's (" + mismatch + "), so the client cannot complete the TLS handshake: give the"
            + " key this certificate was issued for, and the client certificate first in the certificate file"));
      }
    }
    List<X509Certificate> path = new ArrayList<>(List.of(client));
    ClientProblem broken;
    if (client.getSubjectX500Principal().equals(client.getIssuerX500Principal())
        && CertificateSignatures.failure(client, client.getPublicKey()) == null) {
      broken = new ClientProblem(ClientProblemCode.SELF_SIGNED, describe(client, 0) + " is self-signed: API Gateway"
          + " refuses self-signed client certificates (\"self signed certificate\"), even one in the truststore;"
          + " issue the client certificate from a CA and put that CA's chain, up to its root, in the truststore");
    } else {
      broken = extend(path, presented);
    }
    for (int i = 0; i < path.size(); i++) {
      checkCertificate(path.get(i), i, now, problems);
    }
    if (broken != null) {
      problems.add(broken);
    }
    int cas = path.size() - 1;
    if (cas > TruststoreValidator.MAX_CA_DEPTH) {
      problems.add(new ClientProblem(ClientProblemCode.CHAIN_TOO_DEEP, describe(client, 0) + ": its path to the root"
          + " holds " + cas + " CAs (from its issuer up: " + subjects(path.subList(1, path.size())) + "), more than API Gateway's "
          + TruststoreValidator.MAX_CA_DEPTH + " (a root and three intermediates): issue client certificates from a CA"
          + " at most " + TruststoreValidator.MAX_CA_DEPTH + " levels deep"));
    }
    if (broken == null && revocation != null) {
      revoked(client, path.get(1), now).ifPresent(problems::add);
    }
    return new ClientVerdict(path, problems);
  }

  /**
   * Adds issuers from the truststore to {@code path} up to a self-issued root.
   *
   * @return null when a root was reached; otherwise the problem with the last certificate of the path
   */
  private ClientProblem extend(List<X509Certificate> path, List<X509Certificate> presented) {
    while (true) {
      X509Certificate current = path.get(path.size() - 1);
      int position = path.size() - 1;
      if (position > 0 && current.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
        return null; // a root: API Gateway trusts it as a whole, as TLS libraries do (its self-signature is not used)
      }
      List<X509Certificate> candidates = bySubject.getOrDefault(current.getIssuerX500Principal(), List.of()).stream()
          .filter(ca -> !path.contains(ca))
          .sorted(Comparator.comparing(ca -> !Arrays.equals(KeyIdentifiers.subject(ca),
              KeyIdentifiers.authority(current)))).toList();
      if (candidates.isEmpty()) {
        return issuerNotFound(current, position, presented);
      }
      X509Certificate issuer = null;
      String failure = null;
      for (X509Certificate candidate : candidates) {
        String why = CertificateSignatures.failure(current, candidate.getPublicKey());
        if (why == null) {
          issuer = candidate;
          break;
        }
        failure = failure == null ? why : failure;
      }
      if (issuer == null) {
        X509Certificate named = candidates.get(0);
        return new ClientProblem(ClientProblemCode.BAD_SIGNATURE, describe(current, position) + ": its signature"
            + " does not verify with the key of its issuer " + describe(named, -1) + " (" + failure + "): it was"
            + " issued by another CA of the same name; put that CA in the truststore, or reissue the certificate");
      }
      path.add(issuer);
    }
  }

  private ClientProblem issuerNotFound(X509Certificate current, int position, List<X509Certificate> presented) {
    String issuerName = current.getIssuerX500Principal().getName();
    String message = describe(current, position) + ": its issuer '" + issuerName + "' is not in the truststore"
        + " (\"Could not find issuer for certificate\")";
    for (int i = 1; i < presented.size(); i++) {
      X509Certificate sent = presented.get(i);
      if (sent.getSubjectX500Principal().equals(current.getIssuerX500Principal())
          && CertificateSignatures.failure(current, sent.getPublicKey()) == null) {
        return new ClientProblem(ClientProblemCode.ISSUER_NOT_FOUND, message + ". The client sends it (certificate"
            + " #" + i + " of those it presents), but API Gateway builds the path from the truststore only: add it to"
            + " the truststore, with its issuers up to the root");
      }
    }
    return new ClientProblem(ClientProblemCode.ISSUER_NOT_FOUND, message + ": add '" + issuerName + "', with its"
        + " issuers up to the root, to the truststore, or issue the client certificate from a CA that is in it");
  }

  /** The checks of one certificate on the path: algorithms, key, validity, and for truststore CAs, CA:TRUE. */
  private void checkCertificate(X509Certificate certificate, int position, Instant now,
      List<ClientProblem> problems) {
    String which = describe(certificate, position);
    String weakSignature = Algorithms.weakSignature(certificate);
    if (weakSignature != null) {
      boolean root = position > 0 && certificate.getSubjectX500Principal().equals(
          certificate.getIssuerX500Principal());
      problems.add(new ClientProblem(ClientProblemCode.INSECURE_SIGNATURE, which + " is signed with " + weakSignature
          + ": " + STANDARDS + " (\"Client cert using an insecure Signature Algorithm\")" + (root
              ? "; AWS does not document how it treats a weakly self-signed root, so this refuses it to be safe:"
                  + " use the CA's SHA-256 (or stronger) edition of this root"
              : ": reissue it signed with SHA-256 or stronger")));
    }
    PublicKey key = certificate.getPublicKey();
    String weakKey = Algorithms.weakKey(key);
    if (weakKey != null) {
      boolean sized = key instanceof RSAKey || key instanceof ECKey;
      problems.add(new ClientProblem(sized ? ClientProblemCode.KEY_TOO_SMALL : ClientProblemCode.KEY_TYPE_UNSUPPORTED,
          which + " has " + weakKey + ": API Gateway accepts RSA keys of " + Algorithms.MIN_RSA_BITS + " bits or more"
              + " and EC keys of " + Algorithms.MIN_EC_BITS + " bits or more: reissue it with such a key"));
    }
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      problems.add(new ClientProblem(ClientProblemCode.EXPIRED, which + " expired on " + notAfter + ": "
          + (position == 0 ? "issue the client a new certificate" : "put the CA's renewed certificate in the"
              + " truststore")));
    } else if (now.isBefore(notBefore)) {
      problems.add(new ClientProblem(ClientProblemCode.NOT_YET_VALID, which + " is not valid before " + notBefore
          + ": wait until then, or check the clock of the machine that issued it"));
    }
    int pathLength = certificate.getBasicConstraints();
    if (position > 0 && pathLength < 0) {
      problems.add(new ClientProblem(ClientProblemCode.NOT_CA, which + " is not a CA (no basicConstraints CA:TRUE),"
          + " so it cannot issue client certificates: put the CA that issued it in the truststore instead"));
    } else if (position > 1 && position - 1 > pathLength) {
      // RFC 5280 4.2.1.9: at most pathLenConstraint CA certificates may follow this one on the way to the client.
      problems.add(new ClientProblem(ClientProblemCode.PATH_LENGTH_EXCEEDED, which + " allows at most " + pathLength
          + " CA" + (pathLength == 1 ? "" : "s") + " below it (basicConstraints pathLenConstraint), and the path has "
          + (position - 1) + ": issue the client certificate from a CA higher up, or reissue this CA with a larger"
          + " pathLenConstraint"));
    }
  }

  /** REVOKED or CRL_STALE as the authorizer decides (fail mode CLOSED, the default grace period), or empty. */
  private Optional<ClientProblem> revoked(X509Certificate client, X509Certificate issuer, Instant now) {
    ClientCertificate fields;
    try {
      fields = ClientCertificate.fromDer(client.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate has an encoding", e);
    }
    Duration grace = AuthorizerSettings.DEFAULT_GRACE;
    RevocationIndex.Result result = revocation.check(fields, now, grace);
    String which = describe(client, 0);
    return switch (result.check()) {
      case REVOKED -> Optional.of(new ClientProblem(ClientProblemCode.REVOKED, which + ": serial "
          + fields.serialHex() + " is revoked by the CRL of " + describe(issuer, -1) + " (" + result.issuer().source()
          .orElse("") + "): the revocation authorizer denies it; issue the client a new certificate"));
      case CRL_STALE -> Optional.of(new ClientProblem(ClientProblemCode.CRL_STALE, which + ": the CRL of "
          + describe(issuer, -1) + " (" + result.issuer().source().orElse("") + ") is past its nextUpdate "
          + result.issuer().nextUpdate().map(Instant::toString).orElse("") + " plus the grace period of "
          + grace.toHours() + " h, so the authorizer denies its clients (fail mode CLOSED): publish a new CRL"));
      default -> Optional.empty(); // not revoked, or a CA without a CRL: the authorizer allows
    };
  }

  /** "client certificate 'CN=...'" (position 0), "truststore CA #2 'CN=...'" otherwise. */
  private String describe(X509Certificate certificate, int position) {
    String subject = "'" + certificate.getSubjectX500Principal().getName() + "'";
    return position == 0 ? "client certificate " + subject
        : "truststore CA #" + truststore.indexOf(certificate) + " " + subject;
  }

  private static String subjects(List<X509Certificate> certificates) {
    return String.join(", ", certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList());
  }
}
