package com.mtlsgateway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {

  @Test
  void parsesBucketAndKey() {
    S3Location location = S3Location.parse("s3://my-bucket/certs/ca bundle.pem");

    assertThat(location).isEqualTo(new S3Location("my-bucket", "certs/ca bundle.pem", null));
    assertThat(location.uri()).isEqualTo("s3://my-bucket/certs/ca bundle.pem");
    assertThat(location).hasToString("s3://my-bucket/certs/ca bundle.pem");
  }

  @Test
  void parsesVersionIdTakenAsWritten() {
    S3Location location = S3Location.parse("s3://my-bucket/ca.pem?versionId=3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRC=");

    assertThat(location.versionId()).isEqualTo("3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRC=");
    assertThat(location.uri()).isEqualTo("s3://my-bucket/ca.pem");
    assertThat(location).hasToString("s3://my-bucket/ca.pem?versionId=3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRC=");
  }

  @Test
  void decodesPercentEscapesInVersionId() {
    assertThat(S3Location.parse("s3://my-bucket/ca.pem?versionId=a%2Bb%2Fc").versionId()).isEqualTo("a+b/c");
  }

  @Test
  void keepsKeyLiteral() {
    assertThat(S3Location.parse("s3://my-bucket/a%20b+c.pem").key()).isEqualTo("a%20b+c.pem");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                   | is empty",
      "https://my-bucket/ca.pem              | does not start with s3://",
      "S3://my-bucket/ca.pem                 | does not start with s3://",
      "s3://my-bucket                        | has no object key",
      "s3://my-bucket/                       | has an invalid object key: the key is empty",
      "s3://my-bucket/?versionId=abc         | has an invalid object key: the key is empty",
      "s3://My_Bucket/ca.pem                 | may contain only lower-case letters, digits, dots and hyphens",
      "s3:///ca.pem                          | has an invalid bucket name: the bucket name is empty",
      "s3://my-bucket/ca.pem?version=abc     | the only parameter allowed is versionId",
      "s3://my-bucket/ca.pem?versionId=a&x=1 | the only parameter allowed is versionId",
      "s3://my-bucket/ca.pem?versionId=      | has an empty versionId",
      "s3://my-bucket/ca.pem?versionId=a%2   | malformed %-escape",
  })
  void rejectsWithAReason(String uri, String reason) {
    assertThatThrownBy(() -> S3Location.parse(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://my-bucket/ca.pem?versionId=None", "s3://my-bucket/ca.pem?versionId=N%6Fne"})
  void rejectsTheNoneTheAwsCliPrintsForAnUnversionedBucket(String uri) {
    assertThatThrownBy(() -> S3Location.parse(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("has versionId=None, which is what the AWS CLI prints as the VersionId of an object in"
            + " a bucket that is not versioned")
        .hasMessageContaining("enable versioning on the bucket")
        .hasMessageEndingWith("upload the object again and use the VersionId that upload prints");
  }

  @Test
  void acceptsTheNullVersionIdOfAnObjectUploadedBeforeVersioningWasEnabled() {
    assertThat(S3Location.parse("s3://my-bucket/ca.pem?versionId=null").versionId()).isEqualTo("null");
  }

  @Test
  void rejectsKeysLongerThan1024Bytes() {
    assertThatThrownBy(() -> S3Location.parse("s3://my-bucket/" + "é".repeat(513)))
        .hasMessageContaining("longer than 1024 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "my.bucket-1", "a23456789012345678901234567890123456789012345678901234567890123"})
  void acceptsValidBucketNames(String name) {
    assertThat(S3Location.bucketNameProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ab                   | 3 to 63 characters",
      "-abc                 | start and end with a letter or digit",
      "abc.                 | start and end with a letter or digit",
      "a..b                 | two adjacent dots",
      "192.168.5.4          | IP address",
      "xn--abc              | reserved prefix \"xn--\"",
      "sthree-abc           | reserved prefix",
      "amzn-s3-demo-bucket  | reserved prefix",
      "abc-s3alias          | reserved suffix \"-s3alias\"",
      "abc--ol-s3           | reserved suffix",
      "abc.mrap             | reserved suffix",
      "abc--x-s3            | reserved suffix",
      "abc--table-s3        | reserved suffix",
  })
  void rejectsInvalidBucketNames(String name, String reason) {
    assertThat(S3Location.bucketNameProblem(name)).hasValueSatisfying(p -> assertThat(p).contains(reason));
  }
}
