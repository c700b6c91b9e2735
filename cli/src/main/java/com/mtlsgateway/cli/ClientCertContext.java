package com.mtlsgateway.cli;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway's {@code $context.identity.clientCert.*} values for a client certificate, in the forms this project
 * uses for them (docs/serve.md says which are AWS's documented forms and which are unsettled):
 *
 * @param subjectDN the subject as an RFC 2253 string, e.g. {@code CN=client,O=Example}
 * @param issuerDN the issuer, likewise
 * @param serialNumber the serial's DER bytes in lower-case hex joined by colons, e.g. {@code 5a:17:c0:de}, as in
 *     AWS's authorizer input example and {@code openssl x509 -text}
 * @param notBefore OpenSSL's time form, e.g. {@code Dec  1 00:00:00 2026 GMT} (day padded to two characters)
 * @param notAfter likewise
 */
record ClientCertContext(String subjectDN, String issuerDN, String serialNumber, String notBefore, String notAfter) {

  /** The header the stack's integration sets from each value (template.yaml, RootMethod and ProxyMethod). */
  static final String HEADER_PREFIX = "X-Client-Cert-";

  private static final DateTimeFormatter VALIDITY =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  static ClientCertContext of(X509Certificate certificate) {
    return new ClientCertContext(certificate.getSubjectX500Principal().getName(),
        certificate.getIssuerX500Principal().getName(), serial(certificate.getSerialNumber()),
        validity(certificate.getNotBefore().toInstant()), validity(certificate.getNotAfter().toInstant()));
  }

  /** The integration request headers, in the template's order: Subject, Issuer, Serial, Not-Before, Not-After. */
  Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HEADER_PREFIX + "Subject", subjectDN);
    headers.put(HEADER_PREFIX + "Issuer", issuerDN);
    headers.put(HEADER_PREFIX + "Serial", serialNumber);
    headers.put(HEADER_PREFIX + "Not-Before", notBefore);
    headers.put(HEADER_PREFIX + "Not-After", notAfter);
    return headers;
  }

  private static String serial(BigInteger serial) {
    // The DER content octets: a serial whose first bit is set keeps its leading 00, as OpenSSL prints it.
    return HexFormat.ofDelimiter(":").formatHex(serial.toByteArray());
  }

  private static String validity(Instant at) {
    return VALIDITY.format(at);
  }
}
