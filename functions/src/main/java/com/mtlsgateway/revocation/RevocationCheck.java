package com.mtlsgateway.revocation;

/**
 * The outcome of checking one client certificate, as the authorizer reports it in its context ({@code check}) and
 * log. Each outcome either allows, denies, or denies only because the check could not be made ({@link
 * #failsOpen()}): {@code RevocationFailMode=OPEN} turns those into Allow.
 */
public enum RevocationCheck {
  /** The issuing CA has a current CRL that does not list the serial. */
  NOT_REVOKED("not-revoked", Effect.ALLOW),
  /** The issuing CA is in the truststore but no CRL was given for it: its clients are never checked. */
  CA_WITHOUT_CRL("ca-without-crl", Effect.ALLOW),
  /** The issuing CA's CRL lists the serial (whatever the fail mode). */
  REVOKED("revoked", Effect.DENY),
  /** The issuing CA's CRL is past its nextUpdate plus the grace period. */
  CRL_STALE("crl-stale", Effect.DENY_UNLESS_FAIL_OPEN),
  /** No index could be read since the function started. */
  NO_INDEX("no-index", Effect.DENY_UNLESS_FAIL_OPEN),
  /** The index knows no CA with the certificate's issuer name (and key identifier): it lags the truststore. */
  UNKNOWN_ISSUER("unknown-issuer", Effect.DENY_UNLESS_FAIL_OPEN),
  /** The request carries no client certificate (it did not come through the mTLS custom domain). */
  NO_CLIENT_CERTIFICATE("no-client-certificate", Effect.DENY),
  /** The request's clientCertPem is not a readable certificate. */
  UNREADABLE_CLIENT_CERTIFICATE("unreadable-client-certificate", Effect.DENY),
  /** A stage variable that sets the authorizer's refresh interval, grace period or fail mode is not valid. */
  INVALID_SETTINGS("invalid-settings", Effect.DENY);

  private enum Effect { ALLOW, DENY, DENY_UNLESS_FAIL_OPEN }

  private final String code;
  private final Effect effect;

  RevocationCheck(String code, Effect effect) {
    this.code = code;
    this.effect = effect;
  }

  /** The stable code, as in the authorizer's context and the access log: {@code not-revoked}, {@code revoked}... */
  public String code() {
    return code;
  }

  /** Whether this outcome allows the request. */
  public boolean allows(boolean failOpen) {
    return effect == Effect.ALLOW || (failOpen && effect == Effect.DENY_UNLESS_FAIL_OPEN);
  }

  /** Whether this outcome denies only because the check could not be made (stale CRL, no index, unknown CA). */
  public boolean failsOpen() {
    return effect == Effect.DENY_UNLESS_FAIL_OPEN;
  }
}
