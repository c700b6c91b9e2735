package com.mtlsgateway.certificate;

import com.mtlsgateway.aws.AwsErrors;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.aws.S3Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Reads certificate material from where the properties say: inline, S3 ({@code GetObject}) or Secrets Manager
 * ({@code GetSecretValue}). Error messages name the property, the object or secret, the service's error code and
 * message, and the permission needed; never the material (the service's error messages describe the request, not
 * the object or secret value).
 */
final class MaterialReader {
  /** More than any certificate, chain or key that ACM takes; a larger object is not read further. */
  static final int MAX_BYTES = 1024 * 1024;

  private final S3Client s3;
  private final SecretsManagerClient secretsManager;

  MaterialReader(S3Client s3, SecretsManagerClient secretsManager) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.secretsManager = Objects.requireNonNull(secretsManager, "secretsManager");
  }

  /** The PEM bytes of a certificate or chain source. */
  byte[] read(ImportedCertificateProperties.Source source) {
    return source.pem() != null ? source.pem().getBytes(StandardCharsets.UTF_8) : object(source.property(),
        source.uri());
  }

  /** The PEM bytes of the private key. */
  byte[] privateKey(ImportedCertificateProperties properties) {
    if (properties.privateKeyUri() != null) {
      return object(ImportedCertificateProperties.PRIVATE_KEY_URI, properties.privateKeyUri());
    }
    String arn = properties.privateKeySecretArn();
    GetSecretValueResponse secret;
    try {
      secret = secretsManager.getSecretValue(b -> b.secretId(arn));
    } catch (SdkException e) {
      // A service error's code and message describe the request; any other exception only by its class, as its
      // message may quote the response (an unmarshalling error, say), whose SecretString is the private key.
      String error = e instanceof AwsServiceException
          ? AwsErrors.describe("Secrets Manager GetSecretValue", e)
          : "Secrets Manager GetSecretValue: failed (" + e.getClass().getSimpleName() + ")";
      throw new CustomResourceException(ImportedCertificateProperties.PRIVATE_KEY_SECRET_ARN + " " + arn + ": "
          + error + "; the function needs"
          + " secretsmanager:GetSecretValue on this secret (and kms:Decrypt on its KMS key when it is not the AWS"
          + " managed one)");
    }
    if (secret.secretString() != null) {
      if (secret.secretString().strip().startsWith("{")) {
        // Never the content: a JSON secret may hold the key under some name.
        throw new CustomResourceException(ImportedCertificateProperties.PRIVATE_KEY_SECRET_ARN + " " + arn
            + ": the secret's SecretString looks like JSON (it starts with '{'), such as the console's key/value"
            + " pairs; the SecretString must be the bare PEM private key (-----BEGIN PRIVATE KEY-----...), not JSON:"
            + " store it with `aws secretsmanager put-secret-value --secret-id " + arn
            + " --secret-string file://key.pem`");
      }
      return secret.secretString().getBytes(StandardCharsets.UTF_8);
    }
    if (secret.secretBinary() != null) {
      return secret.secretBinary().asByteArray();
    }
    throw new CustomResourceException(ImportedCertificateProperties.PRIVATE_KEY_SECRET_ARN + " " + arn
        + ": the secret's current version holds no value; store the PEM private key as its SecretString");
  }

  private byte[] object(String property, S3Location location) {
    String subject = property + " " + location;
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(b -> b.bucket(location.bucket()).key(location.key()).versionId(location.versionId()));
    } catch (SdkException e) {
      throw new CustomResourceException(subject + ": " + AwsErrors.describe("S3 GetObject", e) + "; the function"
          + " needs s3:GetObject" + (location.versionId() == null ? "" : "Version") + " on arn:aws:s3:::"
          + location.bucket() + "/" + location.key() + " (and kms:Decrypt on the key of an SSE-KMS object)");
    }
    try (in) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        in.abort();
        throw new CustomResourceException(subject + ": the object is larger than " + MAX_BYTES + " bytes, far more"
            + " than certificate material; check the URI");
      }
      return bytes;
    } catch (IOException | UncheckedIOException | SdkException e) {
      throw new CustomResourceException(subject + ": reading the object failed (" + e.getClass().getSimpleName()
          + "); this is usually transient: retry the deployment");
    }
  }
}
