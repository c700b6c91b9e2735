package com.mtlsgateway.truststore;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.aws.S3Staging;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.revocation.CrlChecker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The daily truststore expiry check: reads the truststore version the stack staged (the one API Gateway uses), finds
 * the certificate that expires first, logs it and publishes the days left as the metric {@value #METRIC}
 * ({@link Metrics}), which the stack's alarm compares with its threshold. API Gateway itself never warns: once a CA of
 * the truststore has expired, the clients it issued are refused in the TLS handshake.
 *
 * <p>Configuration (environment, set by the template): {@code TRUSTSTORE_URI} ({@code s3://bucket/key?versionId=V},
 * the staged truststore) and {@link Metrics#STACK_NAME}.
 *
 * <p>A truststore that cannot be read, or holds no certificate, fails the invocation (Lambda's {@code Errors} metric)
 * with a message naming the object and the fix; no value is published then, since any would mislead the alarm.
 *
 * <p>Permissions used: s3:GetObjectVersion on the truststore object; cloudwatch:PutMetricData.
 */
public final class TruststoreExpiryHandler implements RequestStreamHandler {

  /** The environment variable naming the staged truststore version. */
  public static final String TRUSTSTORE_URI = "TRUSTSTORE_URI";
  /** Days (with the fraction) to the earliest notAfter of the truststore's certificates; negative once passed. */
  public static final String METRIC = "TruststoreDaysToEarliestExpiry";

  private final S3Staging reader;
  private final CloudWatchClient cloudWatch;
  private final Clock clock;
  private final Map<String, String> environment;

  /** For the Lambda runtime. */
  public TruststoreExpiryHandler() {
    this(AwsClients.s3(), AwsClients.cloudWatch(), Clock.systemUTC(), System.getenv());
  }

  /** For tests and {@code bin/mtls invoke}: explicit clients, clock and environment. */
  public TruststoreExpiryHandler(S3Client s3, CloudWatchClient cloudWatch, Clock clock,
      Map<String, String> environment) {
    // Only read through it: the staging settings name what it would write, which it never does.
    this.reader = new S3Staging(s3, "TruststoreBucket", TRUSTSTORE_URI, TruststoreStager.CONTENT_TYPE,
        "the stack's truststore versions are API Gateway's");
    this.cloudWatch = cloudWatch;
    this.clock = clock;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Handles one scheduled event (its content is not used); writes the result that it logs.
   *
   * @throws CheckFailedException when the truststore cannot be read or holds no certificate, or the metric cannot be
   *     published; the message names what and the fix
   */
  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    in.readAllBytes();
    JsonObject result;
    try {
      result = check();
    } catch (RuntimeException e) {
      Json.log(Json.object().put("event", "truststore.expiry.failed").put("awsRequestId", context.getAwsRequestId())
          .put("reason", e.getMessage()));
      throw e instanceof CheckFailedException failed ? failed : new CheckFailedException(e.getMessage(), e);
    }
    Json.log(result.put("awsRequestId", context.getAwsRequestId()));
    out.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
  }

  private JsonObject check() {
    Metrics metrics = new Metrics(cloudWatch, environment);
    S3Location truststore = truststore();
    Instant now = clock.instant();
    TruststoreExpiry expiry = TruststoreExpiry.of(read(truststore), now);
    metrics.publish(METRIC, expiry.daysLeft(), now);
    return Json.object().put("event", "truststore.expiry.checked").put("truststoreUri", truststore.toString())
        .put("certificates", expiry.certificates()).put("earliestSubject", expiry.subject())
        .put("earliestNotAfter", expiry.notAfter().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("daysLeft", Double.parseDouble(String.format(Locale.ROOT, "%.2f", expiry.daysLeft())))
        .put("metric", Metrics.NAMESPACE + "/" + METRIC).put(Metrics.DIMENSION, metrics.stackName());
  }

  private S3Location truststore() {
    String value = environment.get(TRUSTSTORE_URI);
    if (value == null || value.isBlank()) {
      throw new CheckFailedException("the environment variable " + TRUSTSTORE_URI + " is not set: the template sets"
          + " it to the staged truststore (s3://BUCKET/truststore.pem?versionId=VERSION); for a local run, set it as"
          + " the template does", null);
    }
    try {
      return S3Location.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CheckFailedException("the environment variable " + TRUSTSTORE_URI + " " + e.getMessage(), e);
    }
  }

  private List<X509Certificate> read(S3Location truststore) {
    String fix = "; the check reads the truststore version the stack staged and API Gateway uses: update the stack"
        + " so that Custom::Truststore stages it again (and keep that object version: the domain pins it)";
    byte[] bundle;
    try {
      S3Staging.Download download = reader.read(TRUSTSTORE_URI, truststore, TruststoreValidator.MAX_BYTES, "");
      if (download.tooLarge(TruststoreValidator.MAX_BYTES)) {
        throw new CheckFailedException(TRUSTSTORE_URI + " " + truststore + " is " + download.size() + " bytes, over"
            + " API Gateway's truststore limit of " + TruststoreValidator.MAX_BYTES + ", so it is not the bundle the"
            + " stack staged" + fix, null);
      }
      bundle = download.bytes();
    } catch (CustomResourceException e) {
      throw new CheckFailedException(e.getMessage() + fix, e);
    }
    try {
      return CrlChecker.truststore(bundle);
    } catch (CertificateException e) {
      throw new CheckFailedException(TRUSTSTORE_URI + " " + truststore + " does not read as a PEM bundle of"
          + " certificates (" + e.getMessage() + ")" + fix, e);
    }
  }

  /** The check published nothing; the message says why and what to fix. */
  public static final class CheckFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
