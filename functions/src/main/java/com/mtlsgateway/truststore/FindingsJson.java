package com.mtlsgateway.truststore;

import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonObject;
import java.util.List;

/**
 * The JSON form of findings, the same in {@code bin/mtls truststore validate --json} and in the handler's
 * {@code truststore.validated} log line. Not on {@link Finding} or {@link ValidationReport}: the validator's
 * types need only the JDK (the benchmarks run them without Jackson on the class path).
 */
public final class FindingsJson {

  private FindingsJson() {}

  /**
   * Adds the field {@code "findings"} to {@code target}, after its other fields: an array with one object per
   * finding, in the list's order, each
   * {@code {"code":"NOT_CA","severity":"WARNING","certificate":{"index":2,"subject":"CN=client,O=Example",
   * "sha256":"<64 lowercase hex>"},"message":"..."}}, with {@code "certificate":null} for a finding about the
   * whole file or a block that is not a certificate (see {@link Finding}, {@link CertificateRef}).
   */
  public static void put(JsonObject target, List<Finding> findings) {
    JsonArray array = target.putArray("findings");
    for (Finding finding : findings) {
      JsonObject node = array.addObject();
      node.put("code", finding.code().name());
      node.put("severity", finding.severity().name());
      CertificateRef certificate = finding.certificate();
      if (certificate == null) {
        node.put("certificate", null);
      } else {
        node.putObject("certificate")
            .put("index", certificate.index())
            .put("subject", certificate.subject())
            .put("sha256", certificate.sha256());
      }
      node.put("message", finding.message());
    }
  }
}
