package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.aws.S3Location;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CrlLocationTest {

  @Test
  void anS3ObjectIsParsedWithItsVersion() {
    CrlLocation location = CrlLocation.parse("s3://crl-bucket/crl/ca.crl?versionId=v1");

    assertThat(location.s3()).isEqualTo(new S3Location("crl-bucket", "crl/ca.crl", "v1"));
    assertThat(location.url()).isNull();
    assertThat(location.text()).isEqualTo("s3://crl-bucket/crl/ca.crl?versionId=v1");
    assertThat(location).hasToString("s3://crl-bucket/crl/ca.crl?versionId=v1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://pki.example.com/ca.crl", "http://crl.example.com:8080/a/b.crl?x=1",
      "HTTP://crl.example.com/ca.crl"})
  void httpAndHttpsUrlsAreParsed(String text) {
    CrlLocation location = CrlLocation.parse(text);

    assertThat(location.url()).isEqualTo(URI.create(text));
    assertThat(location.s3()).isNull();
    assertThat(location.text()).isEqualTo(text);
  }

  @Test
  void otherSchemesAreRefusedWithTheExpectedForms() {
    for (String text : List.of("ftp://crl.example.com/ca.crl", "crl.example.com/ca.crl", "file:///tmp/ca.crl",
        "")) {
      assertThatThrownBy(() -> CrlLocation.parse(text)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("\"" + text + "\" is not a CRL location: expected s3://bucket/key[?versionId=...], "
              + "https://host/path or http://host/path");
    }
  }

  @Test
  void anInvalidS3LocationSaysWhy() {
    assertThatThrownBy(() -> CrlLocation.parse("s3://crl-bucket")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("has no object key: expected s3://bucket/key or s3://bucket/key?versionId=VERSION");
  }

  @Test
  void aUrlWithoutHostIsRefused() {
    assertThatThrownBy(() -> CrlLocation.parse("https:///ca.crl")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"https:///ca.crl\" has no host name: expected s3://bucket/key[?versionId=...], "
            + "https://host/path or http://host/path");
  }

  @Test
  void aMalformedUrlIsRefused() {
    assertThatThrownBy(() -> CrlLocation.parse("https://crl.example.com/a b.crl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"https://crl.example.com/a b.crl\" is not a valid URL (Illegal character in path)");
  }

  @Test
  void credentialsInAUrlAreRefusedWithoutRepeatingThem() {
    assertThatThrownBy(() -> CrlLocation.parse("https://admin:s3cret@crl.example.com/ca.crl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the URL of \"crl.example.com\" holds a user name or password: CRLs are public documents, "
            + "publish them without one")
        .message().doesNotContain("s3cret");
  }

  @Test
  void aFragmentIsRefused() {
    assertThatThrownBy(() -> CrlLocation.parse("https://crl.example.com/ca.crl#latest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"https://crl.example.com/ca.crl#latest\" has a #fragment, which is never sent: remove it");
  }

  @Test
  void aListIsParsedInOrderWithBlanksStripped() {
    List<CrlLocation> locations = CrlLocation.parseList(
        CrlLocation.split(" s3://crl-bucket/a.crl , https://crl.example.com/b.crl"));

    assertThat(locations).extracting(CrlLocation::text)
        .containsExactly("s3://crl-bucket/a.crl", "https://crl.example.com/b.crl");
  }

  @Test
  void splitKeepsEmptyEntriesForParseListToReport() {
    assertThat(CrlLocation.split("")).isEmpty();
    assertThat(CrlLocation.split("  ")).isEmpty();
    assertThat(CrlLocation.split("a")).containsExactly("a");
    assertThat(CrlLocation.split("a,,b,")).containsExactly("a", "", "b", "");
  }

  @Test
  void anEmptyEntryIsRefused() {
    assertThatThrownBy(() -> CrlLocation.parseList(CrlLocation.split("s3://b01/a.crl,,s3://b01/b.crl")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("entry 2 is empty: remove the extra comma");
    assertThatThrownBy(() -> CrlLocation.parseList(CrlLocation.split("s3://b01/a.crl, ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("entry 2 is empty: remove the extra comma");
  }

  @Test
  void aDuplicateIsRefused() {
    assertThatThrownBy(() -> CrlLocation.parseList(List.of("s3://b01/a.crl", " s3://b01/a.crl")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("\"s3://b01/a.crl\" is listed twice: remove one");
  }

  @Test
  void atMostTenLocations() {
    List<String> ten = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ten.add("s3://crl-bucket/" + i + ".crl");
    }
    assertThat(CrlLocation.parseList(ten)).hasSize(10);

    List<String> eleven = new ArrayList<>(ten);
    eleven.add("s3://crl-bucket/10.crl");
    assertThatThrownBy(() -> CrlLocation.parseList(eleven)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lists 11 CRLs; at most 10 are supported (the template grants read access to each S3 one): "
            + "publish fewer, larger CRLs");
    assertThat(CrlLocation.parseList(Collections.emptyList())).isEmpty();
  }
}
