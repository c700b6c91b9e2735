package com.mtlsgateway.revocation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.aws.S3Staging;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scheduled refresh of the revocation index: re-reads the CRL sources, runs the same checks as {@code
 * Custom::RevocationList}, and stages a new index version when anything changed. The authorizer picks it up within
 * its refresh interval.
 *
 * <p>Configuration (environment, set by the template): {@code TRUSTSTORE_URI} ({@code s3://bucket/key?versionId=V},
 * the staged truststore), {@code REVOCATION_LIST_URIS} (comma-separated), {@code REVOCATION_INDEX_URI}
 * ({@code s3://bucket/key}), {@link Metrics#STACK_NAME}.
 *
 * <p>After every run, refreshed or not, it publishes the hours left to the earliest nextUpdate among the CRLs of the
 * index the authorizer now decides on (the one it staged or reused, else the last good one it kept) as the metric
 * {@value #METRIC}, which the stack's alarm compares with its threshold: a refresh that keeps failing shows there
 * before the CRLs go stale. A metric that cannot be published fails the invocation too (logged as
 * {@code revocation.metric.failed}); when the refresh failed as well, that failure is the one thrown.
 *
 * <p>A refresh that fails leaves the last good index in place: it logs {@code revocation.refresh.failed} with the
 * reason and ends in an error, which Lambda counts in its {@code Errors} metric (the stack's alarm watches it). The
 * authorizer keeps deciding on the last good index until a CRL in it is past nextUpdate plus the grace period.
 */
public final class RevocationRefreshHandler implements RequestStreamHandler {

  /** The environment variables it reads, besides {@link AuthorizerSettings#INDEX_URI}. */
  public static final String TRUSTSTORE_URI = "TRUSTSTORE_URI";
  public static final String REVOCATION_LIST_URIS = "REVOCATION_LIST_URIS";
  /** Hours (with the fraction) to the earliest nextUpdate among the index's CRLs; negative once passed. */
  public static final String METRIC = "RevocationHoursToEarliestNextUpdate";

  private final RevocationIndexer indexer;
  private final CloudWatchClient cloudWatch;
  private final Clock clock;
  private final Map<String, String> environment;

  /** For the Lambda runtime. */
  public RevocationRefreshHandler() {
    this(AwsClients.cloudWatch(), System.getenv());
  }

  /** For tests and {@code bin/mtls invoke}: explicit clients, clock and environment. */
  public RevocationRefreshHandler(S3Client s3, HttpClient http, CloudWatchClient cloudWatch, Clock clock,
      Map<String, String> environment) {
    this.indexer = new RevocationIndexer(s3, http, clock);
    this.cloudWatch = cloudWatch;
    this.clock = clock;
    this.environment = Map.copyOf(environment);
  }

  /**
   * The Lambda runtime's S3 and HTTP clients and clock, with the given CloudWatch client and settings (for {@code
   * bin/mtls invoke}).
   */
  public RevocationRefreshHandler(CloudWatchClient cloudWatch, Map<String, String> environment) {
    this(AwsClients.s3(), CrlFetcher.defaultHttpClient(), cloudWatch, Clock.systemUTC(), environment);
  }

  /**
   * Handles one scheduled event (its content is not used).
   *
   * @throws RefreshFailedException when the index could not be refreshed; the message says why and what to fix
   * @throws Metrics.MetricException when the refresh succeeded but {@value #METRIC} could not be published
   */
  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    in.readAllBytes();
    Refreshed refreshed;
    try {
      refreshed = refresh(Duration.ofMillis(context.getRemainingTimeInMillis()).minusSeconds(5));
    } catch (RuntimeException e) {
      String reason = e.getMessage();
      Json.log(Json.object().put("event", "revocation.refresh.failed").put("awsRequestId",
          context.getAwsRequestId()).put("reason", reason).put("kept", "the last good index stays in place"));
      RefreshFailedException failure = e instanceof RefreshFailedException failed ? failed
          : new RefreshFailedException(reason, e);
      publishHoursLeft(null, context).ifPresent(failure::addSuppressed);
      throw failure;
    }
    Optional<RuntimeException> metricFailure = publishHoursLeft(refreshed, context);
    JsonObject result = refreshed.result().put("awsRequestId", context.getAwsRequestId());
    Json.log(result);
    out.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    if (metricFailure.isPresent()) {
      throw metricFailure.get();
    }
  }

  /**
   * Publishes {@value #METRIC} for the index {@code refreshed} staged or reused, or, when null (the refresh failed),
   * for the one kept; adds it to the result. Nothing is published when no CRL of the index has a nextUpdate.
   *
   * @return why it could not be published (already logged), or empty
   */
  private Optional<RuntimeException> publishHoursLeft(Refreshed refreshed, Context context) {
    try {
      Metrics metrics = new Metrics(cloudWatch, environment);
      Optional<Instant> nextUpdate = refreshed != null ? refreshed.earliestNextUpdate()
          : indexer.earliestNextUpdate(location(AuthorizerSettings.INDEX_URI));
      if (nextUpdate.isPresent()) {
        Instant now = clock.instant();
        double hours = Metrics.hoursBetween(now, nextUpdate.get());
        metrics.publish(METRIC, hours, now);
        if (refreshed != null) {
          refreshed.result().put("hoursToEarliestNextUpdate", Math.round(hours * 100) / 100.0);
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      Json.log(Json.object().put("event", "revocation.metric.failed").put("awsRequestId", context.getAwsRequestId())
          .put("metric", Metrics.NAMESPACE + "/" + METRIC).put("index", refreshed != null ? "refreshed" : "kept")
          .put("reason", e.getMessage()));
      return Optional.of(e);
    }
  }

  /** A staged (or reused) index: the result to log and return, and the earliest nextUpdate of its CRLs. */
  private record Refreshed(JsonObject result, Optional<Instant> earliestNextUpdate) {}

  private Refreshed refresh(Duration budget) {
    S3Location truststore = location(TRUSTSTORE_URI);
    S3Location index = location(AuthorizerSettings.INDEX_URI);
    List<CrlLocation> locations;
    try {
      locations = CrlLocation.parseList(CrlLocation.split(setting(REVOCATION_LIST_URIS)));
    } catch (IllegalArgumentException e) {
      throw new RefreshFailedException(REVOCATION_LIST_URIS + " " + e.getMessage());
    }
    RevocationIndexer.Checked checked = indexer.check(truststore, locations,
        budget.isNegative() ? Duration.ofSeconds(1) : budget);
    CrlReport report = checked.report();
    if (!report.valid()) {
      JsonObject line = Json.object().put("event", "revocation.refresh.refused").put("summary", report.summary());
      CrlFindings.put(line, report.findings());
      Json.log(line);
      throw new RefreshFailedException(CrlFindings.reason(report));
    }
    S3Staging.Staged staged = indexer.stage(index, checked);
    JsonObject result = Json.object().put("event", "revocation.refreshed").put("indexUri", index.uri())
        .put("indexVersion", staged.versionId()).put("reused", staged.reused())
        .put("revokedCount", report.revokedCount())
        .put("earliestNextUpdate", report.earliestNextUpdate().map(t -> t.truncatedTo(ChronoUnit.SECONDS)
            .toString()).orElse(null))
        .put("summary", report.summary());
    CrlFindings.put(result, report.findings());
    return new Refreshed(result, report.earliestNextUpdate());
  }

  private String setting(String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      throw new RefreshFailedException("the environment variable " + name + " is not set: the template sets it; "
          + "for a local run, set it as the template does");
    }
    return value;
  }

  private S3Location location(String name) {
    try {
      return S3Location.parse(setting(name));
    } catch (IllegalArgumentException e) {
      throw new RefreshFailedException("the environment variable " + name + " " + e.getMessage());
    }
  }

  /** The refresh did not stage an index; the last good one stays. */
  public static final class RefreshFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefreshFailedException(String message) {
      super(message);
    }

    RefreshFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
