package com.mtlsgateway.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.account.AccountRoleHandler;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.certificate.ImportedCertificateHandler;
import com.mtlsgateway.endpoint.DefaultEndpointHandler;
import com.mtlsgateway.endpoint.DomainStatusHandler;
import com.mtlsgateway.revocation.RevocationAuthorizer;
import com.mtlsgateway.revocation.RevocationListHandler;
import com.mtlsgateway.revocation.RevocationRefreshHandler;
import com.mtlsgateway.truststore.TruststoreHandler;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Which handler serves which event: each custom resource type, the REQUEST authorizer and the scheduled refresh, each
 * made as the Lambda runtime makes it.
 */
final class Handlers {

  private final Map<String, Supplier<RequestStreamHandler>> byResourceType;
  private final Supplier<RequestStreamHandler> authorizer;
  private final Supplier<RequestStreamHandler> refresh;
  private final Map<String, String> environment;

  /**
   * @param authorizer makes the handler of authorizer events; {@code refresh} that of scheduled events
   * @param environment the environment those two read their settings from (checked before they are made)
   */
  Handlers(Map<String, Supplier<RequestStreamHandler>> byResourceType, Supplier<RequestStreamHandler> authorizer,
      Supplier<RequestStreamHandler> refresh, Map<String, String> environment) {
    this.byResourceType = new TreeMap<>(byResourceType);
    this.authorizer = authorizer;
    this.refresh = refresh;
    this.environment = Map.copyOf(environment);
  }

  /** {@code byResourceType} for custom resources; the built-in authorizer and refresh, on this environment. */
  Handlers(Map<String, Supplier<RequestStreamHandler>> byResourceType) {
    this(byResourceType, RevocationAuthorizer::new, RevocationRefreshHandler::new, System.getenv());
  }

  /**
   * The handlers of template.yaml, built through their public no-arg constructors: the authorizer and the refresh
   * read this process's environment, as in Lambda.
   */
  static Handlers builtIn() {
    return new Handlers(customResources());
  }

  /**
   * The handlers of template.yaml, the authorizer and the refresh reading {@code environment} instead of this
   * process's (for {@code invoke --prepare}, which sets their settings as the template would).
   */
  static Handlers builtIn(Map<String, String> environment) {
    return new Handlers(customResources(),
        () -> new RevocationAuthorizer(AwsClients.s3(), environment, Clock.systemUTC()),
        () -> new RevocationRefreshHandler(environment),
        environment);
  }

  /** The custom resource handlers of template.yaml, by ResourceType. */
  static Map<String, Supplier<RequestStreamHandler>> customResources() {
    return Map.of(
        "Custom::Truststore", TruststoreHandler::new,
        "Custom::ImportedCertificate", ImportedCertificateHandler::new,
        "Custom::DefaultEndpoint", DefaultEndpointHandler::new,
        "Custom::DomainStatus", DomainStatusHandler::new,
        "Custom::RevocationList", RevocationListHandler::new,
        "Custom::ApiGatewayAccountRole", AccountRoleHandler::new);
  }

  Supplier<RequestStreamHandler> authorizer() {
    return authorizer;
  }

  Supplier<RequestStreamHandler> refresh() {
    return refresh;
  }

  /** The value of an environment variable of the authorizer or the refresh, or null. */
  String environment(String name) {
    return environment.get(name);
  }

  Optional<Supplier<RequestStreamHandler>> forResourceType(String resourceType) {
    return Optional.ofNullable(byResourceType.get(resourceType));
  }

  Set<String> resourceTypes() {
    return byResourceType.keySet();
  }
}
