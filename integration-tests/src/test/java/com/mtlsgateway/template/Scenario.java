package com.mtlsgateway.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One set of parameter values for template.yaml, and what CloudFormation would make of them: which resources exist,
 * which Rules assertions fail, and the value of any property (through {@link Intrinsics}).
 *
 * <p>Starts from sample values for the required parameters and the template's defaults for the others; every
 * resource's Ref is "{LogicalId}" and its Arn "arn:aws:test:::LogicalId" unless set here for realism (see
 * {@link #values}); {@code Fn::ValueOf [PrivateSubnetIds, VpcId]} gives VpcId for every subnet unless set with
 * {@link #with}.
 */
final class Scenario {

  static final String REGION = "eu-west-1";
  static final String ACCOUNT = "111122223333";
  static final String STACK_NAME = "mtls";
  static final String STACK_ID =
      "arn:aws:cloudformation:eu-west-1:111122223333:stack/mtls/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
  static final String DOMAIN = "api.example.com";
  static final String CERTIFICATE =
      "arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555";
  static final String OWNERSHIP_CERTIFICATE =
      "arn:aws:acm:eu-west-1:111122223333:certificate/99999999-8888-7777-6666-555555555555";
  static final String IMPORTED_CERTIFICATE =
      "arn:aws:acm:eu-west-1:111122223333:certificate/0f0f0f0f-1e1e-2d2d-3c3c-4b4b4b4b4b4b";
  /** The imported certificate's NotAfter, as Custom::ImportedCertificate returns it (ISO-8601 UTC). */
  static final String IMPORTED_NOT_AFTER = "2026-06-30T23:59:59Z";
  static final String CERTIFICATE_URI = "s3://my-pki/server.pem";
  static final String PRIVATE_KEY_SECRET =
      "arn:aws:secretsmanager:eu-west-1:111122223333:secret:mtls/server-key-AbCdEf";
  static final String VPC = "vpc-0a1b2c3d4e5f60718";
  static final List<String> SUBNETS = List.of("subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829");
  static final String REST_API_ID = "a1b2c3d4e5";
  static final String VPC_LINK_ID = "vl0a1b";
  static final String NLB_DNS = "internal-mtls-nlb-0123456789abcdef.elb.eu-west-1.amazonaws.com";
  static final String EXISTING_NLB_ARN =
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/my-nlb/0123456789abcdef";
  static final String EXISTING_NLB_DNS = "internal-my-nlb-0123456789abcdef.elb.eu-west-1.amazonaws.com";
  /** The truststore bucket's name, as Truststore.TruststoreUri names it. */
  static final String TRUSTSTORE_BUCKET = "mtls-truststorebucket-1a2b3c";
  static final String TRUSTSTORE_VERSION = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY";
  /** What Custom::RevocationList returns as IndexUri (the IndexBucket and IndexKey it was given). */
  static final String REVOCATION_INDEX_URI = "s3://" + TRUSTSTORE_BUCKET + "/revocation/index.bin";
  /** The ARN of the revocation authorizer's alias (SAM's {@code RevocationAuthorizerFunction.Alias}). */
  static final String AUTHORIZER_ALIAS_ARN =
      "arn:aws:lambda:eu-west-1:111122223333:function:mtls-RevocationAuthorizerFunction-AbCdEfGhIjKl:live";
  /** An authorizer id as API Gateway makes them (Ref of the authorizer; set it with {@link #with}). */
  static final String AUTHORIZER_ID = "x1y2z3";
  /** An SNS topic of the user's (AlarmTopicArn). */
  static final String ALARM_TOPIC = "arn:aws:sns:eu-west-1:111122223333:ops-alarms";
  /** The topic the stack creates for AlarmEmail (Ref of AlarmTopic). */
  static final String CREATED_ALARM_TOPIC = "arn:aws:sns:eu-west-1:111122223333:mtls-AlarmTopic-Ab12Cd34Ef56";
  static final String ALARM_EMAIL = "ops@example.com";

  private final CfnTemplate template;
  private final Map<String, Object> given = new LinkedHashMap<>();

  private Scenario(CfnTemplate template) {
    this.template = template;
  }

  /** The required parameters with sample values (backend: TargetIps 10.0.1.10); defaults for the others. */
  static Scenario of(CfnTemplate template) {
    return new Scenario(template)
        .with("DomainName", DOMAIN)
        .with("CertificateArn", CERTIFICATE)
        .with("TruststoreSourceUri", "s3://my-pki/client-cas.pem")
        .with("VpcId", VPC)
        .with("PrivateSubnetIds", SUBNETS)
        .with("TargetIps", "10.0.1.10");
  }

  static Scenario demo(CfnTemplate template) {
    return of(template).asDemo();
  }

  static Scenario existingNlb(CfnTemplate template) {
    return of(template).withExistingNlb();
  }

  /** Backend: the demo (no TargetIps). */
  Scenario asDemo() {
    return with("TargetIps", "").with("DemoBackend", "true");
  }

  /** Revocation checks on: the given CRLs (RevocationListUris). */
  Scenario withRevocation(String revocationListUris) {
    return with("RevocationListUris", revocationListUris);
  }

  /** Backend: an existing NLB (no TargetIps). */
  Scenario withExistingNlb() {
    return with("TargetIps", "").with("ExistingNlbArn", EXISTING_NLB_ARN).with("ExistingNlbDnsName", EXISTING_NLB_DNS);
  }

  /**
   * Server certificate: CertificateUri imported by the stack (key in Secrets Manager, no chain) instead of
   * CertificateArn, with the ownership verification certificate it needs.
   */
  Scenario importing() {
    return with("CertificateArn", "").with("CertificateUri", CERTIFICATE_URI)
        .with("PrivateKeySecretArn", PRIVATE_KEY_SECRET)
        .with("OwnershipVerificationCertificateArn", OWNERSHIP_CERTIFICATE);
  }

  /** Alarm notifications to the user's topic (AlarmTopicArn). */
  Scenario withAlarmTopic() {
    return with("AlarmTopicArn", ALARM_TOPIC);
  }

  /** Alarm notifications by email (AlarmEmail: the stack creates the topic). */
  Scenario withAlarmEmail() {
    return with("AlarmEmail", ALARM_EMAIL);
  }

  /** A parameter value (a String, or a List for a list parameter), or any other value Intrinsics looks up. */
  Scenario with(String name, Object value) {
    given.put(name, value);
    return this;
  }

  /** Every value Ref, Fn::GetAtt and Fn::ValueOf can ask for in this scenario. */
  Map<String, Object> values() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("AWS::Region", REGION);
    values.put("AWS::AccountId", ACCOUNT);
    values.put("AWS::Partition", "aws");
    values.put("AWS::StackName", STACK_NAME);
    values.put("AWS::StackId", STACK_ID);
    values.put("AWS::URLSuffix", "amazonaws.com");
    template.root().path("Parameters").properties().forEach(parameter -> {
      JsonNode defaultValue = parameter.getValue().path("Default");
      if (!defaultValue.isMissingNode()) {
        values.put(parameter.getKey(), defaultValue.asText());
      }
    });
    template.root().path("Resources").fieldNames().forEachRemaining(id -> {
      values.put(id, "{" + id + "}");
      values.put(id + ".Arn", "arn:aws:test:::" + id);
    });
    values.putAll(given);
    values.put("RestApi", REST_API_ID);
    values.put("RestApi.RootResourceId", "r00tid");
    values.put("VpcLink", VPC_LINK_ID);
    values.put("Domain", values.get("DomainName"));
    values.put("ApiStage", values.get("StageName"));
    values.put("Nlb.DNSName", NLB_DNS);
    values.put("Domain.RegionalDomainName", "d-abcdef1234.execute-api.eu-west-1.amazonaws.com");
    values.put("Domain.RegionalHostedZoneId", "ZLY8HYME6SFDD");
    values.put("Truststore.TruststoreUri", "s3://" + TRUSTSTORE_BUCKET + "/truststore.pem");
    values.put("Truststore.TruststoreVersion", TRUSTSTORE_VERSION);
    values.putIfAbsent("RevocationList.IndexUri", REVOCATION_INDEX_URI);
    values.putIfAbsent("RevocationList.IndexVersion", "Wn4lG0b7xK9kQ2m1YpLzR8sT3vU6hJ5e");
    values.putIfAbsent("RevocationList.RevokedCount", "42");
    values.putIfAbsent("RevocationList.EarliestNextUpdate", "2026-07-01T00:00:00Z");
    values.putIfAbsent("RevocationAuthorizerFunction.Alias", AUTHORIZER_ALIAS_ARN);
    values.putIfAbsent("ImportedCertificate.CertificateArn", IMPORTED_CERTIFICATE);
    values.putIfAbsent("ImportedCertificate.NotAfter", IMPORTED_NOT_AFTER);
    values.put("AlarmTopic", CREATED_ALARM_TOPIC);
    if (!given.containsKey("PrivateSubnetIds.VpcId") && values.get("PrivateSubnetIds") instanceof List<?> subnets) {
      values.put("PrivateSubnetIds.VpcId", Collections.nCopies(subnets.size(), values.get("VpcId")));
    }
    return values;
  }

  Intrinsics intrinsics() {
    return Intrinsics.forTemplate(template.root(), values());
  }

  /** Whether the resource exists: it has no Condition, or its Condition is true. */
  boolean creates(String logicalId) {
    JsonNode condition = template.resource(logicalId).path("Condition");
    return condition.isMissingNode() || intrinsics().condition(condition.asText());
  }

  /** The logical ids of the resources this scenario creates. */
  Set<String> resources() {
    Intrinsics intrinsics = intrinsics();
    Set<String> created = new TreeSet<>();
    template.root().path("Resources").properties().forEach(resource -> {
      JsonNode condition = resource.getValue().path("Condition");
      if (condition.isMissingNode() || intrinsics.condition(condition.asText())) {
        created.add(resource.getKey());
      }
    });
    return created;
  }

  /** "Rule: AssertDescription" of every assertion that fails (its rule's RuleCondition being true). */
  List<String> failedRules() {
    Intrinsics intrinsics = intrinsics();
    List<String> failed = new ArrayList<>();
    template.root().path("Rules").properties().forEach(rule -> {
      JsonNode ruleCondition = rule.getValue().path("RuleCondition");
      if (ruleCondition.isMissingNode() || intrinsics.bool(ruleCondition)) {
        for (JsonNode assertion : rule.getValue().path("Assertions")) {
          if (!intrinsics.bool(assertion.path("Assert"))) {
            failed.add(rule.getKey() + ": " + assertion.path("AssertDescription").asText());
          }
        }
      }
    });
    return failed;
  }

  /** An output's value here, or a missing node when its Condition is false. */
  JsonNode output(String name) {
    JsonNode output = template.root().path("Outputs").path(name);
    if (output.isMissingNode()) {
      throw new IllegalArgumentException("no output " + name);
    }
    JsonNode condition = output.path("Condition");
    if (!condition.isMissingNode() && !intrinsics().condition(condition.asText())) {
      return MissingNode.getInstance();
    }
    return intrinsics().evaluate(output.path("Value"));
  }

  /**
   * A property of a resource as CloudFormation would see it here: Fn::If chosen, AWS::NoValue removed (a missing node
   * when the whole property is AWS::NoValue).
   */
  JsonNode property(String logicalId, String name) {
    JsonNode value = intrinsics().evaluate(template.properties(logicalId).path(name));
    return Intrinsics.isNoValue(value) ? MissingNode.getInstance() : value;
  }
}
