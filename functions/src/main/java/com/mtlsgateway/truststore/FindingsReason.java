package com.mtlsgateway.truststore;

import com.mtlsgateway.text.Reasons;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The FAILED Reason for a bundle that is not valid: a header with the counts, then the blocking findings (code,
 * certificate index and subject, message) in the validator's order, as many as fit in {@link #MAX_BYTES}, then
 * {@code "... and N more"}.
 *
 * <p>The budget leaves room in CloudFormation's 4096-byte response for the other fields (StackId, ids, and a
 * PhysicalResourceId of up to 1 KB) and for JSON escaping, so the runtime's last-resort truncation never has to
 * cut a finding in half.
 */
final class FindingsReason {

  /** UTF-8 bytes the Reason may take. */
  static final int MAX_BYTES = Reasons.MAX_BYTES;
  private static final int MAX_MESSAGE_CHARS = 400;
  private static final int MAX_SUBJECT_CHARS = 120;

  private FindingsReason() {}

  /**
   * @param source where the bundle came from, e.g. "SourceUri s3://b/k" (see {@link TruststoreProperties#sourceName})
   * @param report a report that is not valid for {@code acceptWarnings}
   */
  static String of(String source, ValidationReport report, boolean acceptWarnings) {
    List<Finding> blocking = new ArrayList<>();
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Finding finding : report.findings()) {
      counts.merge(finding.severity(), 1, Integer::sum);
      if (blocks(finding.severity(), acceptWarnings)) {
        blocking.add(finding);
      }
    }
    StringJoiner countText = new StringJoiner(", ");
    counts.forEach((severity, n) -> countText.add(n + " " + severity));
    boolean onlyWarnings = !counts.containsKey(Severity.ERROR);
    String header = "Truststore bundle from " + source + " is not valid (" + countText + ")"
        + (onlyWarnings ? "; fix the WARNING findings, or set AcceptWarnings to \"true\" (the"
            + " AcceptTruststoreWarnings parameter in this project's template.yaml) to deploy it anyway (the clients"
            + " they affect get 403)" : "") + ": ";

    return Reasons.list(header, blocking.stream().map(FindingsReason::describe).toList());
  }

  private static boolean blocks(Severity severity, boolean acceptWarnings) {
    return severity == Severity.ERROR || (severity == Severity.WARNING && !acceptWarnings);
  }

  /** {@code "EXPIRED #2 CN=Old Root,O=Example: message"}; {@code "TOO_LARGE: message"} for the whole file. */
  static String describe(Finding finding) {
    StringBuilder text = new StringBuilder(finding.code().name());
    if (finding.certificate() != null) {
      text.append(" #").append(finding.certificate().index())
          .append(' ').append(Reasons.abbreviate(finding.certificate().subject(), MAX_SUBJECT_CHARS));
    }
    return text.append(": ").append(Reasons.abbreviate(finding.message(), MAX_MESSAGE_CHARS)).toString();
  }
}
