package com.mtlsgateway.crypto;

import java.security.cert.X509Certificate;
import java.security.cert.X509Extension;
import java.util.Arrays;

/**
 * Reads the subjectKeyIdentifier and the keyIdentifier of the authorityKeyIdentifier extension (RFC 5280 4.2.1.1
 * and 4.2.1.2), of certificates and CRLs (RFC 5280 5.2.1). They only help pick the likely issuer among same-named
 * CAs; the signature decides, so a missing or malformed identifier is simply absent.
 */
public final class KeyIdentifiers {

  private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
  private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
  private static final int OCTET_STRING = 0x04;
  private static final int SEQUENCE = 0x30;
  private static final int KEY_IDENTIFIER_TAG = 0x80; // [0] IMPLICIT KeyIdentifier

  private KeyIdentifiers() {}

  /** The subject key identifier, or null. */
  public static byte[] subject(X509Certificate certificate) {
    byte[] extnValue = extensionValue(certificate, SUBJECT_KEY_IDENTIFIER);
    return extnValue == null ? null : contents(extnValue, 0, extnValue.length, OCTET_STRING);
  }

  /** The keyIdentifier field of the authority key identifier of a certificate or a CRL, or null. */
  public static byte[] authority(X509Extension certificateOrCrl) {
    byte[] extnValue = extensionValue(certificateOrCrl, AUTHORITY_KEY_IDENTIFIER);
    return extnValue == null ? null : authorityKeyIdentifier(extnValue, 0, extnValue.length);
  }

  /**
   * The keyIdentifier field of a DER AuthorityKeyIdentifier ({@code der[from, to)}), or null.
   */
  public static byte[] authorityKeyIdentifier(byte[] extnValue, int from, int to) {
    int[] sequence = element(extnValue, from, to);
    if (sequence == null || sequence[0] != SEQUENCE) {
      return null;
    }
    int[] first = element(extnValue, sequence[1], sequence[2]);
    return first == null || first[0] != KEY_IDENTIFIER_TAG ? null : Arrays.copyOfRange(extnValue, first[1], first[2]);
  }

  /** The DER extnValue of an extension (getExtensionValue wraps it in one more OCTET STRING), or null. */
  private static byte[] extensionValue(X509Extension certificateOrCrl, String oid) {
    byte[] wrapped = certificateOrCrl.getExtensionValue(oid);
    return wrapped == null ? null : contents(wrapped, 0, wrapped.length, OCTET_STRING);
  }

  private static byte[] contents(byte[] der, int from, int to, int expectedTag) {
    int[] e = element(der, from, to);
    return e == null || e[0] != expectedTag ? null : Arrays.copyOfRange(der, e[1], e[2]);
  }

  /**
   * The DER element starting at {@code from}, as {tag, contents start, contents end}, or null if it does not fit
   * before {@code to}. Single-byte tags and definite lengths of up to 3 bytes (16 MB) cover every certificate, CRL
   * extension and certificate field.
   */
  public static int[] element(byte[] der, int from, int to) {
    if (to - from < 2) {
      return null;
    }
    int tag = der[from] & 0xff;
    int first = der[from + 1] & 0xff;
    int pos = from + 2;
    int length;
    if (first < 0x80) {
      length = first;
    } else {
      int lengthBytes = first & 0x7f;
      if (lengthBytes == 0 || lengthBytes > 3 || pos + lengthBytes > to) {
        return null;
      }
      length = 0;
      for (int i = 0; i < lengthBytes; i++) {
        length = (length << 8) | (der[pos++] & 0xff);
      }
    }
    return length > to - pos ? null : new int[] {tag, pos, pos + length};
  }
}
