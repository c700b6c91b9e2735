package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluator the template tests rely on, on small templates with known answers. */
class IntrinsicsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TEMPLATE = """
      Conditions:
        IsProd: !Equals [!Ref Env, prod]
        HasList: !Not [!Equals [!Join ['', !Ref Items], '']]
        Both: !And [!Condition IsProd, !Condition HasList]
        Either: !Or [!Condition IsProd, !Condition HasList]
      Mappings:
        M:
          K:
            V: mapped
      Value:
        Plain: {Name: !If [IsProd, p, np], Gone: !If [IsProd, !Ref AWS::NoValue, kept]}
        List: [a, !If [IsProd, !Ref AWS::NoValue, b], !Select [1, !Split [',', 'x,y,z']]]
        Sub: !Sub ['${A}-${Res.Attr}-${!Literal}', {A: !FindInMap [M, K, V]}]
        Joined: !Join ['/', !Ref Items]
      """;

  @Test
  void evaluatesConditionsIfAndNoValue() throws IOException {
    JsonNode template = CfnYaml.parse(TEMPLATE);
    Intrinsics prod = Intrinsics.forTemplate(template,
        Map.of("Env", "prod", "Items", List.of("i1", "i2"), "Res.Attr", "attr"));
    assertThat(prod.evaluate(template.path("Value"))).isEqualTo(JSON.readTree("""
        {"Plain": {"Name": "p"}, "List": ["a", "y"], "Sub": "mapped-attr-${Literal}", "Joined": "i1/i2"}"""));
    assertThat(prod.condition("Both")).isTrue();

    Intrinsics dev = Intrinsics.forTemplate(template, Map.of("Env", "dev", "Items", List.of(""), "Res.Attr", "a"));
    assertThat(dev.evaluate(template.path("Value").path("Plain"))).isEqualTo(JSON.readTree("""
        {"Name": "np", "Gone": "kept"}"""));
    assertThat(dev.evaluate(template.path("Value").path("List"))).isEqualTo(JSON.readTree("[\"a\", \"b\", \"y\"]"));
    assertThat(dev.condition("HasList")).isFalse();
    assertThat(dev.condition("Both")).isFalse();
    assertThat(dev.condition("Either")).isFalse();
    assertThat(Intrinsics.isNoValue(prod.evaluate(template.path("Value").path("Plain").path("Gone")))).isTrue();
  }

  @Test
  void evaluatesRuleFunctions() throws IOException {
    JsonNode rules = CfnYaml.parse("""
        InVpc: {Fn::EachMemberEquals: [{Fn::ValueOf: [Subnets, VpcId]}, !Ref Vpc]}
        Known: {Fn::Contains: [[a, b], !Ref Letter]}
        AllKnown: {Fn::EachMemberIn: [!Ref Letters, [a, b, c]]}
        """);
    Intrinsics good = new Intrinsics(Map.of("Subnets.VpcId", List.of("v1", "v1"), "Vpc", "v1", "Letter", "a",
        "Letters", List.of("a", "c")), JSON.createObjectNode());
    Intrinsics bad = new Intrinsics(Map.of("Subnets.VpcId", List.of("v1", "v2"), "Vpc", "v1", "Letter", "z",
        "Letters", List.of("a", "z")), JSON.createObjectNode());
    for (String rule : List.of("InVpc", "Known", "AllKnown")) {
      assertThat(good.bool(rules.path(rule))).as(rule).isTrue();
      assertThat(bad.bool(rules.path(rule))).as(rule).isFalse();
    }
  }

  @Test
  void refusesWhatItCannotKnow() throws IOException {
    Intrinsics intrinsics = new Intrinsics(Map.of("A", "a"), JSON.createObjectNode());
    assertThatThrownBy(() -> intrinsics.string(CfnYaml.parse("X: !Ref B").path("X")))
        .hasMessageContaining("no value given for B");
    assertThatThrownBy(() -> intrinsics.string(CfnYaml.parse("X: !Select [2, [a, b]]").path("X")))
        .hasMessageContaining("Fn::Select index 2");
    assertThatThrownBy(() -> intrinsics.evaluate(CfnYaml.parse("X: !GetAZs ''").path("X")))
        .hasMessageContaining("cannot evaluate");
    assertThatThrownBy(() -> intrinsics.condition("Missing")).hasMessageContaining("no condition Missing");
  }
}
