package com.mtlsgateway.revocation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.aws.AwsClients;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scheduled refresh of the revocation index: re-reads the CRL sources, runs the same checks as {@code
 * Custom::RevocationList}, and stages a new index version when anything changed. The authorizer picks it up within
 * its refresh interval.
 *
 * <p>Configuration (environment, set by the template): {@code TRUSTSTORE_URI} ({@code s3://bucket/key?versionId=V},
 * the staged truststore), {@code REVOCATION_LIST_URIS} (comma-separated), {@code REVOCATION_INDEX_URI}
 * ({@code s3://bucket/key}).
 *
 * <p>A refresh that fails leaves the last good index in place: it logs {@code revocation.refresh.failed} with the
 * reason and ends in an error, which Lambda counts in its {@code Errors} metric (the stack's alarm watches it). The
 * authorizer keeps deciding on the last good index until a CRL in it is past nextUpdate plus the grace period.
 */
public final class RevocationRefreshHandler implements RequestStreamHandler {

  /** The environment variables it reads, besides {@link AuthorizerSettings#INDEX_URI}. */
  public static final String TRUSTSTORE_URI = "TRUSTSTORE_URI";
  public static final String REVOCATION_LIST_URIS = "REVOCATION_LIST_URIS";

  private final RevocationIndexer indexer;
  private final Map<String, String> environment;

  /** For the Lambda runtime. */
  public RevocationRefreshHandler() {
    this(System.getenv());
  }

  /** The Lambda runtime's clients and clock with explicit settings (for {@code bin/mtls invoke --prepare}). */
  public RevocationRefreshHandler(Map<String, String> environment) {
    this(AwsClients.s3(), CrlFetcher.defaultHttpClient(), Clock.systemUTC(), environment);
  }

  /** For tests and {@code bin/mtls invoke}: explicit clients, clock and environment. */
  public RevocationRefreshHandler(S3Client s3, HttpClient http, Clock clock, Map<String, String> environment) {
    this.indexer = new RevocationIndexer(s3, http, clock);
    this.environment = Map.copyOf(environment);
  }

  /**
   * Handles one scheduled event (its content is not used).
   *
   * @throws RefreshFailedException when the index could not be refreshed; the message says why and what to fix
   */
  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    in.readAllBytes();
    JsonObject result;
    try {
      result = refresh(Duration.ofMillis(context.getRemainingTimeInMillis()).minusSeconds(5));
    } catch (RuntimeException e) {
      String reason = e.getMessage();
      Json.log(Json.object().put("event", "revocation.refresh.failed").put("awsRequestId",
          context.getAwsRequestId()).put("reason", reason).put("kept", "the last good index stays in place"));
      throw e instanceof RefreshFailedException failed ? failed : new RefreshFailedException(reason, e);
    }
    Json.log(result.put("awsRequestId", context.getAwsRequestId()));
    out.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
  }

  private JsonObject refresh(Duration budget) {
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
    return result;
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
