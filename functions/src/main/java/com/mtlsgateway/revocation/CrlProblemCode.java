package com.mtlsgateway.revocation;

import com.mtlsgateway.truststore.Severity;

/**
 * The stable code of a {@link CrlFinding}, with its severity. ERROR findings refuse the CRL set: the index is not
 * staged (at deploy, a FAILED response; on a scheduled refresh, the last good index stays). The rules follow RFC
 * 5280 section 5 (CRL profile) and 6.3 (CRL validation), on the safe side where a CRL might not be complete.
 */
public enum CrlProblemCode {
  /** Not a DER or PEM X.509 CRL (or a PEM file with more than one CRL), or it could not be fetched. */
  CRL_UNREADABLE(Severity.ERROR),
  /** No CA of the truststore has the CRL's issuer name (and key identifier): it cannot be checked or used. */
  CRL_ISSUER_UNKNOWN(Severity.ERROR),
  /** No truststore CA of that name verifies the CRL's signature. */
  CRL_BAD_SIGNATURE(Severity.ERROR),
  /** The CA that signed it has a keyUsage extension without cRLSign (RFC 5280 4.2.1.3). */
  CRL_ISSUER_NOT_CRL_SIGNER(Severity.ERROR),
  /** Its nextUpdate is in the past: a newer CRL exists, or the CA stopped publishing. */
  CRL_EXPIRED(Severity.ERROR),
  /** Its thisUpdate is more than five minutes in the future (a clock problem at the CA or a wrong file). */
  CRL_NOT_YET_VALID(Severity.ERROR),
  /** It has no nextUpdate, so nobody can tell when it is stale (RFC 5280 5.1.2.5 requires one). */
  CRL_NO_NEXT_UPDATE(Severity.ERROR),
  /** A delta CRL (deltaCRLIndicator): it lists only changes since a base CRL, never all revocations. */
  CRL_DELTA(Severity.ERROR),
  /**
   * A partitioned or scoped CRL (an Issuing Distribution Point with a distributionPoint name, onlyContainsCACerts,
   * onlySomeReasons or onlyContainsAttributeCerts): it covers only part of the CA's certificates.
   */
  CRL_PARTITIONED(Severity.ERROR),
  /** An indirect CRL (indirectCRL, or entries with a certificateIssuer): it lists other CAs' certificates. */
  CRL_INDIRECT(Severity.ERROR),
  /** A critical extension (of the CRL or of an entry) that is not understood here, which RFC 5280 says to refuse. */
  CRL_UNKNOWN_CRITICAL_EXTENSION(Severity.ERROR),
  /** Two CRLs of one CA: which one is current is ambiguous. */
  CRL_DUPLICATE_ISSUER(Severity.ERROR),
  /**
   * The CA publishes delta CRLs (freshestCRL): revocations published only in a delta are seen when the next
   * complete CRL is.
   */
  CRL_HAS_DELTAS(Severity.WARNING),
  /** A CA of the truststore without a CRL: its clients are never checked for revocation. */
  CA_WITHOUT_CRL(Severity.INFO);

  private final Severity severity;

  CrlProblemCode(Severity severity) {
    this.severity = severity;
  }

  /** ERROR refuses the CRL set; WARNING and INFO are reported only. */
  public Severity severity() {
    return severity;
  }
}
