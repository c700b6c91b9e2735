package com.mtlsgateway.truststore;

import java.util.Objects;

/**
 * Which certificate of a bundle a {@link Finding} is about.
 *
 * @param index 0-based position of the certificate's PEM block among all PEM blocks of the bundle, i.e. the n-th
 *     {@code -----BEGIN} marker that opens a block, counting from 0 (normally at the start of a line; see
 *     {@link TruststoreValidator#validate} for the exceptions); blocks of other types and unparseable blocks keep their
 *     place, so an index always points at the same block of the file
 * @param subject the subject distinguished name in RFC 2253 form
 * @param sha256 SHA-256 fingerprint of the certificate's DER encoding, lowercase hex (64 characters), the value
 *     {@code openssl x509 -noout -fingerprint -sha256} prints without colons
 */
public record CertificateRef(int index, String subject, String sha256) {
  public CertificateRef {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(sha256, "sha256");
  }
}
