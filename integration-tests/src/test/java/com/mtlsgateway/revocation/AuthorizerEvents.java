package com.mtlsgateway.revocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.testing.TestPki;

/** REQUEST authorizer events as API Gateway sends them for a request through the mTLS custom domain. */
final class AuthorizerEvents {

  static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/orders/42";
  static final ObjectMapper JSON = new ObjectMapper();

  private AuthorizerEvents() {}

  /** The event for a request with this client certificate; null for a request without one. */
  static ObjectNode node(TestPki.Issued client) {
    ObjectNode event = JSON.createObjectNode().put("type", "REQUEST").put("methodArn", METHOD_ARN);
    ObjectNode requestContext = event.putObject("requestContext").put("requestId", "c6af9ac6-7b61-11e6-9a41");
    if (client != null) {
      ObjectNode clientCert = requestContext.putObject("identity").putObject("clientCert")
          .put("clientCertPem", client.pem()).put("subjectDN", client.subject())
          .put("issuerDN", client.certificate().getIssuerX500Principal().getName())
          .put("serialNumber", client.certificate().getSerialNumber().toString(16));
      clientCert.putObject("validity").put("notBefore", client.certificate().getNotBefore().toString())
          .put("notAfter", client.certificate().getNotAfter().toString());
    }
    return event;
  }

  /** {@link #node}, as the authorizer's own JSON type, for {@code decide}. */
  static JsonObject withClient(TestPki.Issued client) {
    try {
      return (JsonObject) JsonCodec.parse(JSON.writeValueAsBytes(node(client)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
