package com.mtlsgateway.cli;

import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.revocation.CrlChecker;
import com.mtlsgateway.revocation.CrlFinding;
import com.mtlsgateway.revocation.CrlFindings;
import com.mtlsgateway.revocation.CrlReport;
import com.mtlsgateway.revocation.IssuerEntry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code mtls crl check --truststore BUNDLE [--json] CRL...}: the checks {@code Custom::RevocationList} makes, on
 * local files.
 */
final class CrlCommand {

  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;

  CrlCommand(Clock clock, PrintStream out, PrintStream err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  /**
   * @param truststore a PEM bundle of the truststore's CA certificates
   * @param crls the CRL files (DER or PEM), each named in findings as given
   * @return {@link Main#OK} when no finding is an ERROR, {@link Main#NEGATIVE} otherwise, {@link Main#USAGE_OR_IO}
   *     when a file cannot be read or the truststore holds no certificate
   */
  int run(Path truststore, List<Path> crls, boolean json) {
    List<X509Certificate> cas;
    try {
      cas = CrlChecker.truststore(InputFiles.read(truststore));
    } catch (IOException e) {
      err.println("mtls: cannot read " + truststore + ": " + InputFiles.describe(e));
      return Main.USAGE_OR_IO;
    } catch (CertificateException e) {
      err.println("mtls: " + truststore + " does not read as a PEM bundle of CA certificates (" + e.getMessage()
          + "); check it with: mtls truststore validate " + truststore);
      return Main.USAGE_OR_IO;
    }
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (Path crl : crls) {
      try {
        inputs.add(new CrlChecker.Input(crl.toString(), InputFiles.read(crl)));
      } catch (IOException e) {
        err.println("mtls: cannot read " + crl + ": " + InputFiles.describe(e));
        return Main.USAGE_OR_IO;
      }
    }
    CrlReport report = new CrlChecker(clock).check(cas, inputs);
    if (json) {
      out.println(toJson(report));
    } else {
      report.findings().forEach(finding -> out.println(line(finding)));
      out.println(verdict(report, crls.size()));
    }
    return report.valid() ? Main.OK : Main.NEGATIVE;
  }

  /** "SEVERITY CODE SOURCE: message" for a CRL, "SEVERITY CODE CA: message" for a CA without a CRL. */
  static String line(CrlFinding finding) {
    return finding.code().severity() + " " + CrlFindings.describe(finding);
  }

  /** e.g. "VALID: 2 CRLs for 2 of 2 CAs, 1 revoked serial, earliest nextUpdate 2046-12-01T00:00:00Z; no findings". */
  static String verdict(CrlReport report, int crlCount) {
    long covered = report.issuers().stream().map(IssuerEntry::crl).filter(Objects::nonNull).count();
    long revoked = report.revokedCount();
    String counts = crlCount + (crlCount == 1 ? " CRL" : " CRLs") + " for " + covered + " of "
        + report.issuers().size() + (report.issuers().size() == 1 ? " CA, " : " CAs, ") + revoked
        + (revoked == 1 ? " revoked serial" : " revoked serials")
        + report.earliestNextUpdate().map(at -> ", earliest nextUpdate " + seconds(at)).orElse("")
        + "; " + report.summary();
    return report.valid()
        ? "VALID: " + counts
        : "NOT VALID: " + counts + "; fix the ERROR findings: Custom::RevocationList would refuse these CRLs"
            + " (a scheduled refresh would keep the previous index)";
  }

  static String toJson(CrlReport report) {
    JsonObject root = Json.object();
    root.put("valid", report.valid());
    root.put("revokedCount", report.revokedCount());
    root.put("earliestNextUpdate", report.earliestNextUpdate().map(CrlCommand::seconds).orElse(null));
    root.put("summary", report.summary());
    CrlFindings.put(root, report.findings());
    return Json.write(root);
  }

  private static String seconds(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
