package com.mtlsgateway.truststore;

/**
 * How much a {@link Finding} matters. Declared from most to least severe; reports list findings in this order.
 */
public enum Severity {
  /** API Gateway would refuse the truststore, or nothing in it can work. Always makes a report invalid. */
  ERROR,
  /**
   * API Gateway would accept the truststore but turn the entry into a {@code truststoreWarnings} item, and clients
   * relying on it would get 403 at the TLS handshake. Makes a report invalid unless warnings are accepted.
   */
  WARNING,
  /** Worth knowing, needs no action now. Never makes a report invalid. */
  INFO
}
