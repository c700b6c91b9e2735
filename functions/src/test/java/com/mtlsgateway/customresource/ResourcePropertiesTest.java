package com.mtlsgateway.customresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourcePropertiesTest {

  @Test
  void requiredAndOptionalReadStrings() {
    ResourceProperties properties = properties("{\"Name\": \"alpha\", \"Empty\": \"\"}");

    assertThat(properties.required("Name")).isEqualTo("alpha");
    assertThat(properties.optional("Name")).contains("alpha");
    assertThat(properties.optional("Absent")).isEmpty();
    assertThat(properties.optional("Empty")).as("an unset parameter arrives as \"\"").isEmpty();
  }

  @Test
  void missingRequiredPropertyIsNamed() {
    assertThatThrownBy(() -> properties("{\"Other\": \"x\"}").required("Name"))
        .isInstanceOfSatisfying(InvalidPropertyException.class,
            e -> assertThat(e.property()).isEqualTo("Name"))
        .hasMessage("Property Name is required: set it in the resource's Properties");
  }

  @Test
  void emptyRequiredPropertyIsMissing() {
    assertThatThrownBy(() -> properties("{\"Name\": \"\"}").required("Name"))
        .hasMessageStartingWith("Property Name is required");
  }

  @Test
  void listWhereAStringIsExpectedIsRejected() {
    assertThatThrownBy(() -> properties("{\"Name\": [\"a\", \"b\"]}").required("Name"))
        .hasMessageStartingWith("Property Name must be a string, not a list");
  }

  @Test
  void flagAcceptsTheStringsCloudFormationSends() {
    ResourceProperties properties = properties("{\"On\": \"true\", \"Off\": \"false\"}");

    assertThat(properties.flag("On", false)).isTrue();
    assertThat(properties.flag("Off", true)).isFalse();
    assertThat(properties.flag("Absent", true)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRUE", "yes", "1", "False "})
  void flagRejectsAnythingElseNamingIt(String value) {
    ResourceProperties properties = properties("{\"AcceptWarnings\": \"" + value + "\"}");

    assertThatThrownBy(() -> properties.flag("AcceptWarnings", false))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property AcceptWarnings is \"" + value + "\", not \"true\" or \"false\": give \"true\" or"
            + " \"false\" (lower case), as CloudFormation passes a boolean");
  }

  @Test
  void finishAcceptsReadPropertiesAndThoseCloudFormationAdds() {
    ResourceProperties properties =
        properties("{\"ServiceToken\": \"arn\", \"ServiceTimeout\": \"300\", \"Name\": \"alpha\"}");
    properties.required("Name");

    properties.finish();
  }

  @Test
  void finishRejectsUnknownPropertiesNamingThemAndTheKnownOnes() {
    ResourceProperties properties =
        properties("{\"ServiceToken\": \"arn\", \"Nmae\": \"alpha\", \"Colour\": \"red\", \"Size\": \"2\"}");
    properties.optional("Name");
    properties.flag("Enabled", false);

    assertThatThrownBy(properties::finish)
        .isInstanceOfSatisfying(InvalidPropertyException.class, e -> assertThat(e.property()).isEqualTo("Nmae"))
        .hasMessage("Property Nmae is not known (nor Colour, Size): check the spelling; this resource accepts "
            + "Enabled, Name");
  }

  @Test
  void rawHoldsEverythingAndToStringNoValues() {
    ResourceProperties properties = properties("{\"ServiceToken\": \"arn\", \"Pem\": \"secret-value\"}");

    assertThat(properties.raw()).containsOnlyKeys("ServiceToken", "Pem");
    assertThat(properties.toString()).contains("Pem").doesNotContain("secret-value");
  }

  private static ResourceProperties properties(String json) {
    try {
      return new ResourceProperties((JsonObject) JsonCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
