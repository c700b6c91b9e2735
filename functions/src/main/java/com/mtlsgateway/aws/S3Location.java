package com.mtlsgateway.aws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An S3 object, optionally one version of it, written as {@code s3://bucket/key[?versionId=...]}.
 *
 * <p>Parsing rules (the form API Gateway's {@code TruststoreUri} and the AWS CLI use):
 * <ul>
 *   <li>The scheme is exactly {@code s3://} (lower case).
 *   <li>The bucket runs up to the first {@code /} and must be a valid general purpose bucket name
 *       ({@link #bucketNameProblem(String)}).
 *   <li>The key is everything after that {@code /} up to the first {@code ?}, taken literally (no
 *       percent-decoding, as the AWS CLI does): it must be non-empty and at most 1024 bytes in UTF-8.
 *   <li>The only query parameter is {@code versionId}. Its value is taken as written, with {@code %XX}
 *       escapes decoded, so both a raw S3 version id (which may hold {@code +}, {@code /}, {@code =}) and a
 *       URL-encoded one work. A key that itself contains {@code ?} cannot be written in this form.
 *   <li>{@code versionId=None} is refused: it is what {@code aws s3api put-object --query VersionId} prints for an
 *       object in a bucket that is not versioned, and no S3 version has that id. The version id {@code null} is
 *       accepted: S3 gives it to objects uploaded before versioning was enabled.
 * </ul>
 *
 * @param versionId the S3 VersionId, or null for the current version
 */
public record S3Location(String bucket, String key, String versionId) {

  private static final String SCHEME = "s3://";
  private static final int MAX_KEY_BYTES = 1024;
  private static final String FORM = "s3://bucket/key or s3://bucket/key?versionId=VERSION";
  /** What the AWS CLI prints for a missing VersionId (Python's None). */
  private static final String AWS_CLI_NO_VERSION = "None";

  public S3Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
  }

  /** The current version of {@code bucket/key}. */
  public static S3Location of(String bucket, String key) {
    return new S3Location(bucket, key, null);
  }

  /**
   * Parses {@code s3://bucket/key[?versionId=...]}.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and the expected form
   */
  public static S3Location parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("is empty: expected " + FORM);
    }
    if (!uri.startsWith(SCHEME)) {
      throw new IllegalArgumentException("does not start with s3://: expected " + FORM);
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("has no object key: expected " + FORM);
    }
    String bucket = rest.substring(0, slash);
    bucketNameProblem(bucket).ifPresent(problem -> {
      throw new IllegalArgumentException("has an invalid bucket name: " + problem);
    });
    String pathAndQuery = rest.substring(slash + 1);
    int question = pathAndQuery.indexOf('?');
    String key = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    keyProblem(key).ifPresent(problem -> {
      throw new IllegalArgumentException("has an invalid object key: " + problem);
    });
    String versionId = question < 0 ? null : versionId(pathAndQuery.substring(question + 1));
    return new S3Location(bucket, key, versionId);
  }

  private static String versionId(String query) {
    if (!query.startsWith("versionId=") || query.indexOf('&') >= 0) {
      throw new IllegalArgumentException(
          "has an unsupported query \"?" + query + "\": the only parameter allowed is versionId, as in " + FORM);
    }
    String value = percentDecode(query.substring("versionId=".length()));
    if (value.isEmpty()) {
      throw new IllegalArgumentException("has an empty versionId: remove \"?versionId=\" or give the S3 VersionId");
    }
    if (value.equals(AWS_CLI_NO_VERSION)) {
      throw new IllegalArgumentException("has versionId=None, which is what the AWS CLI prints as the VersionId of an"
          + " object in a bucket that is not versioned, not a version of the object: enable versioning on the bucket"
          + " (aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled), upload"
          + " the object again and use the VersionId that upload prints");
    }
    return value;
  }

  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException("has a malformed %-escape in versionId");
        }
        out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * What is wrong with a general purpose bucket name, per the S3 naming rules: 3 to 63 characters; lower-case
   * letters, digits, dots and hyphens; starts and ends with a letter or digit; no two adjacent dots; not an IP
   * address; none of the reserved prefixes and suffixes.
   */
  public static Optional<String> bucketNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("the bucket name is empty");
    }
    String quoted = "\"" + name + "\"";
    if (name.length() < 3 || name.length() > 63) {
      return Optional.of(quoted + " must be 3 to 63 characters long");
    }
    if (!name.matches("[a-z0-9.-]+")) {
      return Optional.of(quoted + " may contain only lower-case letters, digits, dots and hyphens");
    }
    if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
      return Optional.of(quoted + " must start and end with a letter or digit");
    }
    if (name.contains("..")) {
      return Optional.of(quoted + " must not contain two adjacent dots");
    }
    if (name.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      return Optional.of(quoted + " must not be formatted as an IP address");
    }
    for (String prefix : List.of("xn--", "sthree-", "amzn-s3-demo-")) {
      if (name.startsWith(prefix)) {
        return Optional.of(quoted + " must not start with the reserved prefix \"" + prefix + "\"");
      }
    }
    for (String suffix : List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")) {
      if (name.endsWith(suffix)) {
        return Optional.of(quoted + " must not end with the reserved suffix \"" + suffix + "\"");
      }
    }
    return Optional.empty();
  }

  /** What is wrong with an object key: empty, longer than 1024 bytes in UTF-8, or holding control characters. */
  public static Optional<String> keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("the key is empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return Optional.of("the key is longer than " + MAX_KEY_BYTES + " bytes");
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("the key contains control characters");
    }
    return Optional.empty();
  }

  /** {@code s3://bucket/key}, without the version: the form API Gateway's TruststoreUri takes. */
  public String uri() {
    return SCHEME + bucket + "/" + key;
  }

  /** The same object at the given version. */
  public S3Location withVersion(String version) {
    return new S3Location(bucket, key, version);
  }

  /** {@code s3://bucket/key}, with {@code ?versionId=...} when a version is set. */
  @Override
  public String toString() {
    return versionId == null ? uri() : uri() + "?versionId=" + versionId;
  }
}
