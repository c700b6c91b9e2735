package com.mtlsgateway.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.account.AccountRoleHandler;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.certificate.ImportedCertificateHandler;
import com.mtlsgateway.endpoint.DefaultEndpointHandler;
import com.mtlsgateway.endpoint.DomainStatusHandler;
import com.mtlsgateway.revocation.AuthorizerSettings;
import com.mtlsgateway.revocation.RevocationAuthorizer;
import com.mtlsgateway.revocation.RevocationListHandler;
import com.mtlsgateway.revocation.RevocationRefreshHandler;
import com.mtlsgateway.truststore.TruststoreExpiryHandler;
import com.mtlsgateway.truststore.TruststoreHandler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Which handler serves which event: each custom resource type, the REQUEST authorizer and each scheduled function,
 * each made as the Lambda runtime makes it.
 */
final class Handlers {

  /**
   * The logical ids of the rules SAM makes for the Schedule events of template.yaml's scheduled functions
   * (FunctionLogicalId + EventName), which the rule's name (STACK-RuleLogicalId-SUFFIX) holds.
   */
  static final String REFRESH_RULE = "RevocationRefreshFunctionRefresh";
  static final String EXPIRY_RULE = "TruststoreExpiryFunctionDaily";

  /**
   * A scheduled function of template.yaml.
   *
   * @param rule the logical id of its rule
   * @param name how messages name it
   * @param settings the environment variables the template sets for it, and {@code example} their form
   * @param resultEvent the {@code event} member of the result it returns when it succeeds
   * @param failure what a failure means in Lambda
   * @param make the handler as the Lambda runtime makes it, reading the given environment
   */
  record Scheduled(String rule, String name, List<String> settings, String example, String resultEvent,
      String failure, Function<Map<String, String>, RequestStreamHandler> make) {}

  /** Every scheduled function of template.yaml: the one table the handlers and {@code invoke} read. */
  static final List<Scheduled> SCHEDULED = List.of(
      new Scheduled(REFRESH_RULE, "the refresh", List.of(RevocationRefreshHandler.TRUSTSTORE_URI,
          RevocationRefreshHandler.REVOCATION_LIST_URIS, AuthorizerSettings.INDEX_URI, Metrics.STACK_NAME),
          "TRUSTSTORE_URI=s3://BUCKET/truststore.pem?versionId=VERSION (the staged truststore),"
              + " REVOCATION_LIST_URIS=LOCATION,... (the CRLs), REVOCATION_INDEX_URI=s3://BUCKET/revocation/index.bin,"
              + " STACK_NAME=STACK (the metric's dimension)",
          "revocation.refreshed", "the last good index stays",
          environment -> new RevocationRefreshHandler(cloudWatch(), environment)),
      new Scheduled(EXPIRY_RULE, "the truststore expiry check", List.of(TruststoreExpiryHandler.TRUSTSTORE_URI,
          Metrics.STACK_NAME),
          "TRUSTSTORE_URI=s3://BUCKET/truststore.pem?versionId=VERSION (the staged truststore), STACK_NAME=STACK (the"
              + " metric's dimension)",
          "truststore.expiry.checked", "no value is published",
          environment -> new TruststoreExpiryHandler(AwsClients.s3(), cloudWatch(), Clock.systemUTC(), environment)));

  private final Map<String, Supplier<RequestStreamHandler>> byResourceType;
  private final Supplier<RequestStreamHandler> authorizer;
  private final Map<String, Supplier<RequestStreamHandler>> byRule;
  private final Map<String, String> environment;

  /**
   * @param authorizer makes the handler of authorizer events; {@code byRule} those of scheduled events, by rule
   * @param environment the environment those read their settings from (checked before they are made)
   * @throws IllegalArgumentException when {@code byRule} has a rule that is not in {@link #SCHEDULED}
   */
  Handlers(Map<String, Supplier<RequestStreamHandler>> byResourceType, Supplier<RequestStreamHandler> authorizer,
      Map<String, Supplier<RequestStreamHandler>> byRule, Map<String, String> environment) {
    for (String rule : byRule.keySet()) {
      if (scheduled(rule).isEmpty()) {
        throw new IllegalArgumentException("no scheduled function of the template has the rule " + rule);
      }
    }
    this.byResourceType = new TreeMap<>(byResourceType);
    this.authorizer = authorizer;
    this.byRule = new TreeMap<>(byRule);
    this.environment = Map.copyOf(environment);
  }

  /** {@code byResourceType} for custom resources; the built-in authorizer and scheduled functions. */
  Handlers(Map<String, Supplier<RequestStreamHandler>> byResourceType) {
    this(byResourceType, RevocationAuthorizer::new, scheduled(System.getenv()), System.getenv());
  }

  /**
   * The handlers of template.yaml: the authorizer and the scheduled functions read this process's environment, as
   * in Lambda.
   */
  static Handlers builtIn() {
    return new Handlers(customResources());
  }

  /**
   * The handlers of template.yaml, the authorizer and the scheduled functions reading {@code environment} instead of
   * this process's (for {@code invoke --prepare}, which sets their settings as the template would).
   */
  static Handlers builtIn(Map<String, String> environment) {
    return new Handlers(customResources(),
        () -> new RevocationAuthorizer(AwsClients.s3(), environment, Clock.systemUTC()),
        scheduled(environment), environment);
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

  /** The scheduled functions of template.yaml, by rule, reading {@code environment}. */
  private static Map<String, Supplier<RequestStreamHandler>> scheduled(Map<String, String> environment) {
    Map<String, Supplier<RequestStreamHandler>> byRule = new TreeMap<>();
    SCHEDULED.forEach(function -> byRule.put(function.rule(), () -> function.make().apply(environment)));
    return byRule;
  }

  /** The scheduled function of {@code rule} (a rule's logical id), if the template has it. */
  static Optional<Scheduled> scheduled(String rule) {
    return SCHEDULED.stream().filter(function -> function.rule().equals(rule)).findFirst();
  }

  /**
   * The Lambda runtime's CloudWatch client, or, when every endpoint is on this machine (an emulator such as moto),
   * one that speaks the protocol emulators serve ({@link EmulatorCloudWatch}); then the profile's
   * ignore_configured_endpoint_urls can no longer send its calls to AWS ({@link LocalEndpoint#pin}).
   */
  static CloudWatchClient cloudWatch() {
    return LocalEndpoint.pin(System.getenv(), LocalEndpoint.systemProperties()).isEmpty()
        ? EmulatorCloudWatch.client() : AwsClients.cloudWatch();
  }

  Supplier<RequestStreamHandler> authorizer() {
    return authorizer;
  }

  /** The handler of the scheduled events of {@code rule} (a rule's logical id), if the template has it. */
  Optional<Supplier<RequestStreamHandler>> forRule(String rule) {
    return Optional.ofNullable(byRule.get(rule));
  }

  Set<String> rules() {
    return byRule.keySet();
  }

  /** The value of an environment variable of the authorizer or the scheduled functions, or null. */
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
