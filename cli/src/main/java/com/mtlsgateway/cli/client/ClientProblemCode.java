package com.mtlsgateway.cli.client;

/**
 * Why API Gateway would refuse a client certificate. Each code has the reason its execution log gives: AWS documents
 * three (knowledge-center article api-gateway-mutual-tls-403-errors); for the others the wording is OpenSSL's
 * verification error, which API Gateway does not document (see docs/client-check.md). The order of the three documented
 * codes is the order in which they decide what is logged ({@link ClientVerdict#refusal()}).
 */
public enum ClientProblemCode {
  /** The client sent no certificate. */
  NO_CLIENT_CERTIFICATE("No client certificate", false),
  /** The client's certificate is self-signed. */
  SELF_SIGNED("self signed certificate", true),
  /** A certificate's issuer is not in the truststore (a client-sent intermediate does not count). */
  ISSUER_NOT_FOUND("Could not find issuer for certificate", true),
  /** A certificate's signature does not verify with its issuer's key. */
  BAD_SIGNATURE("certificate signature failure", false),
  /** A certificate on the path is signed with a hash weaker than SHA-256. */
  INSECURE_SIGNATURE("Client cert using an insecure Signature Algorithm", true),
  /** An RSA key under 2048 bits or an EC key under 256 bits. */
  KEY_TOO_SMALL("certificate key too weak", false),
  /** A key that is neither RSA nor EC (DSA, Ed25519, ...). */
  KEY_TYPE_UNSUPPORTED("unsupported certificate key type", false),
  /** A certificate on the path is past its notAfter. */
  EXPIRED("certificate has expired", false),
  /** A certificate on the path is before its notBefore. */
  NOT_YET_VALID("certificate is not yet valid", false),
  /** A truststore certificate on the path is not a CA (no basicConstraints CA:TRUE). */
  NOT_CA("invalid CA certificate", false),
  /** A CA on the path has more CAs below it than its basicConstraints pathLenConstraint allows. */
  PATH_LENGTH_EXCEEDED("path length constraint exceeded", false),
  /** More than four CAs from the client's certificate to the root. */
  CHAIN_TOO_DEEP("certificate chain too long", false),
  /** The private key given is not the client certificate's: the TLS handshake fails (CertificateVerify). */
  KEY_MISMATCH("client key does not match its certificate", false),
  /** The CRL of the client's CA lists its serial: the revocation authorizer denies. */
  REVOKED("revoked", false),
  /** The CRL of the client's CA is past nextUpdate plus the grace period: the authorizer denies (fail closed). */
  CRL_STALE("crl-stale", false);

  private final String logReason;
  private final boolean documentedByAws;

  ClientProblemCode(String logReason, boolean documentedByAws) {
    this.logReason = logReason;
    this.documentedByAws = documentedByAws;
  }

  /**
   * The execution log's reason ("Access denied. Reason: ..."); for {@link #REVOKED} and {@link #CRL_STALE}, the
   * authorizer's {@code check} code, as in the access log's {@code $context.authorizer.check}.
   */
  public String logReason() {
    return logReason;
  }

  /** Whether AWS documents {@link #logReason()} (otherwise it is OpenSSL's wording or the authorizer's code). */
  public boolean documentedByAws() {
    return documentedByAws;
  }
}
