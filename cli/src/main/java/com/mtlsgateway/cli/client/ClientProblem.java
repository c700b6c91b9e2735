package com.mtlsgateway.cli.client;

import java.util.Objects;

/**
 * One reason a client certificate would be refused.
 *
 * @param code the stable code (its name, e.g. {@code ISSUER_NOT_FOUND}, is what the command prints)
 * @param message which certificate (the client's, or truststore CA #index, with its subject), the problem and the fix
 */
public record ClientProblem(ClientProblemCode code, String message) {
  public ClientProblem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
