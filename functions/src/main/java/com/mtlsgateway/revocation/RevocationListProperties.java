package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The properties of a {@code Custom::RevocationList} resource, validated.
 *
 * @param truststore the staged truststore, at its version ({@code TruststoreUri} and {@code TruststoreVersion},
 *     the outputs of {@code Custom::Truststore})
 * @param locations the CRLs ({@code RevocationListUris}: a comma-separated string or a list), 1 to {@value
 *     CrlLocation#MAX_LOCATIONS}
 * @param index where the index is staged ({@code IndexBucket}, versioned, and {@code IndexKey}, default {@value
 *     #DEFAULT_INDEX_KEY})
 */
public record RevocationListProperties(S3Location truststore, List<CrlLocation> locations, S3Location index) {

  public static final String TRUSTSTORE_URI = "TruststoreUri";
  public static final String TRUSTSTORE_VERSION = "TruststoreVersion";
  public static final String REVOCATION_LIST_URIS = "RevocationListUris";
  public static final String INDEX_BUCKET = "IndexBucket";
  public static final String INDEX_KEY = "IndexKey";
  public static final String DEFAULT_INDEX_KEY = "revocation/index.bin";

  public RevocationListProperties {
    locations = List.copyOf(locations);
  }

  /**
   * Reads and checks the properties, rejecting unknown ones.
   *
   * @throws InvalidPropertyException naming the property, the problem and the fix
   */
  public static RevocationListProperties from(ResourceProperties properties) {
    String truststoreText = properties.required(TRUSTSTORE_URI);
    String version = properties.required(TRUSTSTORE_VERSION);
    Optional<Object> uris = properties.node(REVOCATION_LIST_URIS);
    String bucket = properties.required(INDEX_BUCKET);
    String key = properties.optional(INDEX_KEY).orElse(DEFAULT_INDEX_KEY);
    properties.finish();

    S3Location truststore;
    try {
      truststore = S3Location.parse(truststoreText);
    } catch (IllegalArgumentException e) {
      throw new InvalidPropertyException(TRUSTSTORE_URI, e.getMessage(), "give the TruststoreUri output of "
          + "Custom::Truststore (s3://bucket/key)");
    }
    if (truststore.versionId() != null) {
      throw new InvalidPropertyException(TRUSTSTORE_URI, "has a ?versionId=", "give the version as "
          + "TruststoreVersion only");
    }
    List<CrlLocation> locations;
    try {
      locations = CrlLocation.parseList(entries(uris.orElse(null)));
    } catch (IllegalArgumentException e) {
      throw new InvalidPropertyException(REVOCATION_LIST_URIS, e.getMessage(), "list the CRLs as "
          + "s3://bucket/key[?versionId=...], https://... or http://..., separated by commas");
    }
    if (locations.isEmpty()) {
      throw new InvalidPropertyException(REVOCATION_LIST_URIS, "is empty", "list at least one CRL (with no CRLs, "
          + "leave the RevocationListUris parameter empty and the stack has no revocation check)");
    }
    S3Location.bucketNameProblem(bucket).ifPresent(problem -> {
      throw new InvalidPropertyException(INDEX_BUCKET, "is not a valid bucket name", problem + "; give the name "
          + "of the versioned truststore bucket");
    });
    S3Location.keyProblem(key).ifPresent(problem -> {
      throw new InvalidPropertyException(INDEX_KEY, "is not a valid key", problem);
    });
    return new RevocationListProperties(truststore.withVersion(version), locations, S3Location.of(bucket, key));
  }

  private static List<String> entries(Object node) {
    if (node == null) {
      return List.of();
    }
    if (node instanceof JsonArray array) {
      List<String> entries = new ArrayList<>();
      for (Object item : array) {
        String text = JsonCodec.scalarText(item);
        if (text == null) {
          throw new IllegalArgumentException("holds a list or map where a location was expected");
        }
        entries.add(text);
      }
      return entries;
    }
    String text = JsonCodec.scalarText(node);
    if (text == null) {
      throw new IllegalArgumentException("is a map");
    }
    return CrlLocation.split(text);
  }
}
