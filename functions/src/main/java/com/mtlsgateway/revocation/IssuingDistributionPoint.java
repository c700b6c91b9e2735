package com.mtlsgateway.revocation;

import com.mtlsgateway.crypto.KeyIdentifiers;

/**
 * The fields of a CRL's Issuing Distribution Point extension (RFC 5280 5.2.5) that decide whether the CRL is
 * complete and direct.
 *
 * @param partial what limits the CRL's scope ("a distributionPoint name", "onlyContainsCACerts", ...), or null when
 *     it covers every end-entity certificate of its CA ({@code onlyContainsUserCerts} alone still does)
 * @param indirect the indirectCRL flag
 */
record IssuingDistributionPoint(String partial, boolean indirect) {

  private static final int OCTET_STRING = 0x04;
  private static final int SEQUENCE = 0x30;

  /**
   * Reads the extension as {@code X509CRL.getExtensionValue} returns it (an OCTET STRING around the DER value). An
   * extension that does not parse is taken as partial: the safe side.
   */
  static IssuingDistributionPoint read(byte[] wrapped) {
    int[] octets = KeyIdentifiers.element(wrapped, 0, wrapped.length);
    int[] sequence = octets == null || octets[0] != OCTET_STRING ? null
        : KeyIdentifiers.element(wrapped, octets[1], octets[2]);
    if (sequence == null || sequence[0] != SEQUENCE) {
      return new IssuingDistributionPoint("a value that does not parse", false);
    }
    String partial = null;
    boolean indirect = false;
    for (int at = sequence[1]; at < sequence[2];) {
      int[] field = KeyIdentifiers.element(wrapped, at, sequence[2]);
      if (field == null) {
        return new IssuingDistributionPoint("a value that does not parse", false);
      }
      boolean set = field[2] > field[1] && wrapped[field[2] - 1] != 0; // BOOLEAN TRUE (DEFAULT FALSE is omitted)
      switch (field[0]) {
        case 0xA0 -> partial = "a distributionPoint name";
        case 0x81 -> { } // onlyContainsUserCerts: every end-entity certificate, which clients are
        case 0x82 -> partial = set ? "onlyContainsCACerts" : partial;
        case 0x83 -> partial = "onlySomeReasons";
        case 0x84 -> indirect = set;
        case 0x85 -> partial = set ? "onlyContainsAttributeCerts" : partial;
        default -> partial = "an unknown field";
      }
      at = field[2];
    }
    return new IssuingDistributionPoint(partial, indirect);
  }
}
