package com.mtlsgateway.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.InvalidPropertyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportedCertificatePropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/key";

  private static ImportedCertificateProperties parse(Map<String, Object> properties) throws Exception {
    ObjectNode event = JSON.createObjectNode().put("RequestType", "Create")
        .put("ResponseURL", "https://example.com/response").put("StackId",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/s/5b6c1f40-c7a1-11ef-9a4e-0a1b2c3d4e5f")
        .put("RequestId", "6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d").put("LogicalResourceId", "Cert")
        .put("ResourceType", "Custom::ImportedCertificate");
    event.set("ResourceProperties", JSON.valueToTree(properties));
    return ImportedCertificateProperties.from(CustomResourceRequest.parse(JSON.writeValueAsBytes(event)).properties());
  }

  @Test
  void readsEverySource() throws Exception {
    ImportedCertificateProperties p = parse(Map.of("CertificateUri", "s3://b-certs/server.pem",
        "ChainPem", "-----BEGIN CERTIFICATE-----", "PrivateKeySecretArn", SECRET, "DomainName", "api.example.com",
        "Tags", List.of(Map.of("Key", "a", "Value", "1"), Map.of("Key", "b", "Value", ""))));
    assertThat(p.certificate().uri().toString()).isEqualTo("s3://b-certs/server.pem");
    assertThat(p.chain().pem()).startsWith("-----BEGIN");
    assertThat(p.privateKeySecretArn()).isEqualTo(SECRET);
    assertThat(p.tags()).containsExactly(Map.entry("a", "1"), Map.entry("b", ""));
    assertThat(p.toString()).doesNotContain("BEGIN");
  }

  @Test
  void exactlyOneSourceOfCertificateAndKey() {
    assertThatThrownBy(() -> parse(Map.of("CertificatePem", "x", "CertificateUri", "s3://b-certs/k",
        "PrivateKeySecretArn", SECRET, "DomainName", "a.example.com")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property CertificatePem is set together with CertificateUri: set exactly one: CertificatePem"
            + " for the PEM inline, or CertificateUri for an object in S3");
    assertThatThrownBy(() -> parse(Map.of("PrivateKeySecretArn", SECRET, "DomainName", "a.example.com")))
        .hasMessageStartingWith("Property CertificatePem is required (or CertificateUri): set it to");
    assertThatThrownBy(() -> parse(Map.of("CertificatePem", "x", "DomainName", "a.example.com")))
        .hasMessageStartingWith("Property PrivateKeySecretArn is required (or PrivateKeyUri): ");
    assertThatThrownBy(() -> parse(Map.of("CertificatePem", "x", "PrivateKeySecretArn", SECRET,
        "PrivateKeyUri", "s3://b-certs/key", "DomainName", "a.example.com")))
        .hasMessageStartingWith("Property PrivateKeySecretArn is set together with PrivateKeyUri: set exactly one");
    assertThatThrownBy(() -> parse(Map.of("CertificatePem", "x", "PrivateKeySecretArn", "demo/key",
        "DomainName", "a.example.com")))
        .hasMessageStartingWith("Property PrivateKeySecretArn is not a Secrets Manager secret ARN: ");
    assertThatThrownBy(() -> parse(Map.of("CertificatePem", "x", "PrivateKeyUri", "https://b/key",
        "DomainName", "a.example.com")))
        .hasMessageStartingWith("Property PrivateKeyUri does not start with s3://");
    assertThatThrownBy(() -> parse(Map.of("CertificatePem", "x", "PrivateKeySecretArn", SECRET)))
        .hasMessageStartingWith("Property DomainName is required: ");
    assertThatThrownBy(() -> parse(Map.of("CertificatePem", "x", "PrivateKeySecretArn", SECRET,
        "DomainName", "a.example.com", "PrivateKey", "x")))
        .hasMessageStartingWith("Property PrivateKey is not known: ");
  }

  @Test
  void tagsAreAListOfKeyAndValue() {
    Map<String, Object> base = Map.of("CertificatePem", "x", "PrivateKeySecretArn", SECRET,
        "DomainName", "a.example.com");
    assertThatThrownBy(() -> parse(with(base, "Tags", "a=b"))).hasMessageStartingWith("Property Tags must be a list");
    assertThatThrownBy(() -> parse(with(base, "Tags", List.of(Map.of("Value", "v")))))
        .hasMessageStartingWith("Property Tags entry 1 has no Key");
    assertThatThrownBy(() -> parse(with(base, "Tags", List.of(Map.of("Key", "a"), Map.of("Key", "a")))))
        .hasMessageStartingWith("Property Tags has the Key a twice");
    assertThatThrownBy(() -> parse(with(base, "Tags", List.of(Map.of("Key", "aws:x", "Value", "v")))))
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> parse(with(base, "Tags", List.of(Map.of("Key", "mtls-gateway:request-id",
        "Value", "v"))))).hasMessageStartingWith("Property Tags entry 1 has the Key mtls-gateway:request-id")
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> parse(with(base, "Tags", List.of(Map.of("Key", "a", "Value", "b"),
        Map.of("Key", "mtls-gateway:stack-id", "Value", "v")))))
        .hasMessageStartingWith("Property Tags entry 2 has the Key mtls-gateway:stack-id")
        .hasMessageContaining("reserved");
  }

  @Test
  void tagsLeaveRoomForTheRequestIdAndStackIdTags() throws Exception {
    Map<String, Object> base = Map.of("CertificatePem", "x", "PrivateKeySecretArn", SECRET,
        "DomainName", "a.example.com");
    List<Map<String, String>> fortyEight = java.util.stream.IntStream.range(0, 48)
        .mapToObj(i -> Map.of("Key", "k" + i, "Value", "v")).toList();
    assertThat(parse(with(base, "Tags", fortyEight)).tags()).hasSize(48);
    List<Map<String, String>> fortyNine = new java.util.ArrayList<>(fortyEight);
    fortyNine.add(Map.of("Key", "k48", "Value", "v"));
    assertThatThrownBy(() -> parse(with(base, "Tags", fortyNine))).hasMessageStartingWith("Property Tags has 49 tags")
        .hasMessageContaining("mtls-gateway:request-id").hasMessageContaining("mtls-gateway:stack-id");
  }

  @Test
  void namesAreCutToFit() {
    List<String> many = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "host" + i + ".example.com").toList();
    String names = ImportedCertificateHandler.names(many);
    assertThat(names.length()).isLessThanOrEqualTo(ImportedCertificateHandler.MAX_NAMES_CHARS);
    assertThat(names).startsWith("host0.example.com,host1.example.com,").matches(".*,\\.\\.\\.\\(\\d+ more\\)");
    assertThat(ImportedCertificateHandler.names(List.of("a.example.com", "b.example.com")))
        .isEqualTo("a.example.com,b.example.com");
  }

  private static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(base);
    copy.put(name, value);
    return copy;
  }
}
