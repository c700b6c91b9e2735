package com.mtlsgateway.revocation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The REQUEST Lambda authorizer that denies revoked client certificates.
 *
 * <p>It reads {@code requestContext.identity.clientCert.clientCertPem} (the PEM is authoritative, not the DN and
 * serial strings beside it), finds the issuing CA in the revocation index and answers with an IAM policy: Allow, or
 * Deny when (issuer, serial) is revoked, or when the check cannot be made and the fail mode is CLOSED (see {@link
 * RevocationCheck}). The policy's Resource is every method of the stage ({@code arn:...:apiId/stage/*}), so a cached
 * decision can never deny the next method by mistake.
 *
 * <p>Both answers carry a context the access log and the integration can read as {@code $context.authorizer.KEY}:
 * {@code decision} (Allow or Deny), {@code check} ({@link RevocationCheck#code()}), {@code reason}, {@code subject},
 * {@code issuer} (RFC 2253) and {@code serial} (hex). Denials and fail-open allows are also logged, one JSON line
 * each ({@code revocation.decision}).
 *
 * <p>The index is loaded when the function starts (before a SnapStart snapshot), checked for a new version at most
 * once per refresh interval, and checked again on the first request after a restore. The refresh interval, grace
 * period and fail mode come from the environment, overridden by the stage's variables ({@link AuthorizerSettings}).
 */
public final class RevocationAuthorizer implements RequestStreamHandler {

  private static final List<String> STAGE_VARIABLES = List.of(AuthorizerSettings.STAGE_REFRESH_SECONDS,
      AuthorizerSettings.STAGE_GRACE_PERIOD_HOURS, AuthorizerSettings.STAGE_FAIL_MODE);

  private final AuthorizerSettings settings;
  private final IndexCache cache;
  private Map<String, String> lastStageVariables = Map.of();
  private AuthorizerSettings lastEffective;
  private final Clock clock;
  /** Held so that the restore hook (weakly referenced by the CRaC context) lives as long as the handler. */
  private final Resource restoreHook;

  /**
   * For the Lambda runtime: the environment's settings, the shared S3 client, the system clock; the index is read now.
   *
   * @throws IllegalStateException when the environment is not valid (the function then fails to start, and API
   *     Gateway denies with AUTHORIZER_FAILURE)
   */
  public RevocationAuthorizer() {
    this(AwsClients.s3(), System.getenv(), Clock.systemUTC());
  }

  /** For tests and {@code bin/mtls invoke}: explicit client, environment and clock; the index is read now. */
  public RevocationAuthorizer(S3Client s3, Map<String, String> environment, Clock clock) {
    try {
      this.settings = AuthorizerSettings.from(environment);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    this.clock = clock;
    this.lastEffective = settings;
    this.cache = new IndexCache(s3, settings.index(), clock);
    cache.current(settings.refresh());
    this.restoreHook = new Resource() {
      @Override
      public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {}

      @Override
      public void afterRestore(org.crac.Context<? extends Resource> context) {
        cache.checkOnNextRequest();
      }
    };
    Core.getGlobalContext().register(restoreHook);
  }

  /** Answers one authorizer event with the policy, as JSON. */
  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    Object event = JsonCodec.parse(in.readAllBytes());
    if (!(event instanceof JsonObject object)) {
      throw new IllegalArgumentException("the authorizer event is not a JSON object");
    }
    out.write(Json.write(respond(object)).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The decision for one event, as the response API Gateway expects: {@code principalId}, {@code policyDocument}
   * and {@code context}.
   */
  public JsonObject respond(JsonObject event) {
    Decision decision = decide(event);
    String effect = decision.allowed() ? "Allow" : "Deny";
    JsonObject response = Json.object();
    response.put("principalId", decision.subject() == null ? "unknown" : decision.subject());
    JsonObject policy = response.putObject("policyDocument").put("Version", "2012-10-17");
    policy.putArray("Statement").addObject().put("Action", "execute-api:Invoke").put("Effect", effect)
        .put("Resource", stageResource(event));
    response.putObject("context").put("decision", effect).put("check", decision.check().code())
        .put("reason", decision.reason()).put("subject", orEmpty(decision.subject()))
        .put("issuer", orEmpty(decision.issuer())).put("serial", orEmpty(decision.serial()));
    if (!decision.allowed() || decision.check().failsOpen()) {
      Json.log(Json.object().put("event", "revocation.decision").put("requestId", requestId(event))
          .put("decision", effect).put("check", decision.check().code()).put("reason", decision.reason())
          .put("subject", decision.subject()).put("issuer", decision.issuer()).put("serial", decision.serial())
          .put("indexVersion", cache.versionId()));
    }
    return response;
  }

  /**
   * The decision and its reasons.
   *
   * @param subject and {@code issuer}: RFC 2253, null when the certificate could not be read
   * @param serial hex, or null
   */
  public record Decision(RevocationCheck check, boolean allowed, String reason, String subject, String issuer,
      String serial) {}

  /** Decides on one event (see the class comment). */
  public Decision decide(JsonObject event) {
    AuthorizerSettings effective;
    try {
      effective = effectiveSettings(event);
    } catch (IllegalArgumentException e) {
      return decision(RevocationCheck.INVALID_SETTINGS, "the stage variable " + e.getMessage(), null, settings);
    }
    Object pem = path(event, "requestContext", "identity", "clientCert", "clientCertPem");
    if (!(pem instanceof String text) || text.isBlank()) {
      return decision(RevocationCheck.NO_CLIENT_CERTIFICATE, "the request has no client certificate "
          + "(requestContext.identity.clientCert): only requests through the mTLS custom domain are served", null,
          effective);
    }
    ClientCertificate client;
    try {
      client = ClientCertificate.fromPem(text);
    } catch (IllegalArgumentException e) {
      return decision(RevocationCheck.UNREADABLE_CLIENT_CERTIFICATE, "clientCertPem is not readable: "
          + e.getMessage(), null, effective);
    }
    RevocationIndex index = cache.current(effective.refresh());
    if (index == null) {
      return decision(RevocationCheck.NO_INDEX, "no revocation index could be read from " + settings.index().uri()
          + " (see the revocation.index.unreadable log line)", client, effective);
    }
    RevocationIndex.Result result = index.check(client, clock.instant(), effective.grace());
    RevocationIndex.Issuer issuer = result.issuer();
    String reason = switch (result.check()) {
      case NOT_REVOKED -> "not on the CRL of its CA (cRLNumber " + issuer.number().map(Object::toString)
          .orElse("none") + ", nextUpdate " + issuer.nextUpdate().map(Instant::toString).orElse("") + ")";
      case CA_WITHOUT_CRL -> "its CA has no CRL in RevocationListUris, so it is not checked for revocation";
      case REVOKED -> "serial " + client.serialHex() + " is revoked by the CRL of its CA (from "
          + issuer.source().orElse("") + ")";
      case CRL_STALE -> "the CRL of its CA (from " + issuer.source().orElse("") + ") is past its nextUpdate "
          + issuer.nextUpdate().map(Instant::toString).orElse("") + " plus the grace period of "
          + effective.grace().toHours() + " h: the refresh has not staged a newer one";
      case UNKNOWN_ISSUER -> "its issuer is not in the revocation index, which lags the truststore: the next "
          + "refresh or deploy adds it";
      default -> throw new IllegalStateException("the index returned " + result.check());
    };
    return decision(result.check(), reason, client, effective);
  }

  /**
   * The settings with the event's stage variables applied; the last result is reused while the stage's variables
   * stay the same, which they do between deployments.
   */
  private synchronized AuthorizerSettings effectiveSettings(JsonObject event) {
    Map<String, String> variables = new HashMap<>(4);
    if (event.get("stageVariables") instanceof JsonObject stage) {
      for (String name : STAGE_VARIABLES) {
        if (stage.get(name) instanceof String value) {
          variables.put(name, value);
        }
      }
    }
    if (!variables.equals(lastStageVariables)) {
      lastEffective = settings.withStageVariables(variables);
      lastStageVariables = variables;
    }
    return lastEffective;
  }

  /**
   * The decision for {@code check} under {@code effective}'s fail mode. The reason is shown to clients in the
   * ACCESS_DENIED body, which API Gateway fills in without escaping: it never holds a quote or a backslash.
   */
  private static Decision decision(RevocationCheck check, String reason, ClientCertificate client,
      AuthorizerSettings effective) {
    boolean allowed = check.allows(effective.failOpen());
    String why = (allowed && check.failsOpen() ? reason + "; allowed because the fail mode is OPEN" : reason)
        .replace('"', '\'').replace("\\", "/").replaceAll("\\p{Cntrl}", " ");
    return client == null
        ? new Decision(check, allowed, why, null, null, null)
        : new Decision(check, allowed, why, client.subjectName(), client.issuerName(), client.serialHex());
  }

  /** {@code arn:aws:execute-api:region:account:apiId/stage/*} from the methodArn, or {@code *} without one. */
  static String stageResource(JsonObject event) {
    Object methodArn = event.get("methodArn");
    if (!(methodArn instanceof String arn)) {
      return "*";
    }
    int apiSlash = arn.indexOf('/');
    int stageSlash = apiSlash < 0 ? -1 : arn.indexOf('/', apiSlash + 1);
    return stageSlash < 0 ? arn : arn.substring(0, stageSlash) + "/*";
  }

  private static String requestId(JsonObject event) {
    Object id = path(event, "requestContext", "requestId");
    return id instanceof String text ? text : null;
  }

  private static Object path(JsonObject object, String... names) {
    Object node = object;
    for (String name : names) {
      if (!(node instanceof JsonObject current)) {
        return null;
      }
      node = current.get(name);
    }
    return node;
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
