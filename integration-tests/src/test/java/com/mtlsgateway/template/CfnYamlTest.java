package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class CfnYamlTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shortFormsBecomeLongForms() throws IOException {
    JsonNode yaml = CfnYaml.parse("""
        A: !Ref Param
        B: !GetAtt Resource.Outputs.Name
        C: !Sub ['arn:${AWS::Partition}:s3:::${Key}', {Key: !Select [0, !Split ['?', !Ref U]]}]
        D: !If [HasIt, !Ref Param, !Ref AWS::NoValue]
        E: !Not [!Equals [!Ref Param, '']]
        F: !And [!Condition One, !Or [!Condition Two, !Condition Three]]
        G: !Join ['', [a, !FindInMap [M, K, V]]]
        H: !Base64 text
        I: !GetAtt [Resource, Arn]
        """);
    JsonNode json = JSON.readTree("""
        {"A": {"Ref": "Param"},
         "B": {"Fn::GetAtt": ["Resource", "Outputs.Name"]},
         "C": {"Fn::Sub": ["arn:${AWS::Partition}:s3:::${Key}",
                           {"Key": {"Fn::Select": [0, {"Fn::Split": ["?", {"Ref": "U"}]}]}}]},
         "D": {"Fn::If": ["HasIt", {"Ref": "Param"}, {"Ref": "AWS::NoValue"}]},
         "E": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Param"}, ""]}]},
         "F": {"Fn::And": [{"Condition": "One"}, {"Fn::Or": [{"Condition": "Two"}, {"Condition": "Three"}]}]},
         "G": {"Fn::Join": ["", ["a", {"Fn::FindInMap": ["M", "K", "V"]}]]},
         "H": {"Fn::Base64": "text"},
         "I": {"Fn::GetAtt": ["Resource", "Arn"]}}
        """);
    assertThat(yaml).isEqualTo(json);
  }

  @Test
  void scalarsKeepTheirYamlTypes() throws IOException {
    JsonNode yaml = CfnYaml.parse("""
        Version: '2012-10-17'
        Timeout: 300
        Enabled: true
        Explicit: !!str 5
        Empty: ''
        """);
    assertThat(yaml.get("Version").isTextual()).isTrue();
    assertThat(yaml.get("Timeout").intValue()).isEqualTo(300);
    assertThat(yaml.get("Enabled").booleanValue()).isTrue();
    assertThat(yaml.get("Explicit").textValue()).isEqualTo("5");
    assertThat(yaml.get("Empty").textValue()).isEmpty();
  }

  @Test
  void rejectsWhatCloudFormationRejects() {
    assertThatThrownBy(() -> CfnYaml.parse("A: !Reff X\n"))
        .hasMessageContaining("unknown tag !Reff").hasMessageContaining("line 1");
    assertThatThrownBy(() -> CfnYaml.parse("A: 1\nB: 2\nA: 3\n"))
        .hasMessageContaining("duplicate key \"A\"").hasMessageContaining("line 3");
    assertThatThrownBy(() -> CfnYaml.parse("A: !GetAtt NoDot\n"))
        .hasMessageContaining("not Resource.Attribute");
    assertThatThrownBy(() -> CfnYaml.parse("A: 1\n---\nB: 2\n"))
        .hasMessageContaining("more than one YAML document");
  }
}
