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

  /** The checks' inputs named by the options that gave them, in every problem and warning. */
  static final CertificateChecker.Inputs OPTIONS = new CertificateChecker.Inputs("--cert", "--chain", "--key",
      "--domain");

  /** The template parameter of the ownership verification certificate (template.yaml). */
  static final String OWNERSHIP_PARAMETER = "OwnershipVerificationCertificateArn";

  /**
   * Printed on every check: true of every imported certificate, and beyond what local files can show. API Gateway
   * Developer Guide, rest-api-mutual-tls.html: a mutual TLS domain whose certificate was imported into ACM needs an
   * ownership verification certificate, or the call fails with "Missing ownershipVerificationCertificate".
   */
  static final String OWNERSHIP_NOTE = "an imported certificate always needs an ownership verification certificate"
      + " too: a public certificate that ACM issued for the same domain name, whose ARN goes in the template's "
      + OWNERSHIP_PARAMETER + " parameter; without it API Gateway refuses the mutual TLS domain (\"Missing"
      + " ownershipVerificationCertificate\")";

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
    CertificateChecker.Report report =
        new CertificateChecker(clock).report(certificate, chain, key, options.domain(), OPTIONS);
    List<CertificateProblem> problems = report.problems();
    List<CertificateProblem> warnings = report.warnings();
    if (options.json()) {
      out.println(toJson(report));
    } else {
      problems.forEach(problem -> out.println(problem.line()));
      warnings.forEach(warning -> out.println("WARNING " + warning.line()));
      out.println("NOTE: " + OWNERSHIP_NOTE);
      out.println(verdict(options, problems.size(), warnings.size()));
    }
    return problems.isEmpty() ? Main.OK : Main.NEGATIVE;
  }

  private static String verdict(Options options, int problems, int warnings) {
    if (problems > 0) {
      return "NOT VALID: " + count(problems, "problem") + "; with " + (problems == 1 ? "it" : "them") + ", ACM or"
          + " API Gateway would refuse this certificate, or TLS clients would refuse connections to the custom"
          + " domain.";
    }
    String valid = options.cert() + " can be imported into ACM for " + options.domain();
    return warnings == 0 ? "VALID: " + valid
        : "VALID with " + count(warnings, "warning") + ": " + valid + "; see the " + (warnings == 1 ? "warning"
            : "warnings") + " above for what this check cannot know.";
  }

  private static String count(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static byte[] read(Path file, String option) throws IOException {
    try {
      return InputFiles.read(file);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + " (" + option + "): " + InputFiles.describe(e), e);
    }
  }

  /**
   * {@code {"valid": bool, "problems": [{"input", "code", "message"}], "warnings": [{"input", "code", "message"}],
   * "notes": [string]}}.
   */
  static String toJson(CertificateChecker.Report report) {
    JsonObject root = Json.object();
    root.put("valid", report.problems().isEmpty());
    add(root.putArray("problems"), report.problems());
    add(root.putArray("warnings"), report.warnings());
    root.putArray("notes").add(OWNERSHIP_NOTE);
    return Json.write(root);
  }

  private static void add(JsonArray array, List<CertificateProblem> problems) {
    for (CertificateProblem problem : problems) {
      array.addObject().put("input", problem.input()).put("code", problem.code().name())
          .put("message", problem.message());
    }
  }
}
