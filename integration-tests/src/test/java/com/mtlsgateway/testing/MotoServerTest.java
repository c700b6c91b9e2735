package com.mtlsgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The moto server extension itself: started once, reached through the SDK's own endpoint settings. */
@ExtendWith(MotoServer.class)
class MotoServerTest {

  private final MotoServer.Running moto;

  MotoServerTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void reset() {
    moto.reset();
  }

  @Test
  void setsTheSdkEndpointSettingsToTheServer() {
    assertThat(moto.endpoint().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(System.getProperty("aws.endpointUrl")).isEqualTo(moto.endpoint().toString());
    assertThat(System.getProperty("aws.region")).isEqualTo(MotoServer.REGION);
  }

  @Test
  void anSdkClientWithNoExplicitEndpointReachesIt() {
    try (S3Client s3 = S3Client.create()) {
      s3.createBucket(b -> b.bucket("smoke"));
      s3.putObject(b -> b.bucket("smoke").key("k"), RequestBody.fromString("hello", StandardCharsets.UTF_8));

      assertThat(s3.getObjectAsBytes(b -> b.bucket("smoke").key("k")).asUtf8String()).isEqualTo("hello");
    }
  }

  @Test
  void isSharedByEveryTestClassOfTheJvm(MotoServer.Running again) {
    assertThat(again).isSameAs(moto);
  }

  @Test
  void resetForgetsEverything() {
    try (S3Client s3 = moto.s3()) {
      s3.createBucket(b -> b.bucket("forgotten"));
      moto.reset();

      assertThat(s3.listBuckets().buckets()).isEmpty();
    }
  }

  @Test
  void enforcesIamPoliciesOfUsersItKnowsWhenAsked() {
    try (S3Client admin = moto.s3()) {
      admin.createBucket(b -> b.bucket("guarded"));
      admin.putObject(b -> b.bucket("guarded").key("k"), RequestBody.fromString("x", StandardCharsets.UTF_8));
    }
    AwsBasicCredentials reader = moto.createIamUser("reader", """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:GetBucketVersioning", "Resource": "arn:aws:s3:::guarded"}]}""");

    try (S3Client s3 = moto.s3(reader)) {
      moto.withIamEnforced(() -> {
        assertThat(s3.getBucketVersioning(b -> b.bucket("guarded")).status()).isNull();
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("guarded").key("k")))
            .isInstanceOfSatisfying(S3Exception.class, e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
      });
    }
    try (S3Client admin = moto.s3()) {
      assertThat(admin.getObjectAsBytes(b -> b.bucket("guarded").key("k")).asUtf8String()).isEqualTo("x");
    }
  }

  @Test
  void theInstallHintIsExact() {
    assertThat(MotoServer.NOT_FOUND).isEqualTo("moto server not found: install it with `pip install \"moto[server]\"`");
  }
}
