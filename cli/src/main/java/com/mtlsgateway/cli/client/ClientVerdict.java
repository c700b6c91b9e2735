package com.mtlsgateway.cli.client;

import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether API Gateway would accept a client certificate, and why not.
 *
 * @param path the certificates from the client's certificate up to a truststore root, leaf first; when no path could
 *     be completed, as far as it goes (the client's certificate alone when not even its issuer is in the truststore)
 * @param problems every reason for refusal, in path order (the client's certificate first); empty when accepted
 */
public record ClientVerdict(List<X509Certificate> path, List<ClientProblem> problems) {

  public ClientVerdict {
    path = List.copyOf(path);
    problems = List.copyOf(problems);
  }

  /** True when there is no problem. */
  public boolean accepted() {
    return problems.isEmpty();
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
   * The problem that decides what API Gateway logs; empty when accepted. Among the problems whose reason AWS
   * documents, a broken path (SELF_SIGNED, then ISSUER_NOT_FOUND) comes before INSECURE_SIGNATURE, as path building
   * comes before the checks of the certificates on it in TLS libraries; without such a problem, the first one.
   */
  public Optional<ClientProblemCode> refusal() {
    List<ClientProblemCode> codes = problems.stream().map(ClientProblem::code).toList();
    return codes.stream().filter(ClientProblemCode::documentedByAws).min(Comparator.naturalOrder())
        .or(() -> codes.stream().findFirst());
  }

  /** The subjects of {@link #path()} (RFC 2253), leaf first. */
  public List<String> pathSubjects() {
    return path.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
  }
}
