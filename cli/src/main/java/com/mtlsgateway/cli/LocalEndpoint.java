package com.mtlsgateway.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
  // URI.getHost() keeps IPv6 brackets; the SDK's request host may not
  private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final String IGNORE_PROPERTY = "aws.ignoreConfiguredEndpointUrls";

  private LocalEndpoint() {}

  /**
   * @param environment this process's environment
   * @param properties this JVM's system properties
   * @return why the settings may reach something other than this machine, or empty when every call stays local
   */
  static Optional<String> problem(Map<String, String> environment, Map<String, String> properties) {
    String ignore = first(properties.get(IGNORE_PROPERTY),
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

  /**
   * {@link #problem}; when there is none, also sets the system property {@code aws.ignoreConfiguredEndpointUrls} to
   * false: the SDK reads it before the profile file's {@code ignore_configured_endpoint_urls} (~/.aws/config,
   * {@code aws.configFile}, {@code AWS_PROFILE}), which could otherwise send the calls that passed the check to AWS.
   */
  static Optional<String> pin(Map<String, String> environment, Map<String, String> properties) {
    Optional<String> problem = problem(environment, properties);
    if (problem.isEmpty()) {
      System.setProperty(IGNORE_PROPERTY, "false");
    }
    return problem;
  }

  /** This JVM's system properties, as {@link #problem} reads them. */
  static Map<String, String> systemProperties() {
    Map<String, String> properties = new TreeMap<>();
    System.getProperties().stringPropertyNames().forEach(name -> properties.put(name, System.getProperty(name)));
    return properties;
  }

  /** Whether {@code host} (as {@link URI#getHost()} or the SDK's request gives it) is this machine's loopback. */
  static boolean localHost(String host) {
    return host != null && LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
  }

  private static boolean local(String endpoint) {
    try {
      return localHost(new URI(endpoint.trim()).getHost());
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String first(String preferred, String otherwise) {
    return preferred != null && !preferred.isBlank() ? preferred
        : otherwise != null && !otherwise.isBlank() ? otherwise : null;
  }
}
