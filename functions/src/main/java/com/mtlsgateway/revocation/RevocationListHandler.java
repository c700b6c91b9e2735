package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.S3Staging;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.Deadline;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.customresource.Outcome;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.customresource.ResponseSender;
import com.mtlsgateway.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backs {@code Custom::RevocationList}: reads the CRLs of {@code RevocationListUris}, checks them against the staged
 * truststore ({@link CrlChecker}), and stages the revocation index as a version of {@code s3://IndexBucket/IndexKey},
 * which the authorizer reads.
 *
 * <ul>
 *   <li>Create and Update: read, check, fail with the ERROR findings; else stage (reusing the current version when
 *       it holds the same bytes). The PhysicalResourceId is {@code s3://IndexBucket/IndexKey}.
 *   <li>Delete: removes nothing; the versions are the record, as for the truststore.
 * </ul>
 *
 * <p>Data: {@code IndexUri}, {@code IndexVersion}, {@code RevokedCount}, {@code EarliestNextUpdate} (ISO-8601 UTC,
 * empty without CRLs), {@code Findings} (summary; the full list is logged as one JSON line).
 */
public final class RevocationListHandler extends CustomResourceHandler<RevocationListProperties> {

  private final RevocationIndexer indexer;

  /** For the Lambda runtime: the shared S3 client, the JDK's HTTP client, the system clock. */
  public RevocationListHandler() {
    this(AwsClients.s3(), CrlFetcher.defaultHttpClient(), new HttpResponseSender(), Clock.systemUTC());
  }

  /** For tests and {@code bin/mtls invoke}. */
  public RevocationListHandler(S3Client s3, HttpClient http, ResponseSender sender, Clock clock) {
    super(sender, clock);
    this.indexer = new RevocationIndexer(s3, http, clock);
  }

  @Override
  protected RevocationListProperties parse(ResourceProperties properties) {
    return RevocationListProperties.from(properties);
  }

  @Override
  protected Outcome create(RevocationListProperties properties, CustomResourceRequest request, Deadline deadline) {
    return checkAndStage(properties, request, deadline);
  }

  @Override
  protected Outcome update(RevocationListProperties properties, RevocationListProperties oldProperties,
      CustomResourceRequest request, Deadline deadline) {
    return checkAndStage(properties, request, deadline);
  }

  @Override
  protected Outcome delete(RevocationListProperties properties, CustomResourceRequest request, Deadline deadline) {
    return Outcome.sameId(Map.of());
  }

  private Outcome checkAndStage(RevocationListProperties properties, CustomResourceRequest request,
      Deadline deadline) {
    Duration timeout = deadline.remaining().minusSeconds(5);
    RevocationIndexer.Checked checked = indexer.check(properties.truststore(), properties.locations(),
        timeout.isNegative() ? Duration.ofSeconds(1) : timeout);
    CrlReport report = checked.report();
    JsonObject line = Json.line("revocation.checked", request);
    line.put("truststore", properties.truststore().toString());
    line.put("valid", report.valid());
    line.put("summary", report.summary());
    CrlFindings.put(line, report.findings());
    Json.log(line);
    if (!report.valid()) {
      throw new CustomResourceException(CrlFindings.reason(report));
    }
    S3Staging.Staged staged = indexer.stage(properties.index(), checked);
    Json.log(Json.line("revocation.staged", request).put("indexUri", properties.index().uri())
        .put("indexVersion", staged.versionId()).put("reused", staged.reused()).put("sha256", checked.sha256())
        .put("bytes", checked.index().length));

    Map<String, String> data = new LinkedHashMap<>();
    data.put("IndexUri", properties.index().uri());
    data.put("IndexVersion", staged.versionId());
    data.put("RevokedCount", Long.toString(report.revokedCount()));
    data.put("EarliestNextUpdate",
        report.earliestNextUpdate().map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(""));
    data.put("Findings", report.summary());
    return Outcome.of(properties.index().uri(), data);
  }
}
