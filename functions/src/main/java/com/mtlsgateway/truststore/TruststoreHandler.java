package com.mtlsgateway.truststore;

import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.aws.S3Staging;
import com.mtlsgateway.crypto.CryptoProviders;
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
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backs {@code Custom::Truststore}: reads a PEM bundle of client-certificate CAs (from S3 or inline), validates it
 * against API Gateway's truststore rules, and stages it as a version of {@code s3://StagingBucket/StagingKey} for
 * the domain's {@code MutualTlsAuthentication} ({@code TruststoreUri} and {@code TruststoreVersion}).
 *
 * <ul>
 *   <li>Create and Update: read, validate, fail with the findings unless valid; else stage (reusing the current
 *       version when it holds the same bytes) and return the Data below. The PhysicalResourceId is
 *       {@code s3://StagingBucket/StagingKey}, so changing the bucket or key is a replacement.
 *   <li>Delete: removes nothing. The staging bucket is retained and its versions are the audit trail; a
 *       replaced staging object stays where it was.
 * </ul>
 *
 * <p>Data: {@code TruststoreUri}, {@code TruststoreVersion} (the S3 VersionId), {@code CertificateCount},
 * {@code Sha256} (of the bundle), {@code EarliestExpiry} (ISO-8601 UTC), {@code Findings} (summary; the full list
 * is logged as one JSON line, never the bundle, with {@code signatures}: the security provider that verified them).
 */
public final class TruststoreHandler extends CustomResourceHandler<TruststoreProperties> {

  private final TruststoreStager stager;
  private final TruststoreValidator validator;

  /** For the Lambda runtime: the shared S3 client, the HTTP response sender and the system clock. */
  public TruststoreHandler() {
    this(AwsClients.s3(), new HttpResponseSender(), Clock.systemUTC());
  }

  /** For tests and in-process use ({@code bin/mtls invoke}): explicit client, response sender and clock. */
  public TruststoreHandler(S3Client s3, ResponseSender sender, Clock clock) {
    super(sender, clock);
    this.stager = new TruststoreStager(s3);
    this.validator = new TruststoreValidator(clock);
  }

  @Override
  protected TruststoreProperties parse(ResourceProperties properties) {
    return TruststoreProperties.from(properties);
  }

  @Override
  protected Outcome create(TruststoreProperties properties, CustomResourceRequest request, Deadline deadline) {
    return validateAndStage(properties, request);
  }

  @Override
  protected Outcome update(TruststoreProperties properties, TruststoreProperties oldProperties,
      CustomResourceRequest request, Deadline deadline) {
    return validateAndStage(properties, request);
  }

  @Override
  protected Outcome delete(TruststoreProperties properties, CustomResourceRequest request, Deadline deadline) {
    return Outcome.sameId(Map.of());
  }

  private Outcome validateAndStage(TruststoreProperties properties, CustomResourceRequest request) {
    byte[] bundle;
    ValidationReport report;
    if (properties.sourceUri() == null) {
      bundle = properties.pemBytes();
      report = validator.validate(bundle);
    } else {
      S3Staging.Download download = stager.read(TruststoreProperties.SOURCE_URI, properties.sourceUri());
      bundle = download.bytes();
      report = download.tooLarge(TruststoreValidator.MAX_BYTES) ? tooLarge(download) : validator.validate(bundle);
    }
    boolean valid = report.valid(properties.acceptWarnings());
    logValidation(request, properties, report, valid);
    if (!valid) {
      throw new CustomResourceException(
          FindingsReason.of(properties.sourceName(), report, properties.acceptWarnings()));
    }
    S3Location staging = properties.staging();
    S3Staging.Staged staged = stager.stage(staging, bundle, report.sha256());
    logStaged(request, staging, staged);

    Map<String, String> data = new LinkedHashMap<>();
    data.put("TruststoreUri", staging.uri());
    data.put("TruststoreVersion", staged.versionId());
    data.put("CertificateCount", Integer.toString(report.certificateCount()));
    data.put("Sha256", report.sha256());
    data.put("EarliestExpiry",
        report.earliestExpiry().map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(""));
    data.put("Findings", report.summary());
    return Outcome.of(staging.uri(), data);
  }

  /**
   * The report for an object over the quota, of which only the first {@code MAX_BYTES + 1} bytes were read: the
   * validator would report the size of that prefix, and findings on a prefix cut mid-certificate would mislead.
   */
  private static ValidationReport tooLarge(S3Staging.Download download) {
    return new ValidationReport(0, "", Optional.empty(), List.of(new Finding(FindingCode.TOO_LARGE,
        FindingCode.TOO_LARGE.severity(), null, String.format(Locale.ROOT, "The object is %,d bytes; API Gateway's "
            + "truststore quota is 1 MB (taken as %,d bytes) and cannot be raised: remove CAs you do not need and "
            + "the text between blocks. It was read only up to the quota: check the rest with `bin/mtls truststore "
            + "validate`.", download.size(),
            TruststoreValidator.MAX_BYTES))));
  }

  /** One line with every finding; certificate subjects and fingerprints are public, the bundle is never logged. */
  private static void logValidation(CustomResourceRequest request, TruststoreProperties properties,
      ValidationReport report, boolean valid) {
    JsonObject line = Json.line("truststore.validated", request);
    line.put("source", properties.sourceName());
    line.put("valid", valid);
    line.put("acceptWarnings", properties.acceptWarnings());
    line.put("certificateCount", report.certificateCount());
    line.put("sha256", report.sha256());
    line.put("earliestExpiry", report.earliestExpiry().map(Object::toString).orElse(null));
    line.put("summary", report.summary());
    line.put("signatures", CryptoProviders.current().description());
    FindingsJson.put(line, report.findings());
    Json.log(line);
  }

  private static void logStaged(CustomResourceRequest request, S3Location staging, S3Staging.Staged staged) {
    JsonObject line = Json.line("truststore.staged", request);
    line.put("truststoreUri", staging.uri());
    line.put("truststoreVersion", staged.versionId());
    line.put("reused", staged.reused());
    Json.log(line);
  }
}
