package com.mtlsgateway.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.certificate.ImportedCertificateHandler;
import com.mtlsgateway.endpoint.DefaultEndpointHandler;
import com.mtlsgateway.endpoint.DomainStatusHandler;
import com.mtlsgateway.truststore.TruststoreHandler;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Which handler serves which custom resource type, each made as the Lambda runtime makes it. */
final class Handlers {

  private final Map<String, Supplier<RequestStreamHandler>> byResourceType;

  Handlers(Map<String, Supplier<RequestStreamHandler>> byResourceType) {
    this.byResourceType = new TreeMap<>(byResourceType);
  }

  /** The handlers of template.yaml, built through their public no-arg constructors. */
  static Handlers builtIn() {
    return new Handlers(Map.of(
        "Custom::Truststore", TruststoreHandler::new,
        "Custom::ImportedCertificate", ImportedCertificateHandler::new,
        "Custom::DefaultEndpoint", DefaultEndpointHandler::new,
        "Custom::DomainStatus", DomainStatusHandler::new));
  }

  Optional<Supplier<RequestStreamHandler>> forResourceType(String resourceType) {
    return Optional.ofNullable(byResourceType.get(resourceType));
  }

  Set<String> resourceTypes() {
    return byResourceType.keySet();
  }
}
