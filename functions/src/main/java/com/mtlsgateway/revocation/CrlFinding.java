package com.mtlsgateway.revocation;

import java.util.Objects;

/**
 * One finding about a CRL, or about a CA of the truststore that has none.
 *
 * @param code the stable code (its severity is {@code code.severity()})
 * @param source the CRL's location as given, or null for a CA without a CRL
 * @param ca the subject of the CA concerned (RFC 2253), or null when no CA could be told
 * @param message what is wrong and how to fix it
 */
public record CrlFinding(CrlProblemCode code, String source, String ca, String message) {
  public CrlFinding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
