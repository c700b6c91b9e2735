package com.mtlsgateway.certificate;

import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.aws.S3Location;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The properties of a {@code Custom::ImportedCertificate} resource, validated. Each of certificate and private key
 * comes from exactly one source; the chain from at most one.
 *
 * @param certificate the server certificate: {@code CertificatePem} or {@code CertificateUri}
 * @param chain its issuers: {@code ChainPem} or {@code ChainUri}, or null when not given
 * @param privateKeySecretArn the Secrets Manager secret holding the PEM key, or null when {@code privateKeyUri}
 * @param privateKeyUri the S3 object holding the PEM key, or null when {@code privateKeySecretArn}
 * @param domainName the name the certificate must cover
 * @param tags the certificate's tags, in order, keys unique
 */
public record ImportedCertificateProperties(Source certificate, Source chain, String privateKeySecretArn,
    S3Location privateKeyUri, String domainName, Map<String, String> tags) {

  public static final String CERTIFICATE_PEM = "CertificatePem";
  public static final String CERTIFICATE_URI = "CertificateUri";
  public static final String CHAIN_PEM = "ChainPem";
  public static final String CHAIN_URI = "ChainUri";
  public static final String PRIVATE_KEY_SECRET_ARN = "PrivateKeySecretArn";
  public static final String PRIVATE_KEY_URI = "PrivateKeyUri";
  public static final String DOMAIN_NAME = "DomainName";
  public static final String TAGS = "Tags";

  /**
   * The tag the handler sets on every certificate it imports, holding the CloudFormation RequestId, by which a retried
   * event finds the certificate an earlier attempt imported: refused in Tags.
   */
  public static final String REQUEST_ID_TAG = "mtls-gateway:request-id";

  /**
   * The tag the handler sets on every certificate it imports, holding the CloudFormation StackId (the stack's ARN,
   * unique to it, unlike its name): the template's IAM policy lets the function re-import, tag and delete only
   * certificates that carry it with its own stack's id. Refused in Tags.
   */
  public static final String STACK_ID_TAG = "mtls-gateway:stack-id";

  /**
   * ACM's tag limits (ACM API Reference, Tag): keys 1-128 characters, values 0-256, at most 50 tags, two of which are
   * {@link #REQUEST_ID_TAG} and {@link #STACK_ID_TAG}.
   */
  static final int MAX_TAGS = 48;
  private static final int MAX_TAG_KEY = 128;
  private static final int MAX_TAG_VALUE = 256;
  private static final Pattern SECRET_ARN =
      Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+");

  /**
   * Certificate material, inline or in S3.
   *
   * @param property the property it was given in, e.g. {@code CertificateUri}
   * @param pem the PEM text, or null when {@code uri} is set
   * @param uri the object holding it, or null when {@code pem} is set
   */
  public record Source(String property, String pem, S3Location uri) {
    public Source {
      Objects.requireNonNull(property, "property");
      if ((pem == null) == (uri == null)) {
        throw new IllegalArgumentException("exactly one of pem and uri must be given");
      }
    }

    /** The property and, for S3, the object: fit for messages and logs (never the PEM). */
    public String name() {
      return uri == null ? property + " (inline)" : property + " " + uri;
    }

    @Override
    public String toString() {
      return name();
    }
  }

  public ImportedCertificateProperties {
    Objects.requireNonNull(certificate, "certificate");
    if ((privateKeySecretArn == null) == (privateKeyUri == null)) {
      throw new IllegalArgumentException("exactly one of privateKeySecretArn and privateKeyUri must be given");
    }
    Objects.requireNonNull(domainName, "domainName");
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /**
   * Reads and checks the properties, rejecting unknown ones.
   *
   * @throws InvalidPropertyException naming the property, the problem and the fix
   */
  public static ImportedCertificateProperties from(ResourceProperties properties) {
    Optional<String> certificatePem = properties.optional(CERTIFICATE_PEM);
    Optional<String> certificateUri = properties.optional(CERTIFICATE_URI);
    Optional<String> chainPem = properties.optional(CHAIN_PEM);
    Optional<String> chainUri = properties.optional(CHAIN_URI);
    Optional<String> secretArn = properties.optional(PRIVATE_KEY_SECRET_ARN);
    Optional<String> keyUri = properties.optional(PRIVATE_KEY_URI);
    Optional<String> domainName = properties.optional(DOMAIN_NAME);
    Optional<Object> tags = properties.node(TAGS);
    properties.finish();

    Source certificate = source(CERTIFICATE_PEM, certificatePem, CERTIFICATE_URI, certificateUri, true,
        "the server certificate's PEM text, or " + CERTIFICATE_URI + " to the s3://bucket/key holding it");
    Source chain = source(CHAIN_PEM, chainPem, CHAIN_URI, chainUri, false,
        "the issuers' PEM certificates, or " + CHAIN_URI + " to the s3://bucket/key holding them");
    if (secretArn.isPresent() && keyUri.isPresent()) {
      throw new InvalidPropertyException(PRIVATE_KEY_SECRET_ARN, "is set together with " + PRIVATE_KEY_URI,
          "set exactly one: " + PRIVATE_KEY_SECRET_ARN + " for a key in Secrets Manager, or " + PRIVATE_KEY_URI
              + " for a key in S3");
    }
    if (secretArn.isEmpty() && keyUri.isEmpty()) {
      throw new InvalidPropertyException(PRIVATE_KEY_SECRET_ARN, "is required (or " + PRIVATE_KEY_URI + ")",
          "set it to the ARN of a Secrets Manager secret whose SecretString is the PEM private key, or set "
              + PRIVATE_KEY_URI + " to the s3://bucket/key of the PEM key (keep it SSE-KMS encrypted)");
    }
    if (secretArn.isPresent() && !SECRET_ARN.matcher(secretArn.get()).matches()) {
      throw new InvalidPropertyException(PRIVATE_KEY_SECRET_ARN, "is not a Secrets Manager secret ARN",
          "give the secret's ARN, arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME (not its name: the "
              + "function's role is allowed to read exactly this ARN)");
    }
    S3Location keyLocation = keyUri.map(uri -> location(PRIVATE_KEY_URI, uri)).orElse(null);
    String domain = domainName.orElseThrow(() -> new InvalidPropertyException(DOMAIN_NAME, "is required",
        "set it to the custom domain's name, e.g. api.example.com, which the certificate must cover"));
    return new ImportedCertificateProperties(certificate, chain, secretArn.orElse(null), keyLocation,
        domain, tags.map(ImportedCertificateProperties::tags).orElse(Map.of()));
  }

  private static Source source(String pemProperty, Optional<String> pem, String uriProperty, Optional<String> uri,
      boolean required, String what) {
    if (pem.isPresent() && uri.isPresent()) {
      throw new InvalidPropertyException(pemProperty, "is set together with " + uriProperty,
          "set exactly one: " + pemProperty + " for the PEM inline, or " + uriProperty + " for an object in S3");
    }
    if (pem.isPresent()) {
      if (pem.get().isBlank()) {
        throw new InvalidPropertyException(pemProperty, "holds only whitespace", "set it to " + what);
      }
      return new Source(pemProperty, pem.get(), null);
    }
    if (uri.isPresent()) {
      return new Source(uriProperty, null, location(uriProperty, uri.get()));
    }
    if (required) {
      throw new InvalidPropertyException(pemProperty, "is required (or " + uriProperty + ")", "set it to " + what);
    }
    return null;
  }

  private static S3Location location(String property, String uri) {
    try {
      return S3Location.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new InvalidPropertyException(property, e.getMessage(),
          "write it as s3://bucket/key, optionally followed by ?versionId=VERSION");
    }
  }

  /** CloudFormation's tag list: {@code [{"Key": "k", "Value": "v"}, ...]}, every value a string. */
  private static Map<String, String> tags(Object node) {
    String form = "write Tags as a list of {Key: ..., Value: ...}";
    if (!(node instanceof JsonArray list)) {
      throw new InvalidPropertyException(TAGS, "must be a list", form);
    }
    if (list.size() > MAX_TAGS) {
      throw new InvalidPropertyException(TAGS, "has " + list.size() + " tags", "keep at most " + MAX_TAGS
          + ": ACM allows 50 per certificate and the function sets two more, " + REQUEST_ID_TAG + " and "
          + STACK_ID_TAG);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "entry " + (i + 1);
      if (!(list.get(i) instanceof JsonObject tag) || tag.string("Key") == null || tag.string("Key").isEmpty()) {
        throw new InvalidPropertyException(TAGS, at + " has no Key", form);
      }
      Object value = tag.get("Value");
      if (value != null && JsonCodec.scalarText(value) == null) {
        throw new InvalidPropertyException(TAGS, at + " has a Value that is not a string", form);
      }
      List<String> names = new ArrayList<>(tag.members().keySet());
      names.removeAll(List.of("Key", "Value"));
      if (!names.isEmpty()) {
        throw new InvalidPropertyException(TAGS, at + " has " + names.get(0) + ", which is not Key or Value", form);
      }
      String key = tag.string("Key");
      String text = value == null ? "" : JsonCodec.scalarText(value);
      if (key.length() > MAX_TAG_KEY || text.length() > MAX_TAG_VALUE) {
        throw new InvalidPropertyException(TAGS, at + " (Key " + abbreviate(key) + ") is too long",
            "ACM allows keys of up to " + MAX_TAG_KEY + " characters and values of up to " + MAX_TAG_VALUE);
      }
      if (key.startsWith("aws:")) {
        throw new InvalidPropertyException(TAGS, at + " has the Key " + abbreviate(key),
            "the aws: prefix is reserved for AWS; choose another key");
      }
      if (key.equals(REQUEST_ID_TAG)) {
        throw new InvalidPropertyException(TAGS, at + " has the Key " + REQUEST_ID_TAG,
            "this key is reserved: the function sets it to the CloudFormation RequestId of the import; choose another");
      }
      if (key.equals(STACK_ID_TAG)) {
        throw new InvalidPropertyException(TAGS, at + " has the Key " + STACK_ID_TAG,
            "this key is reserved: the function sets it to the CloudFormation StackId of the import; choose another");
      }
      if (tags.containsKey(key)) {
        throw new InvalidPropertyException(TAGS, "has the Key " + abbreviate(key) + " twice", "keep one");
      }
      tags.put(key, text);
    }
    return tags;
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }

  /** The private key's origin for messages and logs: the property and the ARN or URI (never the key). */
  public String privateKeyName() {
    return privateKeySecretArn != null ? PRIVATE_KEY_SECRET_ARN + " " + privateKeySecretArn
        : PRIVATE_KEY_URI + " " + privateKeyUri;
  }

  /** The private key's property name. */
  public String privateKeyProperty() {
    return privateKeySecretArn != null ? PRIVATE_KEY_SECRET_ARN : PRIVATE_KEY_URI;
  }

  /** Never prints inline PEM. */
  @Override
  public String toString() {
    return "ImportedCertificateProperties[" + certificate.name() + ", " + (chain == null ? "no chain" : chain.name())
        + ", " + privateKeyName() + ", DomainName " + domainName + ", Tags " + tags.keySet() + "]";
  }
}
