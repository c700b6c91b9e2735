package com.mtlsgateway.certificate;

/**
 * The stable code of a {@link CertificateProblem}: what {@link CertificateChecker} found wrong with a server
 * certificate, its chain or its key before they are given to ACM {@code ImportCertificate} for an API Gateway
 * Regional custom domain, or, for {@link #CHAIN_NOT_GIVEN} only, a warning about what it cannot know. The codes are
 * part of {@code bin/mtls certificate check --json}'s output: never renamed.
 */
public enum CertificateProblemCode {
  /**
   * The input is not usable PEM: empty or only whitespace (a {@code ChainPem} given empty too), no {@code CERTIFICATE}
   * block (or no private key block), an unterminated block, bad
   * base64, a block that is not an X.509 certificate or a readable key, or a block of the wrong type (a key in
   * {@code CertificatePem} or {@code ChainPem}). A certificate block laid out on one line, or whose END line runs into
   * the next BEGIN line ({@code -----END CERTIFICATE----------BEGIN CERTIFICATE-----}), is PEM_INVALID too, in the
   * words and by the rule of {@code bin/mtls truststore validate} (PARSE_ERROR there).
   */
  PEM_INVALID,
  /** {@code CertificatePem} holds more than one certificate: only the server certificate goes there. */
  NOT_ONE_CERTIFICATE,
  /** The private key is encrypted (PKCS#8 {@code ENCRYPTED PRIVATE KEY} or a {@code Proc-Type: 4,ENCRYPTED} header). */
  KEY_ENCRYPTED,
  /** The private key PEM is longer than {@value CertificateChecker#MAX_KEY_BYTES} bytes (ACM ImportCertificate). */
  KEY_TOO_LARGE,
  /** The private key is not the other half of the certificate's public key. */
  KEY_MISMATCH,
  /**
   * The certificate's key is not one API Gateway Regional domains take: RSA 2048, EC P-256 or P-384. RSA 3072 and
   * 4096 are refused although ACM imports them: the API Gateway Developer Guide ("Prepare certificates in AWS
   * Certificate Manager") says "If you create a Regional custom domain name, the maximum size of the public key is
   * 2048". RSA 1024, EC P-521, other curves and other algorithms are refused too.
   */
  KEY_TYPE_UNSUPPORTED,
  /** The certificate (or a chain certificate) expired: its notAfter is in the past. */
  EXPIRED,
  /** The certificate (or a chain certificate) is not valid yet: its notBefore is in the future. */
  NOT_YET_VALID,
  /**
   * The chain is out of order (each certificate must be followed by its issuer), starts with the server certificate
   * itself, or goes on after a self-signed root.
   */
  CHAIN_ORDER,
  /**
   * A certificate's issuer is neither the next certificate nor anywhere in the chain: an intermediate is missing. A
   * chain may stop below the root, so a missing link above the last certificate given is not detectable.
   */
  CHAIN_INCOMPLETE,
  /** A certificate names the next one as its issuer, but the next one's key does not verify its signature. */
  CHAIN_BAD_SIGNATURE,
  /**
   * A warning, never a problem: no chain is given and the certificate is not self-issued, so whether TLS clients get
   * its issuer cannot be known here. They do when the issuer is a root they trust; when it is an intermediate, API
   * Gateway serves the certificate alone (it serves the chain imported with it) and most clients then fail to build a
   * path. ACM imports a certificate without a chain, so a deploy goes ahead.
   */
  CHAIN_NOT_GIVEN,
  /**
   * {@code DomainName} does not match the template's DomainName parameter
   * ({@link CertificateChecker#DOMAIN_NAME_PATTERN}): empty, a URL, an IP address, a single label, a trailing dot, a
   * label starting or ending with a hyphen, an underscore, a wildcard or upper case.
   */
  DOMAIN_NAME_INVALID,
  /**
   * No DNS subjectAltName covers {@code DomainName}. Matching is as TLS clients do it (RFC 6125): case-insensitive;
   * a wildcard only as the whole leftmost label, covering exactly one label; the subject CN is not used.
   */
  DOMAIN_NOT_COVERED,
  /** An extendedKeyUsage extension is present without serverAuth (nor anyExtendedKeyUsage). */
  NO_SERVER_AUTH,
  /**
   * A keyUsage extension is present without the bit a TLS server needs: digitalSignature or keyEncipherment for RSA,
   * digitalSignature for EC.
   */
  KEY_USAGE_NOT_SERVER
}
