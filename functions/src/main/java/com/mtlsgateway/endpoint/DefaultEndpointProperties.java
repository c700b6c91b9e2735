package com.mtlsgateway.endpoint;

import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.text.Reasons;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The properties of a {@code Custom::DefaultEndpoint} resource, validated.
 *
 * @param restApiId the REST API whose execute-api endpoint is switched
 * @param stageName the stage redeployed so that the switch takes effect
 * @param disabled  the wanted value of the API's {@code disableExecuteApiEndpoint}
 * @param backend   the protocol the API's HTTP and HTTP_PROXY integrations must use, and their certificate check;
 *                  empty when neither {@code BackendProtocol} nor {@code BackendTlsSkipVerification} is given (the
 *                  integrations are then neither checked nor changed)
 * @param methodsDeploymentId the deployment of the methods that the template gives the stage (not used in any
 *                  call): a new one is an Update, so that a CloudFormation change to the methods that could drop their
 *                  TLS setting (turning revocation on or off) has it set again and redeployed; empty when not given
 *                  (stacks made before the property)
 */
public record DefaultEndpointProperties(String restApiId, String stageName, boolean disabled,
    Optional<BackendTls> backend, Optional<String> methodsDeploymentId) {

  public static final String REST_API_ID = "RestApiId";
  public static final String STAGE_NAME = "StageName";
  public static final String DISABLED = "Disabled";
  public static final String BACKEND_PROTOCOL = "BackendProtocol";
  public static final String BACKEND_TLS_SKIP_VERIFICATION = "BackendTlsSkipVerification";
  public static final String METHODS_DEPLOYMENT_ID = "MethodsDeploymentId";

  /** API Gateway's ids are 10 lower-case letters and digits; accepted a little wider, never with a '/'. */
  static final Pattern REST_API_ID_FORM = Pattern.compile("[A-Za-z0-9]{1,64}");
  /** API Gateway stage names: letters, digits, hyphens and underscores, at most 128 characters. */
  static final Pattern STAGE_NAME_FORM = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  /** API Gateway's deployment ids are a few lower-case letters and digits; accepted a little wider. */
  static final Pattern DEPLOYMENT_ID_FORM = Pattern.compile("[A-Za-z0-9]{1,64}");

  /** The scheme every HTTP and HTTP_PROXY integration URI of the API must have. */
  public enum BackendProtocol {
    HTTP, HTTPS;

    /** {@code http://} or {@code https://}. */
    public String scheme() {
      return name().toLowerCase(Locale.ROOT) + "://";
    }
  }

  /**
   * The backend hop's settings.
   *
   * @param protocol         the scheme the integrations must have
   * @param skipVerification the wanted {@code tlsConfig.insecureSkipVerification} of every HTTP and HTTP_PROXY
   *                         integration; true only with {@link BackendProtocol#HTTPS}
   */
  public record BackendTls(BackendProtocol protocol, boolean skipVerification) {
    public BackendTls {
      Objects.requireNonNull(protocol, "protocol");
    }
  }

  public DefaultEndpointProperties {
    Objects.requireNonNull(restApiId, "restApiId");
    Objects.requireNonNull(stageName, "stageName");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(methodsDeploymentId, "methodsDeploymentId");
  }

  /**
   * Reads and checks the properties, rejecting unknown ones.
   *
   * @throws InvalidPropertyException naming the property, the problem and the fix
   */
  public static DefaultEndpointProperties from(ResourceProperties properties) {
    String restApiId = properties.required(REST_API_ID);
    String stageName = properties.required(STAGE_NAME);
    boolean disabled = properties.flag(DISABLED, true);
    Optional<String> protocol = properties.optional(BACKEND_PROTOCOL);
    Optional<String> skip = properties.optional(BACKEND_TLS_SKIP_VERIFICATION);
    boolean skipVerification = properties.flag(BACKEND_TLS_SKIP_VERIFICATION, false);
    Optional<String> methodsDeploymentId = properties.optional(METHODS_DEPLOYMENT_ID);
    properties.finish();
    if (!REST_API_ID_FORM.matcher(restApiId).matches()) {
      throw new InvalidPropertyException(REST_API_ID, "is not a REST API id",
          "give the API's id (e.g. !Ref Api, 10 letters and digits such as a1b2c3d4e5), not its name or URL");
    }
    if (!STAGE_NAME_FORM.matcher(stageName).matches()) {
      throw new InvalidPropertyException(STAGE_NAME, "is not a stage name",
          "give the stage's name (letters, digits, '-' and '_', at most 128), e.g. !Ref Stage");
    }
    if (methodsDeploymentId.isPresent() && !DEPLOYMENT_ID_FORM.matcher(methodsDeploymentId.get()).matches()) {
      throw new InvalidPropertyException(METHODS_DEPLOYMENT_ID, "is not a deployment id",
          "give the stage's AWS::ApiGateway::Deployment (e.g. !Ref ApiDeployment, letters and digits such as "
          + "x1y2z3), or leave the property out");
    }
    if (protocol.isEmpty()) {
      if (skip.isPresent()) {
        throw new InvalidPropertyException(BACKEND_TLS_SKIP_VERIFICATION, "is given without " + BACKEND_PROTOCOL,
            "give " + BACKEND_PROTOCOL + " (HTTP or HTTPS) with it");
      }
      return new DefaultEndpointProperties(restApiId, stageName, disabled, Optional.empty(), methodsDeploymentId);
    }
    BackendProtocol backendProtocol = switch (protocol.get()) {
      case "HTTP" -> BackendProtocol.HTTP;
      case "HTTPS" -> BackendProtocol.HTTPS;
      default -> throw new InvalidPropertyException(BACKEND_PROTOCOL, "is \"" + Reasons.abbreviate(protocol.get(), 40)
          + "\", not HTTP or HTTPS", "give HTTP or HTTPS (upper case), as !Ref BackendProtocol does");
    };
    if (skipVerification && backendProtocol != BackendProtocol.HTTPS) {
      throw new InvalidPropertyException(BACKEND_TLS_SKIP_VERIFICATION, "is true but " + BACKEND_PROTOCOL
          + " is " + backendProtocol, "skipping certificate verification only means something for HTTPS: set "
          + BACKEND_PROTOCOL + " to HTTPS, or " + BACKEND_TLS_SKIP_VERIFICATION + " to false");
    }
    return new DefaultEndpointProperties(restApiId, stageName, disabled,
        Optional.of(new BackendTls(backendProtocol, skipVerification)), methodsDeploymentId);
  }
}
