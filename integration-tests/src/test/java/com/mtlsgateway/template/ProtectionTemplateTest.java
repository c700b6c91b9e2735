package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WebAclArn (an AWS WAF web ACL on the stage) and LogKmsKeyArn (a KMS key on every log group). */
class ProtectionTemplateTest {

  private static final String WEB_ACL =
      "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mtls-gateway/a1b2c3d4-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
  private static final String KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  private static boolean allowed(String parameter, String value) {
    return Pattern.matches(template.parameter(parameter).path("AllowedPattern").asText(), value);
  }

  @Test
  void noWebAclByDefault() {
    assertThat(template.parameter("WebAclArn").path("Default").asText()).isEmpty();
    assertThat(Scenario.of(template).resources()).doesNotContain("WebAclAssociation");
  }

  /** The association's ResourceArn is the stage's, in the form AWS WAF documents for API Gateway REST API stages. */
  @Test
  void aWebAclIsAssociatedWithTheStage() {
    Scenario scenario = Scenario.of(template).with("WebAclArn", WEB_ACL).with("StageName", "live");
    assertThat(allowed("WebAclArn", WEB_ACL)).isTrue();
    assertThat(scenario.failedRules()).isEmpty();
    assertThat(scenario.resources()).contains("WebAclAssociation");
    assertThat(template.type("WebAclAssociation")).isEqualTo("AWS::WAFv2::WebACLAssociation");
    assertThat(scenario.property("WebAclAssociation", "WebACLArn").asText()).isEqualTo(WEB_ACL);
    assertThat(scenario.property("WebAclAssociation", "ResourceArn").asText())
        .isEqualTo("arn:aws:apigateway:eu-west-1::/restapis/" + Scenario.REST_API_ID + "/stages/live");
    assertThat(template.properties("WebAclAssociation").path("ResourceArn").toString())
        .as("the stage resource, so the association follows it").contains("${ApiStage}");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // CloudFront scope: cannot be associated with a Regional API.
      "arn:aws:wafv2:us-east-1:111122223333:global/webacl/mtls-gateway/a1b2c3d4-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
      // AWS WAF Classic.
      "arn:aws:waf-regional:eu-west-1:111122223333:webacl/a1b2c3d4-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
      // A rule group, not a web ACL.
      "arn:aws:wafv2:eu-west-1:111122223333:regional/rulegroup/mine/a1b2c3d4-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
      "mtls-gateway",
      "a1b2c3d4-5e6f-4a8b-9c0d-1e2f3a4b5c6d"})
  void webAclArnMustBeARegionalWebAcl(String value) {
    assertThat(allowed("WebAclArn", value)).isFalse();
    assertThat(template.parameter("WebAclArn").path("ConstraintDescription").asText())
        .contains("REGIONAL").contains("--scope REGIONAL").contains("aws wafv2 list-web-acls");
  }

  @Test
  void logGroupsUseCloudWatchLogsDefaultEncryptionByDefault() {
    assertThat(template.parameter("LogKmsKeyArn").path("Default").asText()).isEmpty();
    Scenario scenario = everyLogGroup(Scenario.of(template));
    template.resourcesOfType("AWS::Logs::LogGroup").keySet().forEach(id ->
        assertThat(scenario.property(id, "KmsKeyId").isMissingNode()).as(id).isTrue());
  }

  /** Every log group of the template, whatever creates it: a group added without the key fails here. */
  @Test
  void aKeyEncryptsEveryLogGroup() {
    Scenario scenario = everyLogGroup(Scenario.of(template).with("LogKmsKeyArn", KMS_KEY));
    assertThat(allowed("LogKmsKeyArn", KMS_KEY)).isTrue();
    assertThat(scenario.failedRules()).isEmpty();
    Map<String, JsonNode> groups = template.resourcesOfType("AWS::Logs::LogGroup");
    assertThat(groups).containsKeys("AccessLogGroup", "ExecutionLogGroup", "TruststoreLogGroup",
        "CertificateLogGroup", "RevocationAuthorizerLogGroup");
    groups.keySet().forEach(id -> {
      assertThat(scenario.property(id, "KmsKeyId").asText()).as(id).isEqualTo(KMS_KEY);
      assertThat(scenario.property(id, "RetentionInDays").asText()).as("%s keeps LogRetentionInDays", id)
          .isEqualTo("30");
    });
  }

  @Test
  void aMultiRegionKeyArnIsAccepted() {
    assertThat(allowed("LogKmsKeyArn", "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"))
        .isTrue();
  }

  /** CloudWatch Logs takes only a key ARN (AWS::Logs::LogGroup KmsKeyId). */
  @ParameterizedTest
  @ValueSource(strings = {
      "alias/mtls-logs",
      "arn:aws:kms:eu-west-1:111122223333:alias/mtls-logs",
      "1234abcd-12ab-34cd-56ef-1234567890ab",
      "arn:aws:kms:eu-west-1:111122223333:key/not-a-key"})
  void logKmsKeyArnMustBeAKeyArn(String value) {
    assertThat(allowed("LogKmsKeyArn", value)).isFalse();
    assertThat(template.parameter("LogKmsKeyArn").path("ConstraintDescription").asText())
        .contains("aws kms describe-key --key-id alias/NAME --query KeyMetadata.Arn");
  }

  /** Parameters under which every conditional log group exists (imported certificate, revocation, demo, logs). */
  private static Scenario everyLogGroup(Scenario scenario) {
    return scenario.importing().asDemo().withRevocation("s3://my-pki/ca.crl")
        .with("StageLogging", "ACCESS_AND_EXECUTION");
  }
}
