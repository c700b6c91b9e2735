package com.mtlsgateway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The stager's S3-free logic. Its S3 behaviour (staging, reuse, reads and their limits) is tested against moto server
 * in integration-tests: TruststoreStagerS3Test and TruststoreStagingTest.
 */
class S3StagingTest {

  @Test
  void theNullVersionOfAnObjectWrittenBeforeVersioningIsNotARealVersion() {
    // Real S3 answers x-amz-version-id: null for such an object; moto sends no header (null here).
    assertThat(S3Staging.isRealVersion("null")).isFalse();
    assertThat(S3Staging.isRealVersion(null)).isFalse();
    assertThat(S3Staging.isRealVersion("")).isFalse();
  }

  @Test
  void anS3VersionIdIsARealVersion() {
    assertThat(S3Staging.isRealVersion("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")).isTrue();
  }
}
