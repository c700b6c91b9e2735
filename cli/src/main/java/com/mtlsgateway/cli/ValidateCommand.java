package com.mtlsgateway.cli;

import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.truststore.CertificateRef;
import com.mtlsgateway.truststore.Finding;
import com.mtlsgateway.truststore.FindingsJson;
import com.mtlsgateway.truststore.Severity;
import com.mtlsgateway.truststore.TruststoreValidator;
import com.mtlsgateway.truststore.ValidationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/** {@code mtls truststore validate FILE [--accept-warnings] [--json]}. */
final class ValidateCommand {

  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;

  ValidateCommand(Clock clock, PrintStream out, PrintStream err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  int run(Path file, boolean acceptWarnings, boolean json) {
    byte[] bundle;
    try {
      bundle = InputFiles.read(file);
    } catch (IOException e) {
      err.println("mtls: cannot read " + file + ": " + InputFiles.describe(e));
      return Main.USAGE_OR_IO;
    }
    ValidationReport report = new TruststoreValidator(clock).validate(bundle);
    boolean valid = report.valid(acceptWarnings);
    if (json) {
      out.println(toJson(report, valid));
    } else {
      report.findings().forEach(finding -> out.println(line(finding)));
      out.println(verdict(report, valid, acceptWarnings));
    }
    return valid ? Main.OK : Main.NEGATIVE;
  }

  /**
   * "SEVERITY CODE #index subject: message" for a finding about a certificate; "SEVERITY CODE: message" for one about
   * the whole file or about a PEM block that is not a readable certificate, whose message says where ("The bundle
   * ...", "PEM block 2 ...").
   */
  static String line(Finding finding) {
    CertificateRef certificate = finding.certificate();
    String where = certificate == null ? "" : " #" + certificate.index() + " " + certificate.subject();
    return finding.severity() + " " + finding.code() + where + ": " + finding.message();
  }

  static String verdict(ValidationReport report, boolean valid, boolean acceptWarnings) {
    String counts = report.certificateCount() + (report.certificateCount() == 1 ? " certificate, " : " certificates, ")
        + report.summary() + " (sha256 " + report.sha256() + ")";
    if (valid) {
      boolean warned = report.findings().stream().anyMatch(f -> f.severity() == Severity.WARNING);
      return (warned && acceptWarnings ? "VALID (warnings accepted): " : "VALID: ") + counts;
    }
    boolean errors = report.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR);
    String hint = errors
        ? "fix the ERROR findings: API Gateway would refuse this truststore"
        : "fix the WARNING findings (some clients would get 403 at the handshake), or pass --accept-warnings";
    return "NOT VALID: " + counts + "; " + hint;
  }

  static String toJson(ValidationReport report, boolean valid) {
    JsonObject root = Json.object();
    root.put("valid", valid);
    root.put("certificateCount", report.certificateCount());
    root.put("sha256", report.sha256());
    FindingsJson.put(root, report.findings());
    return Json.write(root);
  }
}
