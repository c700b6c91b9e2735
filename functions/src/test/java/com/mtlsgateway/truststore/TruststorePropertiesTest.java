package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TruststorePropertiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Properties as CloudFormation sends them: through the real request parser, ServiceToken included. */
  static ResourceProperties properties(Map<String, String> values) {
    ObjectNode event = JSON.createObjectNode()
        .put("RequestType", "Create")
        .put("ResponseURL", "https://example.com/response")
        .put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1")
        .put("RequestId", "r-1")
        .put("LogicalResourceId", "Truststore")
        .put("ResourceType", "Custom::Truststore");
    ObjectNode props = event.putObject("ResourceProperties")
        .put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:f")
        .put("ServiceTimeout", "300");
    values.forEach(props::put);
    try {
      return CustomResourceRequest.parse(JSON.writeValueAsBytes(event)).properties();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static TruststoreProperties parse(String... namesAndValues) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return TruststoreProperties.from(properties(values));
  }

  @Test
  void sourceUriWithDefaults() {
    TruststoreProperties p = parse("SourceUri", "s3://src-bucket/ca.pem?versionId=v1", "StagingBucket", "stage-bucket");

    assertThat(p.sourceUri()).isEqualTo(new S3Location("src-bucket", "ca.pem", "v1"));
    assertThat(p.pem()).isNull();
    assertThat(p.stagingKey()).isEqualTo("truststore.pem");
    assertThat(p.acceptWarnings()).isFalse();
    assertThat(p.staging().uri()).isEqualTo("s3://stage-bucket/truststore.pem");
    assertThat(p.sourceName()).isEqualTo("SourceUri s3://src-bucket/ca.pem?versionId=v1");
  }

  @Test
  void inlinePemWithEveryProperty() {
    TruststoreProperties p = parse("Pem", "-----BEGIN CERTIFICATE-----\n...", "StagingBucket", "stage-bucket",
        "StagingKey", "mtls/ca.pem", "AcceptWarnings", "true");

    assertThat(p.sourceUri()).isNull();
    assertThat(p.pem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(p.stagingKey()).isEqualTo("mtls/ca.pem");
    assertThat(p.acceptWarnings()).isTrue();
    assertThat(p.sourceName()).isEqualTo("Pem (inline)");
    assertThat(p.toString()).doesNotContain("BEGIN");
  }

  @Test
  void bothSourcesAreRefused() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem", "Pem", "x", "StagingBucket", "stage-bucket"))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property SourceUri is set together with Pem: set exactly one: SourceUri for a bundle in S3, "
            + "or Pem for the bundle inline");
  }

  @Test
  void noSourceIsRefused() {
    assertThatThrownBy(() -> parse("StagingBucket", "stage-bucket"))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property SourceUri is required (or Pem): set SourceUri to the s3://bucket/key");
  }

  @Test
  void sourceUriWithTheAwsClisNoneVersionIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem?versionId=None", "StagingBucket",
        "stage-bucket"))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property SourceUri has versionId=None, which is what the AWS CLI prints")
        .hasMessageContaining("enable versioning on the bucket");
  }

  @Test
  void emptySourceUriCountsAsAbsent() {
    assertThatThrownBy(() -> parse("SourceUri", "", "StagingBucket", "stage-bucket"))
        .hasMessageStartingWith("Property SourceUri is required (or Pem)");
  }

  @Test
  void blankPemIsRefused() {
    assertThatThrownBy(() -> parse("Pem", " \n ", "StagingBucket", "stage-bucket"))
        .hasMessageStartingWith("Property Pem holds only whitespace: ");
  }

  @Test
  void malformedSourceUriNamesTheProperty() {
    assertThatThrownBy(() -> parse("SourceUri", "arn:aws:s3:::src-bucket/ca.pem", "StagingBucket", "stage-bucket"))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property SourceUri does not start with s3://: expected s3://bucket/key or "
            + "s3://bucket/key?versionId=VERSION: write it as s3://bucket/key, optionally followed by "
            + "?versionId=VERSION");
  }

  @Test
  void missingStagingBucket() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem"))
        .hasMessageStartingWith("Property StagingBucket is required: ");
  }

  @Test
  void invalidStagingBucket() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem", "StagingBucket", "s3://stage-bucket"))
        .hasMessageStartingWith("Property StagingBucket is not a valid bucket name: \"s3://stage-bucket\" may contain "
            + "only lower-case letters");
  }

  @Test
  void stagingKeyWithQuestionMark() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem", "StagingBucket", "stage-bucket",
        "StagingKey", "ca.pem?x"))
        .hasMessageStartingWith("Property StagingKey is not a valid key: it contains '?'");
  }

  @Test
  void stagingUriMustFitAPhysicalId() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem", "StagingBucket", "stage-bucket",
        "StagingKey", "k".repeat(1010)))
        .hasMessageStartingWith("Property StagingKey is too long: ");
  }

  @Test
  void acceptWarningsMustBeTrueOrFalse() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem", "StagingBucket", "stage-bucket",
        "AcceptWarnings", "yes"))
        .hasMessageStartingWith("Property AcceptWarnings is \"");
  }

  @Test
  void misspeltPropertyIsReportedBeforeMissingOnes() {
    assertThatThrownBy(() -> parse("SourceUri", "s3://src-bucket/ca.pem", "StagingBuckt", "stage-bucket"))
        .hasMessageStartingWith("Property StagingBuckt is not known: ");
  }
}
