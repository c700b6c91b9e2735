package com.mtlsgateway.revocation;

import com.mtlsgateway.truststore.Severity;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * What {@link CrlChecker} found.
 *
 * @param findings every finding, CRLs in the order given, then CAs without a CRL
 * @param issuers one entry per distinct CA of the truststore, with its CRL when it has a valid one: the content of
 *     the revocation index when the report is {@link #valid()}
 */
public record CrlReport(List<CrlFinding> findings, List<IssuerEntry> issuers) {

  public CrlReport {
    findings = List.copyOf(findings);
    issuers = List.copyOf(issuers);
  }

  /** Whether no finding is an ERROR: the index may be staged. */
  public boolean valid() {
    return findings.stream().noneMatch(f -> f.code().severity() == Severity.ERROR);
  }

  /** The number of revoked serials over all CRLs (before de-duplication within a CRL). */
  public long revokedCount() {
    return issuers.stream().map(IssuerEntry::crl).filter(Objects::nonNull).mapToLong(c -> c.serials().size()).sum();
  }

  /** The earliest nextUpdate of the CRLs, or empty when there is none. */
  public Optional<Instant> earliestNextUpdate() {
    return issuers.stream().map(IssuerEntry::crl).filter(Objects::nonNull).map(IssuerEntry.Crl::nextUpdate)
        .min(Instant::compareTo);
  }

  /** {@code "no findings"}, or counts by severity and code: {@code "1 ERROR: CRL_EXPIRED x1; 2 INFO: ..."}. */
  public String summary() {
    if (findings.isEmpty()) {
      return "no findings";
    }
    Map<Severity, Map<CrlProblemCode, Integer>> counts = new EnumMap<>(Severity.class);
    for (CrlFinding f : findings) {
      counts.computeIfAbsent(f.code().severity(), s -> new EnumMap<>(CrlProblemCode.class))
          .merge(f.code(), 1, Integer::sum);
    }
    StringJoiner groups = new StringJoiner("; ");
    counts.forEach((severity, byCode) -> {
      StringJoiner codes = new StringJoiner(", ");
      byCode.forEach((code, n) -> codes.add(code + " x" + n));
      groups.add(byCode.values().stream().mapToInt(Integer::intValue).sum() + " " + severity + ": " + codes);
    });
    return groups.toString();
  }
}
