package com.mtlsgateway.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether every AWS call of {@code invoke --prepare} goes to an emulator on this machine: it creates buckets, secrets,
 * REST APIs and domains, which must never happen in an AWS account.
 *
 * <p>The AWS SDK takes the endpoint of a service from, first to last: the system property
 * {@code aws.endpointUrl<Service>}, the environment variable {@code AWS_ENDPOINT_URL_<SERVICE>}, then
 * {@code aws.endpointUrl} and {@code AWS_ENDPOINT_URL}, then the profile's settings, else AWS itself. So the global setting must be
 * present and local, any service-specific one of the services used must be local too, and nothing may tell the SDK
 * to ignore them.
 */
final class LocalEndpoint {

  /** A service's own endpoint settings: {@code AWS_ENDPOINT_URL_<environment>}, {@code aws.endpointUrl<property>}. */
  private record Service(String environment, String property) {}

  /** The services {@code --prepare} and the handlers call. */
  private static final List<Service> SERVICES = List.of(new Service("S3", "S3"),
      new Service("SECRETS_MANAGER", "SecretsManager"), new Service("ACM", "Acm"),
      new Service("API_GATEWAY", "ApiGateway"), new Service("CLOUDWATCH", "CloudWatch"));
  private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]"); // URI.getHost() keeps IPv6 brackets

  private LocalEndpoint() {}

  /**
   * @param environment this process's environment
   * @param properties this JVM's system properties
   * @return why the settings may reach something other than this machine, or empty when every call stays local
   */
  static Optional<String> problem(Map<String, String> environment, Map<String, String> properties) {
    String ignore = first(properties.get("aws.ignoreConfiguredEndpointUrls"),
        environment.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
    if ("true".equalsIgnoreCase(ignore)) {
      return Optional.of("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true, so the AWS SDK would call AWS itself: unset it");
    }
    String global = first(properties.get("aws.endpointUrl"), environment.get("AWS_ENDPOINT_URL"));
    if (global == null) {
      return Optional.of("AWS_ENDPOINT_URL is not set, so the AWS calls would go to AWS itself: start a local"
          + " emulator and point AWS_ENDPOINT_URL at it, e.g. moto_server -H 127.0.0.1 -p 5000 &"
          + " export AWS_ENDPOINT_URL=http://127.0.0.1:5000");
    }
    List<String> remote = new ArrayList<>();
    if (!local(global)) {
      remote.add("AWS_ENDPOINT_URL=" + global);
    }
    for (Service service : SERVICES) {
      String name = "AWS_ENDPOINT_URL_" + service.environment();
      String value = first(properties.get("aws.endpointUrl" + service.property()), environment.get(name));
      if (value != null && !local(value)) {
        remote.add(name + "=" + value);
      }
    }
    if (remote.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.join(", ", remote) + " is not on this machine: --prepare changes only a local emulator"
        + " (http://127.0.0.1:PORT or http://localhost:PORT)");
  }

  private static boolean local(String endpoint) {
    try {
      String host = new URI(endpoint.trim()).getHost();
      return host != null && LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String first(String preferred, String otherwise) {
    return preferred != null && !preferred.isBlank() ? preferred
        : otherwise != null && !otherwise.isBlank() ? otherwise : null;
  }
}
