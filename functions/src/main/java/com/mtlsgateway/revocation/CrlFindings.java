package com.mtlsgateway.revocation;

import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.text.Reasons;
import com.mtlsgateway.truststore.Severity;
import java.util.List;

/** The text and JSON forms of {@link CrlFinding}s: the FAILED Reason, log lines and {@code bin/mtls crl check}. */
public final class CrlFindings {

  private static final int MAX_MESSAGE_CHARS = 400;

  private CrlFindings() {}

  /**
   * The FAILED Reason for a report that is not valid: the counts, then the ERROR findings within {@link
   * Reasons#MAX_BYTES}.
   */
  public static String reason(CrlReport report) {
    List<String> errors = report.findings().stream().filter(f -> f.code().severity() == Severity.ERROR)
        .map(f -> Reasons.abbreviate(describe(f), MAX_MESSAGE_CHARS)).toList();
    return Reasons.list("The CRLs in RevocationListUris cannot be used (" + report.summary() + "): ", errors);
  }

  /** {@code "CRL_EXPIRED s3://b/ca.crl: expired: ..."}; {@code "CA_WITHOUT_CRL CN=CA: ..."} without a source. */
  public static String describe(CrlFinding finding) {
    return finding.code().name() + " " + (finding.source() != null ? finding.source() : finding.ca()) + ": "
        + finding.message();
  }

  /**
   * Adds {@code "findings"} to {@code target}: one object per finding, {@code {"code":"CRL_EXPIRED",
   * "severity":"ERROR","source":"s3://b/k" or null,"ca":"CN=..." or null,"message":"..."}}.
   */
  public static void put(JsonObject target, List<CrlFinding> findings) {
    JsonArray array = target.putArray("findings");
    for (CrlFinding finding : findings) {
      array.addObject().put("code", finding.code().name()).put("severity", finding.code().severity().name())
          .put("source", finding.source()).put("ca", finding.ca()).put("message", finding.message());
    }
  }
}
