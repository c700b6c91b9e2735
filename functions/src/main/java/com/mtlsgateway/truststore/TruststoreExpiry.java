package com.mtlsgateway.truststore;

import com.mtlsgateway.aws.Metrics;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The certificate of a truststore that expires first, and the days left until it does.
 *
 * @param subject its subject (RFC 2253)
 * @param notAfter the end of its validity
 * @param daysLeft days from the check to {@code notAfter}, with the fraction; negative when it has expired
 * @param certificates how many certificates the truststore holds
 */
public record TruststoreExpiry(String subject, Instant notAfter, double daysLeft, int certificates) {

  /**
   * @param certificates a truststore's certificates, at least one
   * @throws IllegalArgumentException when there is none
   */
  public static TruststoreExpiry of(List<X509Certificate> certificates, Instant now) {
    X509Certificate earliest = certificates.stream()
        .min(Comparator.comparing(X509Certificate::getNotAfter))
        .orElseThrow(() -> new IllegalArgumentException("a truststore without certificates has no expiry"));
    Instant notAfter = earliest.getNotAfter().toInstant();
    return new TruststoreExpiry(earliest.getSubjectX500Principal().getName(), notAfter,
        Metrics.daysBetween(now, notAfter), certificates.size());
  }
}
