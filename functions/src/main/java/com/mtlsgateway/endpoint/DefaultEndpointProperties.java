package com.mtlsgateway.endpoint;

import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The properties of a {@code Custom::DefaultEndpoint} resource, validated.
 *
 * @param restApiId the REST API whose execute-api endpoint is switched
 * @param stageName the stage redeployed so that the switch takes effect
 * @param disabled  the wanted value of the API's {@code disableExecuteApiEndpoint}
 */
public record DefaultEndpointProperties(String restApiId, String stageName, boolean disabled) {

  public static final String REST_API_ID = "RestApiId";
  public static final String STAGE_NAME = "StageName";
  public static final String DISABLED = "Disabled";

  /** API Gateway's ids are 10 lower-case letters and digits; accepted a little wider, never with a '/'. */
  static final Pattern REST_API_ID_FORM = Pattern.compile("[A-Za-z0-9]{1,64}");
  /** API Gateway stage names: letters, digits, hyphens and underscores, at most 128 characters. */
  static final Pattern STAGE_NAME_FORM = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  public DefaultEndpointProperties {
    Objects.requireNonNull(restApiId, "restApiId");
    Objects.requireNonNull(stageName, "stageName");
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
    properties.finish();
    if (!REST_API_ID_FORM.matcher(restApiId).matches()) {
      throw new InvalidPropertyException(REST_API_ID, "is not a REST API id",
          "give the API's id (e.g. !Ref Api, 10 letters and digits such as a1b2c3d4e5), not its name or URL");
    }
    if (!STAGE_NAME_FORM.matcher(stageName).matches()) {
      throw new InvalidPropertyException(STAGE_NAME, "is not a stage name",
          "give the stage's name (letters, digits, '-' and '_', at most 128), e.g. !Ref Stage");
    }
    return new DefaultEndpointProperties(restApiId, stageName, disabled);
  }
}
