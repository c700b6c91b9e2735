package com.mtlsgateway.cli;

import com.mtlsgateway.certificate.PemPrivateKey;
import com.mtlsgateway.cli.client.ClientAcceptance;
import com.mtlsgateway.cli.client.ClientProblem;
import com.mtlsgateway.cli.client.ClientProblemCode;
import com.mtlsgateway.cli.client.ClientVerdict;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code mtls client check --truststore BUNDLE --cert CLIENT [--key KEY] [--crl CRL...] [--json]}: whether API
 * Gateway would accept this client certificate with this truststore (the rules are {@link ClientAcceptance}'s).
 */
final class ClientCheckCommand {

  /**
   * What to check.
   *
   * @param truststore the PEM truststore bundle
   * @param cert PEM: the client certificate first, then anything else the client sends
   * @param key the client's PEM private key, or null
   * @param crls CRL files (DER or PEM), possibly none
   */
  record Options(Path truststore, Path cert, Path key, List<Path> crls, boolean json) {}

  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;

  ClientCheckCommand(Clock clock, PrintStream out, PrintStream err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  /**
   * @return {@link Main#OK} accepted, {@link Main#NEGATIVE} refused, {@link Main#USAGE_OR_IO} when a file cannot be
   *     read or used
   */
  int run(Options options) {
    ClientAcceptance acceptance;
    List<X509Certificate> presented;
    PrivateKey key = null;
    try {
      acceptance = ClientAcceptance.load(options.truststore(), options.crls(), clock);
      presented = TlsFiles.certificates(options.cert(), "--cert");
      if (options.key() != null) {
        key = PemPrivateKey.read(InputFiles.read(options.key()), "--key " + options.key(), options.key().toString(),
            presented.get(0).getPublicKey());
      }
    } catch (ClientAcceptance.InputException | TlsFiles.TlsFileException | PemPrivateKey.KeyFileException e) {
      err.println("mtls: " + e.getMessage());
      return Main.USAGE_OR_IO;
    } catch (IOException e) {
      err.println("mtls: --key " + options.key() + ": cannot read it: " + InputFiles.describe(e));
      return Main.USAGE_OR_IO;
    }
    ClientVerdict verdict = acceptance.check(presented, key);
    if (options.json()) {
      out.println(toJson(verdict));
    } else {
      verdict.problems().forEach(problem -> out.println(problem.code() + " " + problem.message()));
      out.println(pathLine(verdict));
      out.println(verdictLine(verdict, options.crls().isEmpty()));
    }
    return verdict.accepted() ? Main.OK : Main.NEGATIVE;
  }

  /** {@code PATH 'CN=client' issued by 'CN=Issuing CA' issued by 'CN=Root CA'}, leaf first. */
  static String pathLine(ClientVerdict verdict) {
    return "PATH " + verdict.pathSubjects().stream().map(s -> "'" + s + "'")
        .collect(Collectors.joining(" issued by "));
  }

  /** ACCEPTED or REFUSED with the client's subject, the codes and what API Gateway would log; never shortened. */
  static String verdictLine(ClientVerdict verdict, boolean withoutCrl) {
    String client = verdict.path().isEmpty() ? "the client" : "'" + verdict.pathSubjects().get(0) + "'";
    if (verdict.accepted()) {
      int cas = verdict.path().size() - 1;
      return "ACCEPTED: API Gateway would accept " + client + " (" + cas + (cas == 1 ? " CA" : " CAs") + " to the root"
          + " '" + verdict.pathSubjects().get(verdict.path().size() - 1) + "')"
          + (withoutCrl ? "; revocation not checked (no --crl)" : "; not revoked");
    }
    List<String> codes = verdict.problems().stream().map(p -> p.code().name()).distinct().toList();
    ClientProblemCode first = verdict.refusal().orElseThrow();
    String consequence = switch (first) {
      case REVOKED, CRL_STALE -> "the revocation authorizer denies it with 403 (check " + first.logReason() + ")";
      case KEY_MISMATCH -> "the client cannot complete the TLS handshake with that key";
      default -> "the TLS handshake is refused; execution log: \"Access denied. Reason: " + first.logReason() + "\""
          + (first.documentedByAws() ? "" : " (wording not documented by AWS)");
    };
    return "REFUSED: API Gateway would refuse " + client + " (" + String.join(", ", codes) + "): " + consequence;
  }

  /** {@code {"accepted": bool, "path": [subjects, leaf first], "problems": [{"code", "message"}]}}. */
  static String toJson(ClientVerdict verdict) {
    JsonObject root = Json.object();
    root.put("accepted", verdict.accepted());
    JsonArray path = root.putArray("path");
    verdict.pathSubjects().forEach(path::add);
    JsonArray problems = root.putArray("problems");
    for (ClientProblem problem : verdict.problems()) {
      problems.addObject().put("code", problem.code().name()).put("message", problem.message());
    }
    return Json.write(root);
  }
}
