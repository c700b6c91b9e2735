package com.mtlsgateway.truststore;

import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.aws.S3Staging;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads truststore bundles from S3 (at most {@link TruststoreValidator#MAX_BYTES} + 1 bytes) and stages them as a
 * version of the staging object, through {@link S3Staging}.
 */
final class TruststoreStager {

  static final String CONTENT_TYPE = "application/x-pem-file";

  private final S3Staging staging;

  TruststoreStager(S3Client s3) {
    this.staging = new S3Staging(s3, TruststoreProperties.STAGING_BUCKET, TruststoreProperties.STAGING_KEY,
        CONTENT_TYPE, "API Gateway needs TruststoreVersion, the S3 VersionId of the staged object");
  }

  /**
   * Reads the bundle at {@code source}, only up to the truststore quota.
   *
   * @param property the property the location came from, named in errors
   */
  S3Staging.Download read(String property, S3Location source) {
    return staging.read(property, source, TruststoreValidator.MAX_BYTES,
        property.equals(TruststoreProperties.SOURCE_URI) ? " (without s3:ListBucket on the bucket, S3 also "
            + "answers 403 for a key that does not exist: check the key too)" : "");
  }

  /** See {@link S3Staging#stage}. */
  S3Staging.Staged stage(S3Location target, byte[] bundle, String sha256) {
    return staging.stage(target, bundle, sha256);
  }
}
