package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a console user sees before anything is created: the parameter groups and labels, and the Rules. */
class RulesAndInterfaceTest {

  /** The functions CloudFormation accepts in a Rules section (intrinsic-function-reference-rules). */
  private static final Set<String> RULE_FUNCTIONS = Set.of("Ref", "Fn::And", "Fn::Contains", "Fn::EachMemberEquals",
      "Fn::EachMemberIn", "Fn::Equals", "Fn::Not", "Fn::Or", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll");

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  @Test
  void everyParameterIsInExactlyOneGroupWithALabel() {
    JsonNode console = template.root().path("Metadata").path("AWS::CloudFormation::Interface");
    Set<String> parameters = new TreeSet<>();
    template.root().path("Parameters").fieldNames().forEachRemaining(parameters::add);

    Map<String, List<String>> groups = new LinkedHashMap<>();
    List<String> grouped = new ArrayList<>();
    for (JsonNode group : console.path("ParameterGroups")) {
      List<String> members = new ArrayList<>();
      group.path("Parameters").forEach(name -> members.add(name.asText()));
      groups.put(group.path("Label").path("default").asText(), members);
      grouped.addAll(members);
    }
    assertThat(groups.keySet()).containsExactly("Domain and certificates", "Truststore",
        "Client certificate revocation", "Network and backend", "API stage and throttling", "Logging", "Alarms");
    assertThat(grouped).as("each parameter once").doesNotHaveDuplicates();
    assertThat(new TreeSet<>(grouped)).isEqualTo(parameters);
    assertThat(groups.get("Domain and certificates")).containsExactly("DomainName", "CertificateArn",
        "CertificateUri", "CertificateChainUri", "PrivateKeySecretArn", "PrivateKeyUri",
        "OwnershipVerificationCertificateArn", "HostedZoneId");
    assertThat(groups.get("Truststore")).containsExactly("TruststoreSourceUri", "AcceptTruststoreWarnings");
    assertThat(groups.get("Client certificate revocation")).containsExactly("RevocationListUris",
        "RevocationFailMode", "RevocationGracePeriodHours", "RevocationRefreshRate", "RevocationRefreshSeconds");
    assertThat(groups.get("Network and backend")).containsExactlyInAnyOrder("VpcId", "PrivateSubnetIds",
        "TargetIps", "TargetPort", "HealthCheckPath", "BackendProtocol", "BackendHostName",
        "BackendTlsSkipVerification", "ExistingNlbArn", "ExistingNlbDnsName", "DemoBackend");
    assertThat(groups.get("API stage and throttling")).contains("WebAclArn");
    assertThat(groups.get("Logging")).contains("StageLogging", "LogRetentionInDays", "LogKmsKeyArn");
    assertThat(groups.get("Alarms")).containsExactly("AlarmTopicArn", "AlarmEmail", "CertificateExpiryAlarmDays",
        "TruststoreExpiryAlarmDays", "RevocationNextUpdateAlarmHours", "Stage5xxRateAlarmPercent",
        "Stage5xxAlarmMinRequests");

    JsonNode labels = console.path("ParameterLabels");
    Set<String> labelled = new TreeSet<>();
    labels.fieldNames().forEachRemaining(labelled::add);
    assertThat(labelled).isEqualTo(parameters);
    labels.properties().forEach(label ->
        assertThat(label.getValue().path("default").asText()).as("label of %s", label.getKey()).isNotBlank());
  }

  /** Expected: the rules whose assertions fail (before ':' in {@link Scenario#failedRules}). */
  static Stream<Arguments> scenarios() {
    String otherCertificate = "arn:aws:acm:eu-west-1:111122223333:certificate/99999999-2222-3333-4444-555555555555";
    return Stream.of(
        scenario("TargetIps on a new NLB", s -> s, List.of()),
        scenario("demo backend", Scenario::asDemo, List.of()),
        scenario("existing NLB", Scenario::withExistingNlb, List.of()),
        scenario("existing NLB in another VPC than the subnets",
            s -> s.withExistingNlb().with("PrivateSubnetIds.VpcId", List.of("vpc-other", "vpc-other")), List.of()),
        scenario("ExistingNlbArn without its DNS name",
            s -> s.withExistingNlb().with("ExistingNlbDnsName", ""), List.of("ExistingNlb")),
        scenario("ExistingNlbDnsName without the ARN",
            s -> s.with("ExistingNlbDnsName", Scenario.EXISTING_NLB_DNS), List.of("ExistingNlbDnsName")),
        scenario("existing NLB and TargetIps",
            s -> s.withExistingNlb().with("TargetIps", "10.0.1.10"), List.of("ExistingNlb")),
        scenario("existing NLB and the demo",
            s -> s.withExistingNlb().with("DemoBackend", "true"), List.of("ExistingNlb")),
        scenario("a new NLB without any backend", s -> s.with("TargetIps", ""), List.of("NewNlb")),
        scenario("TargetIps and the demo", s -> s.with("DemoBackend", "true"), List.of("NewNlb")),
        scenario("a subnet of another VPC",
            s -> s.with("PrivateSubnetIds.VpcId", List.of(Scenario.VPC, "vpc-other")), List.of("NewNlb")),
        scenario("an ownership certificate",
            s -> s.with("OwnershipVerificationCertificateArn", otherCertificate), List.of()),
        scenario("the server certificate as its own ownership certificate",
            s -> s.with("OwnershipVerificationCertificateArn", Scenario.CERTIFICATE),
            List.of("OwnershipVerificationCertificate")),
        scenario("an import with its key in Secrets Manager", Scenario::importing, List.of()),
        scenario("an import with its key and chain in S3",
            s -> s.importing().with("PrivateKeySecretArn", "").with("PrivateKeyUri", "s3://my-keys/server.key")
                .with("CertificateChainUri", "s3://my-pki/chain.pem"), List.of()),
        scenario("neither CertificateArn nor CertificateUri",
            s -> s.with("CertificateArn", ""), List.of("CertificateSource")),
        scenario("both CertificateArn and CertificateUri",
            s -> s.importing().with("CertificateArn", Scenario.CERTIFICATE), List.of("CertificateSource")),
        scenario("an import without a private key",
            s -> s.importing().with("PrivateKeySecretArn", ""), List.of("CertificateImport")),
        scenario("an import with two private keys",
            s -> s.importing().with("PrivateKeyUri", "s3://my-keys/server.key"), List.of("CertificateImport")),
        scenario("an import without the ownership certificate",
            s -> s.importing().with("OwnershipVerificationCertificateArn", ""), List.of("CertificateImport")),
        scenario("a key without CertificateUri",
            s -> s.with("PrivateKeySecretArn", Scenario.PRIVATE_KEY_SECRET), List.of("CertificateArnNotImported")),
        scenario("a chain without CertificateUri",
            s -> s.with("CertificateChainUri", "s3://my-pki/chain.pem"), List.of("CertificateArnNotImported")),
        scenario("alarms to a topic", Scenario::withAlarmTopic, List.of()),
        scenario("alarms by email", Scenario::withAlarmEmail, List.of()),
        scenario("alarms to a topic and by email",
            s -> s.withAlarmTopic().withAlarmEmail(), List.of("AlarmDestination")),
        scenario("HTTPS to the backend", s -> s.with("BackendProtocol", "HTTPS")
            .with("BackendHostName", "backend.example.com"), List.of()),
        scenario("HTTPS skipping verification", s -> s.with("BackendProtocol", "HTTPS")
            .with("BackendHostName", "backend.example.com").with("BackendTlsSkipVerification", "true"), List.of()),
        scenario("HTTPS without BackendHostName", s -> s.with("BackendProtocol", "HTTPS"), List.of("BackendHttps")),
        scenario("HTTPS with the demo", s -> s.asDemo().with("BackendProtocol", "HTTPS")
            .with("BackendHostName", "backend.example.com"), List.of("BackendHttps")),
        scenario("BackendHostName with HTTP", s -> s.with("BackendHostName", "backend.example.com"),
            List.of("BackendHttp")),
        scenario("skipping verification with HTTP", s -> s.with("BackendTlsSkipVerification", "true"),
            List.of("BackendHttp")));
  }

  private static Arguments scenario(String name, UnaryOperator<Scenario> change, List<String> failing) {
    return Arguments.of(name, change, failing);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void rulesRefuseInconsistentParameters(String name, UnaryOperator<Scenario> change, List<String> failing) {
    Scenario scenario = change.apply(Scenario.of(template));
    List<String> rules = scenario.failedRules().stream().map(failed -> failed.substring(0, failed.indexOf(':')))
        .toList();
    assertThat(rules).as("%s: %s", name, scenario.failedRules()).containsExactlyElementsOf(failing);
  }

  /** Each failing assertion says what to do, in the user's terms (the parameter names). */
  @Test
  void everyAssertionExplainsItself() {
    JsonNode rules = template.root().path("Rules");
    assertThat(rules.size()).isGreaterThanOrEqualTo(4);
    rules.properties().forEach(rule -> {
      assertThat(rule.getValue().path("Assertions")).as(rule.getKey()).isNotEmpty();
      for (JsonNode assertion : rule.getValue().path("Assertions")) {
        assertThat(assertion.path("AssertDescription").asText()).as(rule.getKey()).isNotBlank()
            .containsAnyOf("TargetIps", "DemoBackend", "ExistingNlb", "PrivateSubnetIds",
                "OwnershipVerificationCertificateArn", "CertificateArn", "CertificateUri", "PrivateKeySecretArn",
                "AlarmTopicArn", "BackendProtocol");
      }
      assertOnlyRuleFunctions(rule.getKey(), rule.getValue());
    });
  }

  /** Said plainly where the user decides: an imported certificate always needs the ownership certificate. */
  @Test
  void anImportedCertificateSaysItNeedsTheOwnershipCertificate() {
    List<String> failed = Scenario.of(template).importing().with("OwnershipVerificationCertificateArn", "")
        .failedRules();
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0)).contains("imported certificate (CertificateUri) always needs "
        + "OwnershipVerificationCertificateArn");
    for (String parameter : List.of("CertificateUri", "OwnershipVerificationCertificateArn")) {
      assertThat(template.parameter(parameter).path("Description").asText()).as(parameter)
          .containsPattern("(always needs|Required when the stack imports your certificate)");
    }
  }

  private static void assertOnlyRuleFunctions(String rule, JsonNode node) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().equals("Ref") || field.getKey().startsWith("Fn::") || field.getKey().equals("Condition")) {
          assertThat(RULE_FUNCTIONS).as("%s uses %s", rule, field.getKey()).contains(field.getKey());
        }
        assertOnlyRuleFunctions(rule, field.getValue());
      });
    } else if (node.isArray()) {
      node.forEach(element -> assertOnlyRuleFunctions(rule, element));
    }
  }
}
