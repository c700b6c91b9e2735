package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The private side of template.yaml: the internal NLB (or an existing one), the VPC link, the demo backend. */
class NetworkTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Resources that exist only for one kind of backend (everything else exists in every scenario). */
  private static final Set<String> NEW_NLB = Set.of("NlbSecurityGroup", "Nlb", "NlbListener");
  private static final Set<String> IP_TARGETS = Set.of("NlbIpTargetGroup");
  private static final Set<String> DEMO = Set.of("DemoAlbSecurityGroup", "DemoAlbIngressFromNlb", "DemoAlb",
      "DemoAlbListener", "NlbDemoTargetGroup", "DemoLambdaTargetGroup", "DemoBackendInvokePermission",
      "DemoBackendLogGroup", "DemoBackendFunctionRole", "DemoBackendFunction");

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  @Test
  void nlbIsInternalWithCrossZoneLoadBalancing() {
    assertThat(template.type("Nlb")).isEqualTo("AWS::ElasticLoadBalancingV2::LoadBalancer");
    JsonNode nlb = template.properties("Nlb");
    assertThat(nlb.path("Type").asText()).isEqualTo("network");
    assertThat(nlb.path("Scheme").asText()).isEqualTo("internal");
    assertThat(nlb.path("LoadBalancerAttributes")).contains(json("""
        {"Key": "load_balancing.cross_zone.enabled", "Value": "true"}"""));
    assertThat(Scenario.of(template).property("Nlb", "Subnets")).isEqualTo(JSON.valueToTree(Scenario.SUBNETS));
  }

  /** Rules cannot count list items: a single subnet must fail the NLB rather than make a one-zone NLB. */
  @Test
  void nlbRefusesASingleSubnet() {
    Scenario oneSubnet = Scenario.of(template).with("PrivateSubnetIds", List.of(Scenario.SUBNETS.get(0)));
    assertThat(oneSubnet.intrinsics().condition("HasTwoPrivateSubnets")).isFalse();
    assertThatThrownBy(() -> oneSubnet.property("Nlb", "Subnets")).hasMessageContaining("Fn::Select index 1");
    assertThat(Scenario.of(template).intrinsics().condition("HasTwoPrivateSubnets")).isTrue();
    assertThat(Scenario.of(template).with("PrivateSubnetIds", List.of("subnet-a", "subnet-b", "subnet-c"))
        .intrinsics().condition("HasTwoPrivateSubnets")).isTrue();
  }

  /**
   * The VPC link (PrivateLink) is the only way in: the NLB's security group has no ingress rule, and inbound rules
   * are not evaluated for PrivateLink traffic. Egress is limited to the targets' port.
   */
  @Test
  void nlbIsReachableOnlyThroughTheVpcLink() {
    JsonNode nlb = template.properties("Nlb");
    assertThat(nlb.path("SecurityGroups")).isEqualTo(json("[{\"Ref\": \"NlbSecurityGroup\"}]"));
    assertThat(nlb.path("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic").asText()).isEqualTo("off");
    assertThat(template.properties("NlbSecurityGroup").has("SecurityGroupIngress")).isFalse();
    template.resourcesOfType("AWS::EC2::SecurityGroupIngress").forEach((id, ingress) ->
        assertThat(ingress.path("Properties").path("GroupId")).as(id)
            .isNotEqualTo(json("{\"Ref\": \"NlbSecurityGroup\"}")));

    JsonNode ipEgress = Scenario.of(template).with("TargetPort", "8080").property("NlbSecurityGroup",
        "SecurityGroupEgress");
    assertThat(ipEgress).hasSize(1);
    assertThat(ipEgress.get(0).path("IpProtocol").asText()).isEqualTo("tcp");
    assertThat(ipEgress.get(0).path("FromPort").asText()).isEqualTo("8080");
    assertThat(ipEgress.get(0).path("ToPort").asText()).isEqualTo("8080");
    assertThat(ipEgress.get(0).path("CidrIp").asText()).isEqualTo("10.0.1.10/32");

    JsonNode demoEgress = Scenario.demo(template).property("NlbSecurityGroup", "SecurityGroupEgress");
    assertThat(demoEgress).hasSize(1);
    assertThat(demoEgress.get(0).path("DestinationSecurityGroupId").asText()).isEqualTo("{DemoAlbSecurityGroup}");
    assertThat(demoEgress.get(0).path("FromPort").asInt()).isEqualTo(80);
  }

  /** Egress names each target: one rule per TargetIps entry, as IP/32 on TargetPort (the health checks' port too). */
  @Test
  void nlbEgressGoesToEachTargetAddressOnly() {
    for (List<String> ips : List.of(List.of("10.0.1.10", "10.0.2.10"),
        List.of("10.0.1.10", "10.0.2.10", "10.0.3.10", "10.0.4.10", "10.0.5.10"))) {
      Scenario scenario = Scenario.of(template).with("TargetIps", String.join(",", ips)).with("TargetPort", "8443");
      JsonNode egress = scenario.property("NlbSecurityGroup", "SecurityGroupEgress");
      assertThat(egress).as("%s", ips).hasSize(ips.size());
      for (int i = 0; i < ips.size(); i++) {
        assertThat(egress.get(i).path("CidrIp").asText()).isEqualTo(ips.get(i) + "/32");
        assertThat(egress.get(i).path("IpProtocol").asText()).isEqualTo("tcp");
        assertThat(egress.get(i).path("FromPort").asText()).isEqualTo("8443");
        assertThat(egress.get(i).path("ToPort").asText()).isEqualTo("8443");
      }
      assertThat(scenario.property("NlbIpTargetGroup", "HealthCheckPort").asText()).isEqualTo("traffic-port");
    }
    assertThat(Scenario.existingNlb(template).resources()).doesNotContain("NlbSecurityGroup");
  }

  @Test
  void listenerForwardsTcpOnTargetPortToTheBackendsTargetGroup() {
    JsonNode listener = template.properties("NlbListener");
    assertThat(listener.path("LoadBalancerArn")).isEqualTo(json("{\"Ref\": \"Nlb\"}"));
    assertThat(listener.path("Protocol").asText()).isEqualTo("TCP");
    assertThat(listener.path("Port")).isEqualTo(json("{\"Ref\": \"TargetPort\"}"));
    assertThat(listener.path("DefaultActions")).hasSize(1);
    assertThat(listener.path("DefaultActions").get(0).path("Type").asText()).isEqualTo("forward");
    assertThat(Scenario.of(template).property("NlbListener", "DefaultActions").get(0).path("TargetGroupArn").asText())
        .isEqualTo("{NlbIpTargetGroup}");
    assertThat(Scenario.demo(template).property("NlbListener", "DefaultActions").get(0).path("TargetGroupArn")
        .asText()).isEqualTo("{NlbDemoTargetGroup}");
  }

  @Test
  void ipTargetGroupChecksTheBackendOverHttp() {
    JsonNode group = template.properties("NlbIpTargetGroup");
    assertThat(group.path("TargetType").asText()).isEqualTo("ip");
    assertThat(group.path("Protocol").asText()).isEqualTo("TCP");
    assertThat(group.path("Port")).isEqualTo(json("{\"Ref\": \"TargetPort\"}"));
    assertThat(group.path("VpcId")).isEqualTo(json("{\"Ref\": \"VpcId\"}"));
    assertThat(group.path("HealthCheckEnabled").asBoolean()).isTrue();
    assertThat(Scenario.of(template).property("NlbIpTargetGroup", "HealthCheckProtocol").asText()).isEqualTo("HTTP");
    assertThat(group.path("HealthCheckPath")).isEqualTo(json("{\"Ref\": \"HealthCheckPath\"}"));
  }

  /**
   * CloudFormation cannot map a list to target objects: each of the up to five addresses has a slot, and exactly the
   * given addresses are registered. Fn::Select does not check bounds, and whether CloudFormation evaluates the branch
   * of Fn::If it does not choose is not documented: every slot's Fn::Select, chosen or not, stays within the (padded)
   * list and gives its address or "".
   */
  @ParameterizedTest
  @ValueSource(strings = {"10.0.1.10", "10.0.1.10,10.0.2.10", "10.0.1.10,10.0.2.10,10.0.3.10",
      "10.0.1.10,10.0.2.10,10.0.3.10,10.0.4.10", "10.0.1.10,10.0.2.10,10.0.3.10,10.0.4.10,192.168.255.254"})
  void everyTargetIpIsRegistered(String targetIps) {
    assertThat(targetIps).matches(template.parameter("TargetIps").path("AllowedPattern").asText());
    List<String> ips = List.of(targetIps.split(","));
    List<JsonNode> expected = new ArrayList<>();
    for (String ip : ips) {
      expected.add(JSON.createObjectNode().put("Id", ip));
    }
    Scenario scenario = Scenario.of(template).with("TargetIps", targetIps);
    assertThat(scenario.property("NlbIpTargetGroup", "Targets")).isEqualTo(JSON.valueToTree(expected));

    List<JsonNode> selects = functions(template.properties("NlbIpTargetGroup").path("Targets"), "Fn::Select");
    assertThat(selects).as("one Fn::Select per slot").hasSize(5);
    Intrinsics intrinsics = scenario.intrinsics();
    for (int slot = 0; slot < selects.size(); slot++) {
      JsonNode select = selects.get(slot);
      assertThat(intrinsics.string(select)).as("slot %d: %s", slot, select)
          .isEqualTo(slot < ips.size() ? ips.get(slot) : "");
    }
  }

  @Test
  void eachBackendCreatesItsOwnResources() {
    Set<String> always = new TreeSet<>(Scenario.existingNlb(template).resources());
    assertThat(always).doesNotContainAnyElementsOf(union(NEW_NLB, IP_TARGETS, DEMO))
        .contains("VpcLink", "RestApi", "ApiStage", "Domain", "BasePathMapping", "Truststore");

    assertThat(Scenario.of(template).resources()).isEqualTo(union(always, NEW_NLB, IP_TARGETS));
    assertThat(Scenario.demo(template).resources()).isEqualTo(union(always, NEW_NLB, DEMO));
  }

  /** The article's case: the user's own NLB. Only the VPC link is created, and the URI points at that NLB. */
  @Test
  void anExistingNlbGetsOnlyAVpcLink() {
    Scenario existing = Scenario.existingNlb(template).with("TargetPort", "8443");
    assertThat(template.type("VpcLink")).isEqualTo("AWS::ApiGateway::VpcLink");
    assertThat(existing.property("VpcLink", "TargetArns")).isEqualTo(json("[\"" + Scenario.EXISTING_NLB_ARN + "\"]"));
    assertThat(existing.property("ApiStage", "Variables").path("nlbEndpoint").asText())
        .isEqualTo(Scenario.EXISTING_NLB_DNS + ":8443");
    assertThat(Scenario.of(template).property("VpcLink", "TargetArns")).isEqualTo(json("[\"{Nlb}\"]"));
  }

  /** NLB -> (target type alb, TCP 80) -> internal ALB :80 -> Lambda target group -> the demo function. */
  @Test
  void demoBackendIsAnAlbWithALambdaTargetBehindTheNlb() {
    JsonNode nlbTargets = template.properties("NlbDemoTargetGroup");
    assertThat(nlbTargets.path("TargetType").asText()).isEqualTo("alb");
    assertThat(nlbTargets.path("Protocol").asText()).isEqualTo("TCP");
    assertThat(nlbTargets.path("Port").asInt()).isEqualTo(80);
    assertThat(nlbTargets.path("Targets")).isEqualTo(json("[{\"Id\": {\"Ref\": \"DemoAlb\"}, \"Port\": 80}]"));
    assertThat(nlbTargets.path("HealthCheckProtocol").asText()).isEqualTo("HTTP");
    assertThat(nlbTargets.path("HealthCheckPath").asText()).isEqualTo("/healthcheck");
    assertThat(template.dependsOn("NlbDemoTargetGroup")).as("the ALB has its listener before it is registered")
        .contains("DemoAlbListener");

    JsonNode alb = template.properties("DemoAlb");
    assertThat(alb.path("Type").asText()).isEqualTo("application");
    assertThat(alb.path("Scheme").asText()).isEqualTo("internal");
    assertThat(alb.path("Subnets")).isEqualTo(json("{\"Ref\": \"PrivateSubnetIds\"}"));
    JsonNode albListener = template.properties("DemoAlbListener");
    assertThat(albListener.path("LoadBalancerArn")).isEqualTo(json("{\"Ref\": \"DemoAlb\"}"));
    assertThat(albListener.path("Port").asInt()).isEqualTo(80);
    assertThat(albListener.path("DefaultActions").get(0).path("TargetGroupArn"))
        .isEqualTo(json("{\"Ref\": \"DemoLambdaTargetGroup\"}"));

    JsonNode ingress = template.properties("DemoAlbIngressFromNlb");
    assertThat(ingress.path("GroupId")).isEqualTo(json("{\"Ref\": \"DemoAlbSecurityGroup\"}"));
    assertThat(ingress.path("SourceSecurityGroupId")).isEqualTo(json("{\"Ref\": \"NlbSecurityGroup\"}"));
    assertThat(ingress.path("FromPort").asInt()).isEqualTo(80);
    assertThat(ingress.path("ToPort").asInt()).isEqualTo(80);
    assertThat(template.properties("DemoAlbSecurityGroup").has("SecurityGroupIngress")).isFalse();

    JsonNode lambdaTargets = template.properties("DemoLambdaTargetGroup");
    assertThat(lambdaTargets.path("TargetType").asText()).isEqualTo("lambda");
    assertThat(lambdaTargets.path("Targets"))
        .isEqualTo(json("[{\"Id\": {\"Fn::GetAtt\": [\"DemoBackendFunction\", \"Arn\"]}}]"));
    assertThat(template.properties("DemoBackendFunction").path("Handler").asText())
        .isEqualTo("com.mtlsgateway.demo.HealthCheckHandler::handleRequest");
  }

  /**
   * The target group registers the function only if the invoke permission exists, so the permission comes first and
   * names the group's ARN before it exists: by its name, which must therefore be fixed, unique to the stack, and
   * within ELB's 32 characters.
   */
  @Test
  void demoFunctionMayBeInvokedOnlyByItsTargetGroup() {
    assertThat(template.dependsOn("DemoLambdaTargetGroup")).contains("DemoBackendInvokePermission");
    JsonNode permission = template.properties("DemoBackendInvokePermission");
    assertThat(permission.path("Action").asText()).isEqualTo("lambda:InvokeFunction");
    assertThat(permission.path("Principal").asText()).isEqualTo("elasticloadbalancing.amazonaws.com");
    assertThat(permission.path("FunctionName")).isEqualTo(json("{\"Fn::GetAtt\": [\"DemoBackendFunction\", \"Arn\"]}"));
    assertThat(permission.path("SourceAccount")).isEqualTo(json("{\"Ref\": \"AWS::AccountId\"}"));

    Scenario demo = Scenario.demo(template);
    String name = demo.property("DemoLambdaTargetGroup", "Name").asText();
    assertThat(name).isEqualTo("mtls-demo-1a2b3c4d").hasSizeLessThanOrEqualTo(32).matches("[A-Za-z0-9-]+");
    assertThat(demo.property("DemoBackendInvokePermission", "SourceArn").asText())
        .isEqualTo("arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/" + name + "/*");
  }

  /**
   * An ExistingNlbArn must meet what API Gateway requires of a VPC link's NLB (set-up-nlb-for-vpclink-using-console):
   * no security groups, or inbound rules not enforced on PrivateLink traffic; and one NLB serves one VPC link.
   */
  @Test
  void existingNlbDescriptionGivesWhatApiGatewayRequires() {
    assertThat(template.parameter("ExistingNlbArn").path("Description").asText()).contains(
        "It must have no security groups, or have \"Enforce inbound rules on PrivateLink traffic\" turned off",
        "`aws elbv2 set-security-groups --load-balancer-arn ARN --security-groups ITS_GROUP_IDS"
            + " --enforce-security-group-inbound-rules-on-private-link-traffic off`",
        "must not already serve another VPC link", "two stacks cannot share one NLB");
  }

  /** Every {@code {name: ...}} function object inside a node, in document order (not looking inside a match). */
  private static List<JsonNode> functions(JsonNode node, String name) {
    List<JsonNode> found = new ArrayList<>();
    if (node.isObject() && node.size() == 1 && node.has(name)) {
      found.add(node);
    } else {
      node.forEach(child -> found.addAll(functions(child, name)));
    }
    return found;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> union = new TreeSet<>();
    for (Set<String> set : sets) {
      union.addAll(set);
    }
    return union;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
