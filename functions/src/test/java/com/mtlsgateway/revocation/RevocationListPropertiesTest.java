package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.ResourceProperties;
import org.junit.jupiter.api.Test;

class RevocationListPropertiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIX_URIS = "list the CRLs as s3://bucket/key[?versionId=...], https://... or "
      + "http://..., separated by commas";

  /** The resource's properties, valid ones unless changed; through the real request parser. */
  private static ObjectNode valid() {
    ObjectNode props = JSON.createObjectNode()
        .put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:f")
        .put("TruststoreUri", "s3://truststore-bucket/truststore.pem")
        .put("TruststoreVersion", "tv1")
        .put("RevocationListUris", "s3://crl-bucket/a.crl,https://crl.example.com/b.crl")
        .put("IndexBucket", "truststore-bucket");
    return props;
  }

  private static RevocationListProperties parse(ObjectNode props) {
    ObjectNode event = JSON.createObjectNode()
        .put("RequestType", "Create")
        .put("ResponseURL", "https://example.com/response")
        .put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1")
        .put("RequestId", "r-1")
        .put("LogicalResourceId", "RevocationList")
        .put("ResourceType", "Custom::RevocationList");
    event.set("ResourceProperties", props);
    ResourceProperties properties;
    try {
      properties = CustomResourceRequest.parse(JSON.writeValueAsBytes(event)).properties();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return RevocationListProperties.from(properties);
  }

  private static ObjectNode with(String name, String value) {
    return valid().put(name, value);
  }

  private static ObjectNode with(String name, JsonNode value) {
    ObjectNode props = valid();
    props.set(name, value);
    return props;
  }

  @Test
  void aCommaSeparatedListWithTheDefaultIndexKey() {
    RevocationListProperties p = parse(valid());

    assertThat(p.truststore()).isEqualTo(new S3Location("truststore-bucket", "truststore.pem", "tv1"));
    assertThat(p.locations()).extracting(CrlLocation::text)
        .containsExactly("s3://crl-bucket/a.crl", "https://crl.example.com/b.crl");
    assertThat(p.index()).isEqualTo(S3Location.of("truststore-bucket", "revocation/index.bin"));
  }

  @Test
  void aJsonListAndAnIndexKey() {
    ObjectNode props = with("RevocationListUris", JSON.createArrayNode().add("s3://crl-bucket/a.crl?versionId=x")
        .add(" http://crl.example.com/b.crl "));
    props.put("IndexKey", "mtls/revocation.bin");

    RevocationListProperties p = parse(props);

    assertThat(p.locations()).extracting(CrlLocation::text)
        .containsExactly("s3://crl-bucket/a.crl?versionId=x", "http://crl.example.com/b.crl");
    assertThat(p.locations().get(0).s3().versionId()).isEqualTo("x");
    assertThat(p.index()).isEqualTo(S3Location.of("truststore-bucket", "mtls/revocation.bin"));
  }

  @Test
  void requiredPropertiesAreNamed() {
    for (String name : new String[] {"TruststoreUri", "TruststoreVersion", "IndexBucket"}) {
      ObjectNode props = valid();
      props.remove(name);
      assertThatThrownBy(() -> parse(props)).isInstanceOf(InvalidPropertyException.class)
          .hasMessage("Property " + name + " is required: set it in the resource's Properties");
    }
  }

  @Test
  void anInvalidTruststoreUriSaysWhatToGive() {
    assertThatThrownBy(() -> parse(with("TruststoreUri", "https://truststore-bucket/truststore.pem")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property TruststoreUri does not start with s3://: expected s3://bucket/key or "
            + "s3://bucket/key?versionId=VERSION: give the TruststoreUri output of Custom::Truststore "
            + "(s3://bucket/key)");
  }

  @Test
  void aTruststoreUriWithAVersionIsRefused() {
    assertThatThrownBy(() -> parse(with("TruststoreUri", "s3://truststore-bucket/truststore.pem?versionId=v1")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property TruststoreUri has a ?versionId=: give the version as TruststoreVersion only");
  }

  @Test
  void noCrlsIsRefused() {
    ObjectNode absent = valid();
    absent.remove("RevocationListUris");
    String message = "Property RevocationListUris is empty: list at least one CRL (with no CRLs, leave the "
        + "RevocationListUris parameter empty and the stack has no revocation check)";

    assertThatThrownBy(() -> parse(absent)).isInstanceOf(InvalidPropertyException.class).hasMessage(message);
    assertThatThrownBy(() -> parse(with("RevocationListUris", ""))).isInstanceOf(InvalidPropertyException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> parse(with("RevocationListUris", JSON.createArrayNode())))
        .isInstanceOf(InvalidPropertyException.class).hasMessage(message);
  }

  @Test
  void aBadLocationIsReportedWithTheForms() {
    assertThatThrownBy(() -> parse(with("RevocationListUris", "s3://crl-bucket/a.crl,ftp://crl.example.com/b.crl")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property RevocationListUris \"ftp://crl.example.com/b.crl\" is not a CRL location: expected "
            + "s3://bucket/key[?versionId=...], https://host/path or http://host/path: " + FIX_URIS);
    assertThatThrownBy(() -> parse(with("RevocationListUris", "s3://crl-bucket/a.crl,")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property RevocationListUris entry 2 is empty: remove the extra comma: " + FIX_URIS);
  }

  @Test
  void eleventCrlsAreTooMany() {
    StringBuilder uris = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      uris.append(i == 0 ? "" : ",").append("s3://crl-bucket/").append(i).append(".crl");
    }

    assertThatThrownBy(() -> parse(with("RevocationListUris", uris.toString())))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property RevocationListUris lists 11 CRLs; at most 10 are supported");
  }

  @Test
  void aMapOrNestedListIsRefused() {
    assertThatThrownBy(() -> parse(with("RevocationListUris", JSON.createObjectNode().put("a", "s3://b1/a.crl"))))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property RevocationListUris is a map: " + FIX_URIS);
    assertThatThrownBy(() -> parse(with("RevocationListUris", JSON.createArrayNode()
        .add(JSON.createArrayNode().add("s3://b1/a.crl"))))).isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property RevocationListUris holds a list or map where a location was expected: " + FIX_URIS);
  }

  @Test
  void anInvalidIndexBucketOrKeyIsRefused() {
    assertThatThrownBy(() -> parse(with("IndexBucket", "Not_A_Bucket")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property IndexBucket is not a valid bucket name: ")
        .hasMessageEndingWith("; give the name of the versioned truststore bucket");
    assertThatThrownBy(() -> parse(with("IndexKey", "x".repeat(1025))))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property IndexKey is not a valid key: ");
  }

  @Test
  void anUnknownPropertyIsRefused() {
    assertThatThrownBy(() -> parse(with("RevocationListUri", "s3://crl-bucket/a.crl")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property RevocationListUri is not known: check the spelling; this resource accepts IndexBucket, "
            + "IndexKey, RevocationListUris, TruststoreUri, TruststoreVersion");
  }
}
