package com.mtlsgateway.cli;

import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.certificate.CertificateChecker;
import com.mtlsgateway.certificate.CertificateProblem;
import com.mtlsgateway.customresource.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code mtls certificate check --cert FILE --key FILE [--chain FILE] --domain NAME [--json]}: the checks made
 * before a server certificate is imported into ACM, run on local files. Never prints the key.
 */
final class CertificateCommand {

  /**
   * The files and name to check.
   *
   * @param chain null when there is no chain
   */
  record Options(Path cert, Path key, Path chain, String domain, boolean json) {}

  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;

  CertificateCommand(Clock clock, PrintStream out, PrintStream err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  int run(Options options) {
    byte[] certificate;
    byte[] key;
    byte[] chain = null;
    try {
      certificate = read(options.cert(), "--cert");
      key = read(options.key(), "--key");
      if (options.chain() != null) {
        chain = read(options.chain(), "--chain");
      }
    } catch (IOException e) {
      err.println("mtls: " + e.getMessage());
      return Main.USAGE_OR_IO;
    }
    List<CertificateProblem> problems =
        new CertificateChecker(clock).check(certificate, chain, key, options.domain());
    if (options.json()) {
      out.println(toJson(problems));
    } else {
      problems.forEach(problem -> out.println(problem.line()));
      out.println(problems.isEmpty()
          ? "VALID: " + options.cert() + " can be imported into ACM for " + options.domain()
          : "NOT VALID: " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
              + "; ACM or API Gateway would refuse this certificate, or clients would");
    }
    return problems.isEmpty() ? Main.OK : Main.NEGATIVE;
  }

  private static byte[] read(Path file, String option) throws IOException {
    try {
      return InputFiles.read(file);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + " (" + option + "): " + InputFiles.describe(e), e);
    }
  }

  /** {@code {"valid": bool, "problems": [{"input", "code", "message"}]}}. */
  static String toJson(List<CertificateProblem> problems) {
    JsonObject root = Json.object();
    root.put("valid", problems.isEmpty());
    JsonArray array = root.putArray("problems");
    for (CertificateProblem problem : problems) {
      array.addObject().put("input", problem.input()).put("code", problem.code().name())
          .put("message", problem.message());
    }
    return Json.write(root);
  }
}
