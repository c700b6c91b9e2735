package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.aws.S3Location;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizerSettingsTest {

  private static final String URI = "s3://truststore-bucket/revocation/index.bin";

  private static Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    env.put("REVOCATION_INDEX_URI", URI);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  @Test
  void defaults() {
    AuthorizerSettings settings = AuthorizerSettings.from(env());

    assertThat(settings.index()).isEqualTo(S3Location.of("truststore-bucket", "revocation/index.bin"));
    assertThat(settings.refresh()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.grace()).isEqualTo(Duration.ofHours(24));
    assertThat(settings.failOpen()).isFalse();
  }

  @Test
  void everySetting() {
    AuthorizerSettings settings = AuthorizerSettings.from(env("REVOCATION_REFRESH_SECONDS", " 3600 ",
        "REVOCATION_GRACE_PERIOD_HOURS", "0", "REVOCATION_FAIL_MODE", "OPEN"));

    assertThat(settings.refresh()).isEqualTo(Duration.ofHours(1));
    assertThat(settings.grace()).isEqualTo(Duration.ZERO);
    assertThat(settings.failOpen()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"CLOSED", "closed", " Closed ", ""})
  void closedInAnyCaseOrEmpty(String mode) {
    assertThat(AuthorizerSettings.from(env("REVOCATION_FAIL_MODE", mode)).failOpen()).isFalse();
  }

  @Test
  void openInLowerCase() {
    assertThat(AuthorizerSettings.from(env("REVOCATION_FAIL_MODE", "open")).failOpen()).isTrue();
  }

  @Test
  void blankNumbersTakeTheDefault() {
    AuthorizerSettings settings = AuthorizerSettings.from(env("REVOCATION_REFRESH_SECONDS", "",
        "REVOCATION_GRACE_PERIOD_HOURS", " "));

    assertThat(settings.refresh()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.grace()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aMissingIndexUriSaysWhatToSet() {
    String message = "REVOCATION_INDEX_URI is not set: set it to the index object, s3://bucket/key (the IndexUri "
        + "output of Custom::RevocationList; the template sets it)";

    assertThatThrownBy(() -> AuthorizerSettings.from(Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> AuthorizerSettings.from(Map.of("REVOCATION_INDEX_URI", " ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void anInvalidIndexUriIsNamed() {
    assertThatThrownBy(() -> AuthorizerSettings.from(env("REVOCATION_INDEX_URI", "https://bucket/index.bin")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("REVOCATION_INDEX_URI does not start with s3://: expected s3://bucket/key or "
            + "s3://bucket/key?versionId=VERSION");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "3601", "-5", "sixty", "1.5", "99999999999999999999"})
  void refreshSecondsOutOfRange(String value) {
    assertThatThrownBy(() -> AuthorizerSettings.from(env("REVOCATION_REFRESH_SECONDS", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("REVOCATION_REFRESH_SECONDS is \"" + value + "\": give a whole number from 1 to 3600");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "721", "24h"})
  void gracePeriodOutOfRange(String value) {
    assertThatThrownBy(() -> AuthorizerSettings.from(env("REVOCATION_GRACE_PERIOD_HOURS", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("REVOCATION_GRACE_PERIOD_HOURS is \"" + value + "\": give a whole number from 0 to 720");
  }

  @Test
  void theLimitsAreAccepted() {
    assertThat(AuthorizerSettings.from(env("REVOCATION_REFRESH_SECONDS", "1")).refresh())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(AuthorizerSettings.from(env("REVOCATION_GRACE_PERIOD_HOURS", "720")).grace())
        .isEqualTo(Duration.ofHours(720));
  }

  @Test
  void anUnknownFailModeIsRefused() {
    assertThatThrownBy(() -> AuthorizerSettings.from(env("REVOCATION_FAIL_MODE", "FAIL_OPEN")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("REVOCATION_FAIL_MODE is \"FAIL_OPEN\": set CLOSED (deny when the check cannot be made) or OPEN");
  }
}
