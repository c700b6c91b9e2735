package com.mtlsgateway.certificate;

import java.util.Objects;

/**
 * One problem with certificate material, or a warning about it ({@link CertificateProblemCode#CHAIN_NOT_GIVEN}).
 *
 * @param input the input it is about, as {@link CertificateChecker.Inputs} names them: by default the property
 *     {@code CertificatePem}, {@code ChainPem}, {@code PrivateKey} or {@code DomainName}; in
 *     {@code bin/mtls certificate check} the option {@code --cert}, {@code --chain}, {@code --key} or {@code --domain}
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
