package com.mtlsgateway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AwsErrorsTest {

  @Test
  void serviceErrorGivesCodeStatusMessageFixAndRequestId() {
    S3Exception e = (S3Exception) S3Exception.builder()
        .statusCode(403)
        .requestId("4442587FB7D0A2F9")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build())
        .build();

    assertThat(AwsErrors.describe("S3 GetObject s3://b/k", e)).isEqualTo("S3 GetObject s3://b/k: AccessDenied (403): "
        + "Access Denied; the function's role, the bucket policy or a KMS key policy does not allow it: grant this "
        + "action on this exact resource (request id 4442587FB7D0A2F9)");
  }

  @Test
  void aMessageEndingInAFullStopIsFollowedCleanlyByTheFix() {
    S3Exception e = (S3Exception) S3Exception.builder().statusCode(404)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchBucket")
            .errorMessage("The specified bucket does not exist.").build())
        .build();

    assertThat(AwsErrors.describe("S3 GetObject s3://b/k", e)).isEqualTo("S3 GetObject s3://b/k: NoSuchBucket (404): "
        + "The specified bucket does not exist; the bucket does not exist: check its name (and that it was not"
        + " deleted)");
  }

  @Test
  void answerWithoutAnErrorBodyIsNamedByTheSdksExceptionClass() {
    NoSuchKeyException e = NoSuchKeyException.builder().statusCode(404).build();

    assertThat(AwsErrors.describe("S3 HeadObject s3://b/k", e))
        .isEqualTo("S3 HeadObject s3://b/k: NoSuchKey (404); the object does not exist: check the key");
  }

  @Test
  void unnamedServiceErrorFallsBackOnTheStatus() {
    S3Exception e = (S3Exception) S3Exception.builder().statusCode(404).build();

    assertThat(AwsErrors.describe("S3 HeadObject s3://b/k", e))
        .isEqualTo("S3 HeadObject s3://b/k: HTTP 404; not found: check the name");
  }

  @Test
  void serverErrorSuggestsARetry() {
    S3Exception e = (S3Exception) S3Exception.builder().statusCode(500)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").build()).build();

    assertThat(AwsErrors.describe("S3 PutObject s3://b/k", e)).endsWith("InternalError (500); a service-side error: "
        + "retry the deployment");
  }

  @Test
  void clientErrorSaysTheServiceWasNotReached() {
    SdkClientException e = SdkClientException.create("Unable to execute HTTP request: Connection refused");

    assertThat(AwsErrors.describe("S3 GetBucketVersioning b", e)).isEqualTo("S3 GetBucketVersioning b: no answer "
        + "from the service (Unable to execute HTTP request: Connection refused); check the network, the Region and "
        + "the credentials, then retry");
  }

  @Test
  void otherExceptionsAreNamed() {
    assertThat(AwsErrors.describe("S3 GetObject s3://b/k", new IOException("stream closed")))
        .isEqualTo("S3 GetObject s3://b/k: IOException: stream closed");
  }

  /** API Gateway's Retry-After (seconds) on throttling; anything else asks for no minimum wait. */
  @Test
  void retryAfterReadsApiGatewaysThrottlingHint() {
    assertThat(AwsErrors.retryAfter(TooManyRequestsException.builder().retryAfterSeconds(" 3 ").build()))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(AwsErrors.retryAfter(TooManyRequestsException.builder().retryAfterSeconds("soon").build()))
        .isZero();
    assertThat(AwsErrors.retryAfter(TooManyRequestsException.builder().retryAfterSeconds("-1").build())).isZero();
    assertThat(AwsErrors.retryAfter(TooManyRequestsException.builder().build())).isZero();
    assertThat(AwsErrors.retryAfter(new IOException("x"))).isZero();
  }
}
