package com.mtlsgateway.truststore;

/**
 * The stable code of a {@link Finding}, with its default {@link Severity}.
 *
 * <p>The rules come from API Gateway's documented truststore behaviour: Amazon API Gateway Developer Guide,
 * rest-api-mutual-tls.html (truststore format, chain depth, accepted algorithms, truststore warnings) and Amazon API
 * Gateway quotas, api-gateway-execution-service-limits-table.html (size and count). Where AWS leaves a question open
 * the rule takes the safe side, as noted on the code.
 */
public enum FindingCode {
  /**
   * The file holds no {@code -----BEGIN CERTIFICATE-----} block (DER, PKCS#7, garbage), or it holds a PEM block of
   * another type (a private key, an OpenSSL {@code TRUSTED CERTIFICATE}, ...), or it has a UTF-8 byte-order mark (EF
   * BB BF) at its start or at the start of a line. API Gateway reads only concatenated PEM certificates. A
   * byte-order mark is read past, so the blocks after it are still checked; it is an error on the safe side, since
   * AWS does not document how API Gateway handles one.
   */
  NOT_PEM(Severity.ERROR),
  /** The file is zero bytes long or holds only whitespace (after a byte-order mark, if any). */
  EMPTY(Severity.ERROR),
  /**
   * A {@code CERTIFICATE} block is unterminated, not valid base64, not one DER X.509 certificate, or laid out on one
   * line (its line breaks replaced by literal {@code \n} sequences or spaces); or an END line runs into the next
   * BEGIN line ({@code -----END CERTIFICATE----------BEGIN CERTIFICATE-----}). In that last case both blocks are still
   * read and checked; it is an error on the safe side, since AWS does not document how API Gateway reads such a line
   * (OpenSSL refuses it).
   */
  PARSE_ERROR(Severity.ERROR),
  /** More than {@value TruststoreValidator#MAX_CERTIFICATES} certificates (API Gateway quota, not raisable). */
  TOO_MANY_CERTIFICATES(Severity.ERROR),
  /** More than {@value TruststoreValidator#MAX_BYTES} bytes (API Gateway quota "1 MB", not raisable). */
  TOO_LARGE(Severity.ERROR),
  /** Two certificates share a subject but name different issuers: API Gateway allows one issuer per subject. */
  SUBJECT_CONFLICT(Severity.ERROR),
  /** The certificate's notAfter is in the past. */
  EXPIRED(Severity.WARNING),
  /** The certificate's notBefore is in the future. */
  NOT_YET_VALID(Severity.WARNING),
  /**
   * Signed with a hash weaker than SHA-256 (MD2, MD4, MD5, SHA-1, SHA-224) or an algorithm not recognised. API
   * Gateway requires SHA-256 or stronger; how it treats a SHA-1 self-signed root in the truststore is not
   * documented, so those are reported too.
   */
  WEAK_SIGNATURE(Severity.WARNING),
  /**
   * A key API Gateway does not accept: RSA below 2048 bits, EC below 256 bits, DSA of any size, or any other key
   * type (API Gateway documents only RSA 2048+ and ECDSA 256+).
   */
  WEAK_KEY(Severity.WARNING),
  /** No basicConstraints extension with CA=true (X.509 v1 certificates cannot have one): it cannot issue clients. */
  NOT_CA(Severity.WARNING),
  /** Not self-issued, and no certificate in the bundle has a subject equal to its issuer. */
  CHAIN_INCOMPLETE(Severity.WARNING),
  /** More than four CAs from the root down to this one (root plus three intermediates is API Gateway's limit). */
  CHAIN_TOO_DEEP(Severity.WARNING),
  /** Its issuer is in the bundle (or it is self-issued), but no such issuer's key verifies its signature. */
  BAD_SIGNATURE(Severity.WARNING),
  /** The same certificate (identical DER) appears earlier in the bundle. */
  DUPLICATE(Severity.WARNING),
  /**
   * Valid now, and expires within 30 days: a renewal reminder, since API Gateway computes truststore warnings only
   * when the domain is created or updated and nothing warns when a CA lapses later.
   */
  EXPIRES_SOON(Severity.INFO);

  private final Severity severity;

  FindingCode(Severity severity) {
    this.severity = severity;
  }

  /** The severity a finding with this code has. */
  public Severity severity() {
    return severity;
  }
}
