package com.mtlsgateway.truststore;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The outcome of {@link TruststoreValidator#validate(byte[])}.
 *
 * @param certificateCount certificates parsed from the bundle, duplicates included (what API Gateway counts)
 * @param sha256 SHA-256 of the bundle's bytes exactly as given, lowercase hex (64 characters)
 * @param earliestExpiry the earliest notAfter among the parsed certificates; empty when none parsed
 * @param findings ordered by severity (ERROR first), then by certificate index, file-wide findings first
 */
public record ValidationReport(
    int certificateCount, String sha256, Optional<Instant> earliestExpiry, List<Finding> findings) {

  public ValidationReport {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(earliestExpiry, "earliestExpiry");
    findings = List.copyOf(findings);
  }

  /**
   * Whether the bundle may be used: no ERROR finding and, unless {@code acceptWarnings}, no WARNING finding. INFO
   * findings never count.
   */
  public boolean valid(boolean acceptWarnings) {
    return findings.stream()
        .noneMatch(f -> f.severity() == Severity.ERROR || (!acceptWarnings && f.severity() == Severity.WARNING));
  }

  /**
   * A one-line count of the findings, short enough for a CloudFormation output: per severity present (ERROR,
   * WARNING, INFO) {@code "<n> <SEVERITY>: <CODE> x<k>, ..."} with codes in {@link FindingCode} declaration order,
   * groups joined by {@code "; "}; for example {@code "1 ERROR: SUBJECT_CONFLICT x1; 2 WARNING: EXPIRED x1,
   * DUPLICATE x1"}; {@code "no findings"} when there are none. Its length is bounded by the 16 codes whatever the
   * number of findings.
   */
  public String summary() {
    if (findings.isEmpty()) {
      return "no findings";
    }
    Map<Severity, Map<FindingCode, Integer>> counts = new EnumMap<>(Severity.class);
    for (Finding f : findings) {
      counts.computeIfAbsent(f.severity(), s -> new EnumMap<>(FindingCode.class)).merge(f.code(), 1, Integer::sum);
    }
    StringJoiner groups = new StringJoiner("; ");
    counts.forEach((severity, byCode) -> {
      StringJoiner codes = new StringJoiner(", ");
      byCode.forEach((code, n) -> codes.add(code + " x" + n));
      int total = byCode.values().stream().mapToInt(Integer::intValue).sum();
      groups.add(total + " " + severity + ": " + codes);
    });
    return groups.toString();
  }
}
