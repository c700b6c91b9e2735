package com.mtlsgateway.truststore;

import java.util.Objects;

/**
 * One problem found in a truststore bundle.
 *
 * @param code stable code of the rule that fired
 * @param severity how much it matters (normally {@code code.severity()})
 * @param certificate the certificate concerned, or null when the finding is about the whole file, about a PEM
 *     block that is not a parseable certificate, or about the boundary between two blocks (the message then names
 *     the block's index)
 * @param message what is wrong and how to fix it, in one or two sentences; never contains the content of a
 *     non-certificate block (such as a private key)
 */
public record Finding(FindingCode code, Severity severity, CertificateRef certificate, String message) {
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }

  /** A finding with the code's default severity. */
  static Finding of(FindingCode code, CertificateRef certificate, String message) {
    return new Finding(code, code.severity(), certificate, message);
  }
}
