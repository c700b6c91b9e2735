package com.mtlsgateway.cli.client;

import java.util.Objects;

/**
 * One reason a client certificate would be refused.
 *
 * @param code a stable UPPER_SNAKE code, one of {@link ClientProblemCode} (e.g. {@code ISSUER_NOT_FOUND})
 * @param message which certificate (the client's, or truststore CA #index, with its subject), the problem and the fix
 */
public record ClientProblem(String code, String message) {
  public ClientProblem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  ClientProblem(ClientProblemCode code, String message) {
    this(code.name(), message);
  }
}
