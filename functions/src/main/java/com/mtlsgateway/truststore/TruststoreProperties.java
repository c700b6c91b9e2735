package com.mtlsgateway.truststore;

import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The properties of a {@code Custom::Truststore} resource, validated.
 *
 * @param sourceUri where the bundle is read from, or null when {@code pem} is given
 * @param pem the bundle itself, or null when {@code sourceUri} is given
 * @param stagingBucket the versioned bucket the validated bundle is copied into
 * @param stagingKey the key of the staged object (default {@value #DEFAULT_STAGING_KEY})
 * @param acceptWarnings whether WARNING findings are accepted (ERROR findings never are)
 */
public record TruststoreProperties(
    S3Location sourceUri, String pem, String stagingBucket, String stagingKey, boolean acceptWarnings) {

  public static final String SOURCE_URI = "SourceUri";
  public static final String PEM = "Pem";
  public static final String STAGING_BUCKET = "StagingBucket";
  public static final String STAGING_KEY = "StagingKey";
  public static final String ACCEPT_WARNINGS = "AcceptWarnings";
  public static final String DEFAULT_STAGING_KEY = "truststore.pem";
  private static final int MAX_PHYSICAL_ID_BYTES = 1024;

  public TruststoreProperties {
    if ((sourceUri == null) == (pem == null)) {
      throw new IllegalArgumentException("exactly one of sourceUri and pem must be given");
    }
    Objects.requireNonNull(stagingBucket, "stagingBucket");
    Objects.requireNonNull(stagingKey, "stagingKey");
  }

  /**
   * Reads and checks the properties, rejecting unknown ones.
   *
   * @throws InvalidPropertyException naming the property, the problem and the fix
   */
  public static TruststoreProperties from(ResourceProperties properties) {
    Optional<String> sourceText = properties.optional(SOURCE_URI);
    Optional<String> pem = properties.optional(PEM);
    Optional<String> stagingBucketText = properties.optional(STAGING_BUCKET);
    String stagingKey = properties.optional(STAGING_KEY).orElse(DEFAULT_STAGING_KEY);
    boolean acceptWarnings = properties.flag(ACCEPT_WARNINGS, false);
    // Unknown names first: a misspelt property is reported as such, not as a missing one.
    properties.finish();

    if (sourceText.isPresent() && pem.isPresent()) {
      throw new InvalidPropertyException(SOURCE_URI, "is set together with Pem",
          "set exactly one: SourceUri for a bundle in S3, or Pem for the bundle inline");
    }
    if (sourceText.isEmpty() && pem.isEmpty()) {
      throw new InvalidPropertyException(SOURCE_URI, "is required (or Pem)",
          "set SourceUri to the s3://bucket/key of your PEM bundle of CA certificates, or Pem to the bundle itself");
    }
    S3Location sourceUri = null;
    if (sourceText.isPresent()) {
      try {
        sourceUri = S3Location.parse(sourceText.get());
      } catch (IllegalArgumentException e) {
        throw new InvalidPropertyException(SOURCE_URI, e.getMessage(),
            "write it as s3://bucket/key, optionally followed by ?versionId=VERSION");
      }
    }
    if (pem.isPresent() && pem.get().isBlank()) {
      throw new InvalidPropertyException(PEM, "holds only whitespace",
          "give the PEM bundle of CA certificates, or use SourceUri instead");
    }
    String stagingBucket = stagingBucketText.orElseThrow(() -> new InvalidPropertyException(STAGING_BUCKET,
        "is required", "set it to the name of a versioned S3 bucket the truststore is staged in"));
    S3Location.bucketNameProblem(stagingBucket).ifPresent(problem -> {
      throw new InvalidPropertyException(STAGING_BUCKET, "is not a valid bucket name",
          problem + "; give the name of an existing versioned bucket (not an ARN or s3:// URI)");
    });
    stagingKeyProblem(stagingKey).ifPresent(problem -> {
      throw new InvalidPropertyException(STAGING_KEY, "is not a valid key", problem);
    });
    TruststoreProperties parsed =
        new TruststoreProperties(sourceUri, pem.orElse(null), stagingBucket, stagingKey, acceptWarnings);
    if (parsed.staging().uri().getBytes(StandardCharsets.UTF_8).length > MAX_PHYSICAL_ID_BYTES) {
      throw new InvalidPropertyException(STAGING_KEY, "is too long",
          "s3://StagingBucket/StagingKey is the resource's physical id, which CloudFormation limits to "
              + MAX_PHYSICAL_ID_BYTES + " bytes; use a shorter key");
    }
    return parsed;
  }

  private static Optional<String> stagingKeyProblem(String key) {
    Optional<String> problem = S3Location.keyProblem(key);
    if (problem.isPresent()) {
      return problem.map(p -> p + "; give a key such as " + DEFAULT_STAGING_KEY);
    }
    if (key.indexOf('?') >= 0) {
      return Optional.of("it contains '?', which would start a query in the s3:// TruststoreUri; choose a key "
          + "without it, such as " + DEFAULT_STAGING_KEY);
    }
    if (key.startsWith("/")) {
      return Optional.of("it starts with '/', which makes an s3://bucket//key URI; remove the leading slash");
    }
    return Optional.empty();
  }

  /** Where the validated bundle goes (the current version of the staging object). */
  public S3Location staging() {
    return S3Location.of(stagingBucket, stagingKey);
  }

  /** The bundle's origin for messages and logs: the SourceUri, or "Pem" (never the bundle itself). */
  public String sourceName() {
    return sourceUri == null ? PEM + " (inline)" : SOURCE_URI + " " + sourceUri;
  }

  /** The inline bundle's bytes (UTF-8), or null when the bundle is read from {@link #sourceUri()}. */
  byte[] pemBytes() {
    return pem == null ? null : pem.getBytes(StandardCharsets.UTF_8);
  }

  /** Never prints the inline bundle. */
  @Override
  public String toString() {
    return "TruststoreProperties[" + sourceName() + ", StagingBucket " + stagingBucket + ", StagingKey " + stagingKey
        + ", AcceptWarnings " + acceptWarnings + "]";
  }
}
