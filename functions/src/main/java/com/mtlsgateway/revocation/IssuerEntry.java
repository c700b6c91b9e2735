package com.mtlsgateway.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One CA of the truststore as the revocation index records it.
 *
 * @param subject the CA's subject Name, DER-encoded as in its certificate
 * @param keyId its subject key identifier (or, without one, the SHA-1 of its subjectPublicKey, RFC 5280 4.2.1.2
 *     method 1); matched against a client's authority key identifier
 * @param crl its checked CRL, or null when none was given (its clients are not checked)
 */
public record IssuerEntry(byte[] subject, byte[] keyId, Crl crl) {

  public IssuerEntry {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(keyId, "keyId");
  }

  /**
   * What the index keeps of one checked CRL.
   *
   * @param source where it was read from (its URI as given), for logs
   * @param thisUpdate and {@code nextUpdate}: from the CRL, to the second
   * @param number its cRLNumber, or null when it has none
   * @param serials the revoked serial numbers, each as {@link BigInteger#toByteArray()} gives it
   */
  public record Crl(String source, Instant thisUpdate, Instant nextUpdate, BigInteger number, List<byte[]> serials) {
    public Crl {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(thisUpdate, "thisUpdate");
      Objects.requireNonNull(nextUpdate, "nextUpdate");
      Objects.requireNonNull(serials, "serials");
    }
  }
}
