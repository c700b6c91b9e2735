package com.mtlsgateway.certificate;

import java.util.Objects;

/**
 * One problem with certificate material.
 *
 * @param input the property it is about: {@code CertificatePem}, {@code ChainPem}, the private key's property (by
 *     default {@code PrivateKey}) or {@code DomainName}
 * @param code stable code of the check that failed
 * @param message the problem and its fix, in one or two sentences; never holds any part of the private key
 */
public record CertificateProblem(String input, CertificateProblemCode code, String message) {
  public CertificateProblem {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** {@code "INPUT CODE: message"}, one line. */
  public String line() {
    return input + " " + code + ": " + message;
  }
}
