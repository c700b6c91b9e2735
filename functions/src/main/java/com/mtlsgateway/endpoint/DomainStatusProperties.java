package com.mtlsgateway.endpoint;

import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The properties of a {@code Custom::DomainStatus} resource, validated.
 *
 * @param domainName               the API Gateway custom domain to check, e.g. {@code api.example.com}
 * @param truststoreVersion        the truststore's S3 VersionId, or null; only read so that a new truststore
 *     changes the properties and CloudFormation re-runs the check (logged, never compared)
 * @param certificateArn           the ARN of the certificate the domain serves (its RegionalCertificateArn), or
 *     null; only read so that another server certificate re-runs the check, which may then find the domain
 *     {@code PENDING_CERTIFICATE_REIMPORT} or {@code FAILED} (logged, never compared)
 * @param certificateNotAfter      the imported certificate's NotAfter, or null; only read so that a re-import under
 *     the same ARN (new material, a new NotAfter) re-runs the check (logged, never compared)
 * @param ownershipVerificationCertificateArn the domain's OwnershipVerificationCertificateArn, or null; only read so
 *     that another ownership verification certificate re-runs the check, which may then find the domain
 *     {@code PENDING_OWNERSHIP_VERIFICATION} (logged, never compared)
 * @param failOnTruststoreWarnings whether {@code truststoreWarnings} fail the resource (default true)
 */
public record DomainStatusProperties(String domainName, String truststoreVersion, String certificateArn,
    String certificateNotAfter, String ownershipVerificationCertificateArn, boolean failOnTruststoreWarnings) {

  public static final String DOMAIN_NAME = "DomainName";
  public static final String TRUSTSTORE_VERSION = "TruststoreVersion";
  public static final String CERTIFICATE_ARN = "CertificateArn";
  public static final String CERTIFICATE_NOT_AFTER = "CertificateNotAfter";
  public static final String OWNERSHIP_VERIFICATION_CERTIFICATE_ARN = "OwnershipVerificationCertificateArn";
  public static final String FAIL_ON_TRUSTSTORE_WARNINGS = "FailOnTruststoreWarnings";

  /** A DNS name of at most 253 characters, optionally a wildcard ({@code *.example.com}), as API Gateway takes. */
  private static final Pattern HOST_NAME = Pattern.compile(
      "(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final int MAX_NAME = 253;

  public DomainStatusProperties {
    Objects.requireNonNull(domainName, "domainName");
  }

  /**
   * Reads and checks the properties, rejecting unknown ones.
   *
   * @throws InvalidPropertyException naming the property, the problem and the fix
   */
  public static DomainStatusProperties from(ResourceProperties properties) {
    String domainName = properties.required(DOMAIN_NAME);
    String truststoreVersion = properties.optional(TRUSTSTORE_VERSION).orElse(null);
    String certificateArn = properties.optional(CERTIFICATE_ARN).orElse(null);
    String certificateNotAfter = properties.optional(CERTIFICATE_NOT_AFTER).orElse(null);
    String ownershipArn = properties.optional(OWNERSHIP_VERIFICATION_CERTIFICATE_ARN).orElse(null);
    boolean fail = properties.flag(FAIL_ON_TRUSTSTORE_WARNINGS, true);
    properties.finish();
    if (domainName.length() > MAX_NAME || !HOST_NAME.matcher(domainName).matches()) {
      throw new InvalidPropertyException(DOMAIN_NAME, "is not a domain name (\"" + abbreviate(domainName) + "\")",
          "give the custom domain's name, e.g. api.example.com (!Ref of the AWS::ApiGateway::DomainName), not a URL,"
              + " an ARN or its regional (d-xxxx.execute-api) name");
    }
    return new DomainStatusProperties(domainName, truststoreVersion, certificateArn, certificateNotAfter, ownershipArn,
        fail);
  }

  private static String abbreviate(String value) {
    return value.length() <= 60 ? value : value.substring(0, 60) + "...";
  }
}
