package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** samconfig.toml: the deploy settings, and its commented parameter_overrides examples against template.yaml. */
class SamConfigTest {

  private static final Pattern SETTING = Pattern.compile("^([a-z0-9_]+)\\s*=\\s*(.+)$");
  private static final Pattern EXAMPLE = Pattern.compile("^#\\s*parameter_overrides\\s*=\\s*\"(.*)\"$");
  private static final Pattern OVERRIDE = Pattern.compile("([A-Za-z0-9]+)=\\\\\"([^\"\\\\]*)\\\\\"");

  private static CfnTemplate template;
  /** "table.key" -> raw TOML value, for the uncommented settings. */
  private static final Map<String, String> settings = new LinkedHashMap<>();
  private static final List<String> examples = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
    String table = "";
    for (String line : Files.readAllLines(CfnTemplate.projectRoot().resolve("samconfig.toml"))) {
      String trimmed = line.trim();
      Matcher example = EXAMPLE.matcher(trimmed);
      if (example.matches()) {
        examples.add(example.group(1));
      } else if (trimmed.startsWith("[")) {
        table = trimmed.substring(1, trimmed.length() - 1);
      } else if (!trimmed.startsWith("#")) {
        Matcher setting = SETTING.matcher(trimmed);
        if (setting.matches()) {
          settings.put(table.isEmpty() ? setting.group(1) : table + "." + setting.group(1), setting.group(2));
        }
      }
    }
  }

  @Test
  void deploysWithExactlyTheCapabilitiesTheTemplateNeeds() {
    assertThat(settings.get("version")).isEqualTo("0.1");
    assertThat(settings.get("default.build.parameters.cached")).isEqualTo("true");
    assertThat(settings.get("default.build.parameters.parallel")).isEqualTo("true");
    assertThat(settings.get("default.deploy.parameters.confirm_changeset")).isEqualTo("true");
    assertThat(settings.get("default.deploy.parameters.resolve_s3")).isEqualTo("true");

    Set<String> needed = new TreeSet<>();
    template.root().path("Resources").properties().forEach(resource -> {
      String type = resource.getValue().path("Type").asText();
      if (type.startsWith("AWS::IAM::")) {
        needed.add(resource.getValue().path("Properties").has("RoleName") ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
      }
    });
    assertThat(needed).isNotEmpty();
    String capabilities = settings.get("default.deploy.parameters.capabilities").replace("\"", "");
    assertThat(new TreeSet<>(Arrays.asList(capabilities.split("\\s+")))).isEqualTo(needed);
  }

  /**
   * Each commented example is one a user can uncomment: it names only template parameters, with values their
   * constraints accept, gives every required one, and passes the template's Rules.
   */
  @Test
  void everyParameterOverridesExampleIsValid() {
    assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
    Set<String> backends = new TreeSet<>();
    for (String example : examples) {
      Map<String, String> overrides = new LinkedHashMap<>();
      Matcher override = OVERRIDE.matcher(example);
      while (override.find()) {
        overrides.put(override.group(1), override.group(2));
      }
      assertThat(overrides).as(example).isNotEmpty();
      Scenario scenario = Scenario.of(template).with("TargetIps", "").with("CertificateArn", "");
      overrides.forEach((name, value) -> {
        JsonNode parameter = template.parameter(name);
        if (parameter.has("AllowedPattern")) {
          assertThat(value).as("%s in %s", name, example).matches(parameter.path("AllowedPattern").asText());
        }
        if (parameter.has("AllowedValues")) {
          List<String> allowed = new ArrayList<>();
          parameter.path("AllowedValues").forEach(allowedValue -> allowed.add(allowedValue.asText()));
          assertThat(allowed).as("%s in %s", name, example).contains(value);
        }
        scenario.with(name, parameter.path("Type").asText().startsWith("List<") ? List.of(value.split(",")) : value);
      });
      template.root().path("Parameters").properties().forEach(parameter -> {
        if (!parameter.getValue().has("Default")) {
          assertThat(overrides).as("required %s in %s", parameter.getKey(), example).containsKey(parameter.getKey());
        }
      });
      assertThat(scenario.failedRules()).as(example).isEmpty();
      backends.add(overrides.containsKey("ExistingNlbArn") ? "existing" : overrides.containsKey("TargetIps") ? "ips"
          : "demo");
    }
    assertThat(backends).containsExactlyInAnyOrder("existing", "ips", "demo");
    assertThat(examples).as("an example that imports the certificate")
        .anyMatch(example -> example.contains("CertificateUri=") && !example.matches("(.*\\s)?CertificateArn=.*"));
  }
}
