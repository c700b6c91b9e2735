package com.mtlsgateway.cli.client;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Whether API Gateway would accept a client certificate, and why not.
 *
 * @param accepted true when there is no problem
 * @param path the certificates from the client's certificate up to a truststore root, leaf first; when no path could
 *     be completed, as far as it goes (the client's certificate alone when not even its issuer is in the truststore)
 * @param problems every reason for refusal, in path order (the client's certificate first); empty when accepted
 */
public record ClientVerdict(boolean accepted, List<X509Certificate> path, List<ClientProblem> problems) {

  public ClientVerdict {
    path = List.copyOf(path);
    problems = List.copyOf(problems);
  }

  /**
   * The reason API Gateway's execution log gives for the refusal ("Could not find issuer for certificate", "Client
   * cert using an insecure Signature Algorithm", "self signed certificate", ...); "" when accepted. It is the reason of
   * {@link #refusal()}.
   */
  public String executionLogReason() {
    return refusal().map(ClientProblemCode::logReason).orElse("");
  }

  /**
   * The problem that decides what the client sees and API Gateway logs: the first whose reason AWS documents, else
   * the first; empty when accepted.
   */
  public Optional<ClientProblemCode> refusal() {
    List<ClientProblemCode> codes = problems.stream().map(p -> ClientProblemCode.valueOf(p.code())).toList();
    return codes.stream().filter(ClientProblemCode::documentedByAws).findFirst().or(() -> codes.stream().findFirst());
  }

  /** The subjects of {@link #path()} (RFC 2253), leaf first. */
  public List<String> pathSubjects() {
    return path.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
  }
}
