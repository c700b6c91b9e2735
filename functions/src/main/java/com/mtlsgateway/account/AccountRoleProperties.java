package com.mtlsgateway.account;

import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The properties of a {@code Custom::ApiGatewayAccountRole} resource, validated.
 *
 * @param roleArn the IAM role this stack offers as the Region's API Gateway CloudWatch Logs role
 */
public record AccountRoleProperties(String roleArn) {

  public static final String ROLE_ARN = "RoleArn";

  /**
   * An IAM role ARN: any partition, a 12-digit account, an optional path and a name of the characters IAM allows
   * (IAM User Guide, "IAM identifiers" and CreateRole's RoleName and Path); IAM's own bounds (path 512, name 64) are
   * within it.
   */
  static final Pattern ROLE_ARN_FORM =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/(?:[\\x21-\\x7E]{0,510}/)?[\\w+=,.@-]{1,64}");

  public AccountRoleProperties {
    Objects.requireNonNull(roleArn, "roleArn");
  }

  /**
   * Reads and checks the properties, rejecting unknown ones.
   *
   * @throws InvalidPropertyException naming the property, the problem and the fix
   */
  public static AccountRoleProperties from(ResourceProperties properties) {
    String roleArn = properties.required(ROLE_ARN);
    properties.finish();
    if (!ROLE_ARN_FORM.matcher(roleArn).matches()) {
      throw new InvalidPropertyException(ROLE_ARN, "is not an IAM role ARN",
          "give the ARN of the role API Gateway writes logs with (e.g. !GetAtt ApiGatewayCloudWatchRole.Arn, "
              + "arn:aws:iam::111122223333:role/NAME), not its name");
    }
    return new AccountRoleProperties(roleArn);
  }
}
