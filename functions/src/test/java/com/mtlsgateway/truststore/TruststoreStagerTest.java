package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The stager's S3-free logic. Its S3 behaviour (staging, reuse, reads and their limits) is tested against moto server
 * in integration-tests: TruststoreStagerS3Test and TruststoreStagingTest.
 */
class TruststoreStagerTest {

  @Test
  void theNullVersionOfAnObjectWrittenBeforeVersioningIsNotARealVersion() {
    // Real S3 answers x-amz-version-id: null for such an object; moto sends no header (null here).
    assertThat(TruststoreStager.isRealVersion("null")).isFalse();
    assertThat(TruststoreStager.isRealVersion(null)).isFalse();
    assertThat(TruststoreStager.isRealVersion("")).isFalse();
  }

  @Test
  void anS3VersionIdIsARealVersion() {
    assertThat(TruststoreStager.isRealVersion("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")).isTrue();
  }
}
