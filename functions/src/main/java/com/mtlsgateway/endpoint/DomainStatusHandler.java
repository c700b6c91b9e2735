package com.mtlsgateway.endpoint;

import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.AwsErrors;
import com.mtlsgateway.customresource.Backoff;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.Deadline;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.customresource.Outcome;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.customresource.ResponseSender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetDomainNameResponse;
import software.amazon.awssdk.services.apigateway.model.MutualTlsAuthentication;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

/**
 * Backs {@code Custom::DomainStatus}: fails the deployment when an API Gateway custom domain is not fit to serve, or
 * when API Gateway warns about its truststore, instead of letting the stack succeed with a domain that refuses
 * clients. Invalid truststore entries do not fail the domain itself: API Gateway only lists them in
 * {@code mutualTlsAuthentication.truststoreWarnings} and answers 403 to the clients they concern.
 *
 * <ul>
 *   <li>Create and Update: {@code GetDomainName}, repeated with {@link #BACKOFF} (1 s doubling to 16 s) while the
 *       status is {@code UPDATING} or {@code PENDING} and the {@link Deadline} leaves room, as is
 *       {@code TooManyRequestsException}. Then FAILED when the status is {@code FAILED} or {@code PENDING_*} (API
 *       Gateway's message and what to do), or any status this code does not know; FAILED
 *       when there are truststore warnings and {@code FailOnTruststoreWarnings} is true (the fix first, then as many
 *       whole warnings as fit the response, {@link TruststoreWarningsReason}); otherwise SUCCESS. Every check
 *       writes one JSON log line with all the warnings. The PhysicalResourceId is the domain name: nothing is
 *       created, and an Update naming another domain "replaces" this check, whose Delete does nothing.
 *   <li>Delete: nothing to undo.
 * </ul>
 *
 * <p>Data: {@code DomainNameStatus}, {@code TruststoreWarningCount}, {@code RegionalDomainName},
 * {@code RegionalHostedZoneId} (empty when API Gateway gives none).
 *
 * <p>IAM: {@code apigateway:GET} on {@code arn:aws:apigateway:REGION::/domainnames/NAME}.
 */
public final class DomainStatusHandler extends CustomResourceHandler<DomainStatusProperties> {

  /**
   * Waits between GetDomainName calls while the domain is busy or the call throttled: 1 s doubled up to 16 s,
   * keeping 2 s after a wait for one more GetDomainName call.
   */
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(2));

  static final String UPDATING = "UPDATING";
  static final String PENDING = "PENDING";
  static final String AVAILABLE = "AVAILABLE";
  static final String FAILED = "FAILED";
  static final String PENDING_CERTIFICATE_REIMPORT = "PENDING_CERTIFICATE_REIMPORT";
  static final String PENDING_OWNERSHIP_VERIFICATION = "PENDING_OWNERSHIP_VERIFICATION";
  /** DomainNameStatus in Data when API Gateway reports none. */
  static final String NOT_REPORTED = "NOT_REPORTED";

  private final ApiGatewayClient apiGateway;
  private final Clock clock;

  /** For the Lambda runtime: the shared API Gateway client, the HTTP response sender and the system clock. */
  public DomainStatusHandler() {
    this(AwsClients.apiGateway(), new HttpResponseSender(), Clock.systemUTC());
  }

  /** For tests and in-process use ({@code bin/mtls invoke}): explicit client, response sender and clock. */
  public DomainStatusHandler(ApiGatewayClient apiGateway, ResponseSender sender, Clock clock) {
    super(sender, clock);
    this.apiGateway = Objects.requireNonNull(apiGateway, "apiGateway");
    this.clock = clock;
  }

  @Override
  protected DomainStatusProperties parse(ResourceProperties properties) {
    return DomainStatusProperties.from(properties);
  }

  @Override
  protected Outcome create(DomainStatusProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    return check(properties, request, deadline);
  }

  @Override
  protected Outcome update(DomainStatusProperties properties, DomainStatusProperties oldProperties,
      CustomResourceRequest request, Deadline deadline) throws InterruptedException {
    return check(properties, request, deadline);
  }

  @Override
  protected Outcome delete(DomainStatusProperties properties, CustomResourceRequest request, Deadline deadline) {
    return Outcome.sameId(Map.of()); // a check: nothing was created
  }

  private Outcome check(DomainStatusProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    String name = properties.domainName();
    Settled settled = settle(name, deadline);
    GetDomainNameResponse domain = settled.domain();
    String status = domain.domainNameStatusAsString();
    MutualTlsAuthentication mtls = domain.mutualTlsAuthentication();
    List<String> warnings = mtls != null && mtls.hasTruststoreWarnings() ? mtls.truststoreWarnings() : List.of();
    log(request, properties, settled, warnings);

    if (status != null && !status.equals(AVAILABLE)) {
      throw new CustomResourceException(statusReason(name, status, domain.domainNameStatusMessage()));
    }
    if (!warnings.isEmpty() && properties.failOnTruststoreWarnings()) {
      throw new CustomResourceException(TruststoreWarningsReason.build(warningsHead(name, mtls, warnings.size()),
          warnings, TruststoreWarningsReason.room(request)));
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put("DomainNameStatus", status == null ? NOT_REPORTED : status);
    data.put("TruststoreWarningCount", Integer.toString(warnings.size()));
    data.put("RegionalDomainName", Objects.requireNonNullElse(domain.regionalDomainName(), ""));
    data.put("RegionalHostedZoneId", Objects.requireNonNullElse(domain.regionalHostedZoneId(), ""));
    return Outcome.of(name, data);
  }

  /**
   * The domain once it is neither UPDATING nor PENDING: GetDomainName with backoff while it is, or while API Gateway
   * throttles, until the deadline leaves no room for another wait and call.
   */
  private Settled settle(String name, Deadline deadline) throws InterruptedException {
    Instant start = clock.instant();
    Backoff.Waits waits = BACKOFF.waits();
    int calls = 0;
    int throttled = 0;
    while (true) {
      calls++;
      GetDomainNameResponse domain = null;
      TooManyRequestsException throttle = null;
      try {
        domain = apiGateway.getDomainName(b -> b.domainName(name));
      } catch (TooManyRequestsException e) {
        throttle = e;
        throttled++;
      } catch (NotFoundException e) {
        throw new CustomResourceException("Custom domain " + name + " (property DomainName) was not found: "
            + AwsErrors.describe("API Gateway GetDomainName", e) + ". DomainName must name an API Gateway custom"
            + " domain in this stack's account and Region (!Ref the AWS::ApiGateway::DomainName), and this resource"
            + " must depend on it so that it is checked after it exists");
      } catch (SdkException e) {
        throw new CustomResourceException(failure(name, e));
      }
      if (domain != null && !busy(domain.domainNameStatusAsString())) {
        return new Settled(domain, calls, throttled, Duration.between(start, clock.instant()));
      }
      Duration wait = waits.next();
      if (!BACKOFF.fits(wait, deadline)) {
        String waited = " after " + calls + (calls == 1 ? " call" : " calls") + " over "
            + Duration.between(start, clock.instant()).toSeconds() + " s";
        if (throttle != null) {
          throw new CustomResourceException(AwsErrors.describe("API Gateway GetDomainName " + name, throttle)
              + " (still throttled" + waited + ", the function's time is up)");
        }
        throw new CustomResourceException("Custom domain " + name + " is still " + domain.domainNameStatusAsString()
            + waited + " (" + message(domain.domainNameStatusMessage()) + "); the function's time is up. API"
            + " Gateway accepts no change to a domain until this ends: deploy again once GetDomainName reports"
            + " AVAILABLE, or raise the function's Timeout and this resource's ServiceTimeout to wait longer");
      }
      Thread.sleep(wait.toMillis());
    }
  }

  private static boolean busy(String status) {
    return UPDATING.equals(status) || PENDING.equals(status);
  }

  /** A domain that settled in a status other than AVAILABLE: what it means and what to do. */
  static String statusReason(String name, String status, String message) {
    String head = "Custom domain " + name + " is " + status + " (" + message(message) + "). ";
    return head + switch (status) {
      case PENDING_CERTIFICATE_REIMPORT -> "API Gateway waits for its certificate to be re-imported into ACM:"
          + " re-import a currently valid certificate to the same ACM ARN (with Custom::ImportedCertificate, update"
          + " its certificate material: it re-imports in place), then deploy again";
      case PENDING_OWNERSHIP_VERIFICATION -> "API Gateway cannot verify that you own the name, and every update"
          + " of the domain stays locked until it can: renew or re-validate the ownership verification certificate"
          + " (OwnershipVerificationCertificateArn, a public ACM certificate for the same name; complete its DNS"
          + " validation so that ACM shows it ISSUED), or set OwnershipVerificationCertificateArn to another ISSUED"
          + " one, then deploy again";
      case FAILED -> "Fix what the message names (usually RegionalCertificateArn (the CertificateArn parameter, or the"
          + " certificate the stack imported), OwnershipVerificationCertificateArn"
          + " or the truststore), then deploy again";
      default -> status.startsWith("PENDING_")
          ? "API Gateway waits for an action on the domain: do what the message asks, then deploy again"
          : "This function does not know that status and will not pass it: check the domain in the API Gateway"
              + " console, then deploy again";
    };
  }

  private static String warningsHead(String name, MutualTlsAuthentication mtls, int count) {
    String uri = mtls.truststoreUri() == null ? "" : " " + mtls.truststoreUri()
        + (mtls.truststoreVersion() == null ? "" : " (version " + mtls.truststoreVersion() + ")");
    return "Custom domain " + name + ": API Gateway reports " + count + " truststore "
        + (count == 1 ? "warning" : "warnings") + " for its truststore" + uri + "; mTLS stays on but clients whose"
        + " certificates chain to these entries get 403. Fix or remove the entries (check the bundle with `bin/mtls"
        + " truststore validate FILE`), stage the new version and deploy again, or set FailOnTruststoreWarnings to"
        + " \"false\" (the AcceptTruststoreWarnings parameter in this project's template.yaml) to accept them."
        + " Warnings: ";
  }

  private static String failure(String name, SdkException e) {
    String text = AwsErrors.describe("API Gateway GetDomainName " + name, e);
    if (e instanceof AwsServiceException service && (service.statusCode() == 403 || service.statusCode() == 401)) {
      text += "; the function's role needs apigateway:GET on arn:aws:apigateway:REGION::/domainnames/" + name;
    }
    return text;
  }

  private static String message(String message) {
    return message == null || message.isBlank() ? "no status message" : "\"" + message.strip() + "\"";
  }

  private static void log(CustomResourceRequest request, DomainStatusProperties properties, Settled settled,
      List<String> warnings) {
    GetDomainNameResponse domain = settled.domain();
    MutualTlsAuthentication mtls = domain.mutualTlsAuthentication();
    JsonObject line = Json.line("domainStatus.checked", request);
    line.put("domainName", properties.domainName());
    line.put("domainNameStatus", domain.domainNameStatusAsString());
    line.put("domainNameStatusMessage", domain.domainNameStatusMessage());
    line.put("calls", settled.calls());
    line.put("throttled", settled.throttled());
    line.put("waitedMs", settled.waited().toMillis());
    line.put("mutualTls", mtls != null);
    line.put("truststoreUri", mtls == null ? null : mtls.truststoreUri());
    line.put("truststoreVersion", mtls == null ? null : mtls.truststoreVersion());
    line.put("truststoreVersionProperty", properties.truststoreVersion());
    line.put("certificateArnProperty", properties.certificateArn());
    line.put("certificateNotAfterProperty", properties.certificateNotAfter());
    line.put("ownershipVerificationCertificateArnProperty", properties.ownershipVerificationCertificateArn());
    line.put("failOnTruststoreWarnings", properties.failOnTruststoreWarnings());
    line.put("truststoreWarningCount", warnings.size());
    JsonArray all = line.putArray("truststoreWarnings");
    warnings.forEach(all::add);
    Json.log(line);
  }

  /** The domain as last read, and what it took. */
  private record Settled(GetDomainNameResponse domain, int calls, int throttled, Duration waited) {
  }
}
