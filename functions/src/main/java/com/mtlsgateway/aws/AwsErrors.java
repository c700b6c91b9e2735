package com.mtlsgateway.aws;

import com.mtlsgateway.text.Reasons;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

/**
 * Turns an SDK exception into one readable sentence for a FAILED Reason: the operation, the service's error code
 * and HTTP status, its message, a fix for the common codes, and the AWS request id (what AWS Support asks for).
 * Users see only this sentence in the stack events, so it must stand alone.
 */
public final class AwsErrors {
  private static final String ACCESS = "the function's role, the bucket policy or a KMS key policy does not allow "
      + "it: grant this action on this exact resource";
  private static final String CREDENTIALS = "the credentials are invalid or expired";
  private static final String REGION = "the bucket is in another Region than the function (AWS_REGION)";

  /** Fixes by error code; codes from the S3 API Reference, "Error responses", and the SDK's common errors. */
  private static final Map<String, String> FIXES = Map.ofEntries(
      Map.entry("AccessDenied", ACCESS),
      Map.entry("AllAccessDisabled", ACCESS),
      Map.entry("NoSuchBucket", "the bucket does not exist: check its name (and that it was not deleted)"),
      Map.entry("NoSuchKey", "the object does not exist: check the key"),
      Map.entry("NoSuchVersion", "the object has no such version: check the versionId"),
      Map.entry("PermanentRedirect", REGION),
      Map.entry("AuthorizationHeaderMalformed", REGION),
      Map.entry("IllegalLocationConstraintException", REGION),
      Map.entry("InvalidAccessKeyId", CREDENTIALS),
      Map.entry("SignatureDoesNotMatch", CREDENTIALS),
      Map.entry("ExpiredToken", CREDENTIALS),
      Map.entry("InvalidToken", CREDENTIALS),
      Map.entry("RequestTimeTooSkewed", "the clock of the machine running the function is wrong"));

  private AwsErrors() {}

  /**
   * @param operation what was attempted, e.g. {@code "S3 GetObject s3://bucket/key"}
   * @param e         the exception the SDK threw
   * @return e.g. {@code "S3 GetObject s3://b/k: AccessDenied (403): Access Denied; the function's role ... (request
   *     id 4442587FB7D0A2F9)"}
   */
  public static String describe(String operation, Exception e) {
    if (e instanceof AwsServiceException service) {
      return operation + ": " + describeService(service);
    }
    if (e instanceof SdkClientException) {
      return operation + ": no answer from the service (" + e.getMessage() + "); check the network, the Region and "
          + "the credentials, then retry";
    }
    return operation + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * The Retry-After API Gateway sent with a throttling error (TooManyRequestsException's retryAfterSeconds), else
   * zero; a {@code Backoff} bounds it by its cap.
   */
  public static Duration retryAfter(Exception e) {
    if (e instanceof TooManyRequestsException throttled && throttled.retryAfterSeconds() != null) {
      try {
        long seconds = Long.parseLong(throttled.retryAfterSeconds().trim());
        return seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
      } catch (NumberFormatException ignored) {
        return Duration.ZERO;
      }
    }
    return Duration.ZERO;
  }

  private static String describeService(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null || details.errorCode() == null || details.errorCode().isBlank()
        ? modeledName(e) : details.errorCode();
    StringBuilder text = new StringBuilder();
    text.append(code == null ? "HTTP " + e.statusCode() : code + " (" + e.statusCode() + ")");
    if (details != null && details.errorMessage() != null && !details.errorMessage().isBlank()) {
      text.append(": ").append(Reasons.clause(details.errorMessage())); // "; fix" follows: no ".;"
    }
    fix(code, e).ifPresent(fix -> text.append("; ").append(fix));
    if (e.requestId() != null) {
      text.append(" (request id ").append(e.requestId()).append(')');
    }
    return text.toString();
  }

  /**
   * The error named by the exception class, for answers without an error body (HEAD requests): the SDK maps them to
   * modelled subclasses such as NoSuchKeyException. Null for a service's base exception, which names nothing.
   */
  private static String modeledName(AwsServiceException e) {
    if (e.getClass() == AwsServiceException.class || e.getClass().getSuperclass() == AwsServiceException.class) {
      return null;
    }
    String name = e.getClass().getSimpleName();
    return name.endsWith("Exception") ? name.substring(0, name.length() - "Exception".length()) : name;
  }

  private static Optional<String> fix(String code, AwsServiceException e) {
    if (code != null && FIXES.containsKey(code)) {
      return Optional.of(FIXES.get(code));
    }
    if (e.isThrottlingException()) {
      return Optional.of("the service is throttling requests: retry the deployment later");
    }
    return switch (e.statusCode()) {
      case 403 -> Optional.of(ACCESS);
      case 404 -> Optional.of("not found: check the name");
      case 500, 502, 503, 504 -> Optional.of("a service-side error: retry the deployment");
      default -> Optional.empty();
    };
  }
}
