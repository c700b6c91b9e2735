package com.mtlsgateway.revocation;

import com.mtlsgateway.crypto.KeyIdentifiers;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;

/**
 * What the authorizer needs of a client certificate: its issuer (DER), serial number and authority key identifier,
 * read straight from the certificate's DER (RFC 5280 4.1) in about a microsecond, where a full X.509 parse costs tens.
 *
 * <p>The signature is not checked: API Gateway has already verified the chain to the truststore during the
 * handshake, and the certificate comes from its request context ({@code requestContext.identity.clientCert
 * .clientCertPem}), not from the client.
 */
public final class ClientCertificate {

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";
  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int VERSION_TAG = 0xA0; // [0] EXPLICIT Version
  private static final int EXTENSIONS_TAG = 0xA3; // [3] EXPLICIT Extensions
  private static final int OBJECT_IDENTIFIER = 0x06;
  private static final int BOOLEAN = 0x01;
  private static final int OCTET_STRING = 0x04;
  /** DER contents of the OID 2.5.29.35 (authorityKeyIdentifier). */
  private static final byte[] AUTHORITY_KEY_IDENTIFIER = {0x55, 0x1D, 0x23};
  private static final HexFormat HEX = HexFormat.of();
  /** Base64 alphabet values by character; -1 for characters that may separate lines, -2 for the rest. */
  private static final byte[] BASE64 = new byte[128];

  static {
    Arrays.fill(BASE64, (byte) -2);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64[alphabet.charAt(i)] = (byte) i;
    }
    for (char c : new char[] {'\r', '\n', ' ', '\t'}) {
      BASE64[c] = -1;
    }
  }

  private final byte[] der;
  private final int issuerFrom;
  private final int issuerTo;
  private final int subjectFrom;
  private final int subjectTo;
  private final byte[] serial;
  private final byte[] authorityKeyId;

  private ClientCertificate(byte[] der, int issuerFrom, int issuerTo, int subjectFrom, int subjectTo, byte[] serial,
      byte[] authorityKeyId) {
    this.der = der;
    this.issuerFrom = issuerFrom;
    this.issuerTo = issuerTo;
    this.subjectFrom = subjectFrom;
    this.subjectTo = subjectTo;
    this.serial = serial;
    this.authorityKeyId = authorityKeyId;
  }

  /**
   * Reads the first {@code CERTIFICATE} block of a PEM text.
   *
   * @throws IllegalArgumentException when there is no such block or it is not a DER X.509 certificate; the message
   *     says which
   */
  public static ClientCertificate fromPem(String pem) {
    int begin = pem.indexOf(BEGIN);
    int end = begin < 0 ? -1 : pem.indexOf(END, begin);
    if (end < 0) {
      throw new IllegalArgumentException("it holds no complete " + BEGIN + " block");
    }
    return fromDer(base64(pem, begin + BEGIN.length(), end));
  }

  /**
   * Decodes the base64 of a PEM block, skipping line breaks and blanks, straight from the String: the JDK's MIME
   * decoder takes most of a decision's time (2 to 3 microseconds for a client certificate).
   *
   * @throws IllegalArgumentException for a character outside the alphabet or bad padding
   */
  static byte[] base64(String text, int from, int to) {
    byte[] out = new byte[(to - from) / 4 * 3 + 3];
    int length = 0;
    int bits = 0;
    int count = 0;
    int padding = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      int value = c < 128 ? BASE64[c] : -2;
      if (value == -1) {
        continue;
      }
      if (c == '=') {
        padding++;
        continue;
      }
      if (value < 0 || padding > 0) {
        throw new IllegalArgumentException("its CERTIFICATE block is not valid base64");
      }
      bits = (bits << 6) | value;
      if (++count == 4) {
        out[length++] = (byte) (bits >> 16);
        out[length++] = (byte) (bits >> 8);
        out[length++] = (byte) bits;
        bits = 0;
        count = 0;
      }
    }
    if (count == 1 || padding > 2 || (padding > 0 && count + padding != 4)) {
      throw new IllegalArgumentException("its CERTIFICATE block is not valid base64");
    }
    if (count == 2) {
      out[length++] = (byte) (bits >> 4);
    } else if (count == 3) {
      out[length++] = (byte) (bits >> 10);
      out[length++] = (byte) (bits >> 2);
    }
    return Arrays.copyOf(out, length);
  }


  /**
   * Reads a DER X.509 certificate.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static ClientCertificate fromDer(byte[] der) {
    int[] certificate = element(der, 0, der.length, SEQUENCE);
    int[] tbs = element(der, certificate[1], certificate[2], SEQUENCE);
    int position = tbs[1];
    int[] field = next(der, position, tbs[2]);
    if (field[0] == VERSION_TAG) {
      position = field[2];
      field = next(der, position, tbs[2]);
    }
    require(field, INTEGER, "serialNumber");
    byte[] serial = normalizedSerial(Arrays.copyOfRange(der, field[1], field[2]));
    int[] signature = element(der, field[2], tbs[2], SEQUENCE);
    int issuerFrom = signature[2];
    int[] issuer = element(der, issuerFrom, tbs[2], SEQUENCE);
    int[] validity = element(der, issuer[2], tbs[2], SEQUENCE);
    int subjectFrom = validity[2];
    int[] subject = element(der, subjectFrom, tbs[2], SEQUENCE);
    int[] publicKey = element(der, subject[2], tbs[2], SEQUENCE);
    byte[] authorityKeyId = null;
    position = publicKey[2];
    while (position < tbs[2]) {
      field = next(der, position, tbs[2]);
      if (field[0] == EXTENSIONS_TAG) {
        authorityKeyId = authorityKeyId(der, element(der, field[1], field[2], SEQUENCE));
      }
      position = field[2];
    }
    return new ClientCertificate(der, issuerFrom, issuer[2], subjectFrom, subject[2], serial, authorityKeyId);
  }

  private static byte[] authorityKeyId(byte[] der, int[] extensions) {
    int position = extensions[1];
    while (position < extensions[2]) {
      int[] extension = element(der, position, extensions[2], SEQUENCE);
      int[] oid = element(der, extension[1], extension[2], OBJECT_IDENTIFIER);
      if (Arrays.equals(der, oid[1], oid[2], AUTHORITY_KEY_IDENTIFIER, 0, AUTHORITY_KEY_IDENTIFIER.length)) {
        int[] value = next(der, oid[2], extension[2]);
        if (value[0] == BOOLEAN) {
          value = next(der, value[2], extension[2]);
        }
        require(value, OCTET_STRING, "authorityKeyIdentifier");
        return KeyIdentifiers.authorityKeyIdentifier(der, value[1], value[2]);
      }
      position = extension[2];
    }
    return null;
  }

  /**
   * A serial number's two's-complement bytes without redundant leading bytes, the form {@link
   * BigInteger#toByteArray()} gives: certificates with a non-minimal DER INTEGER (which some CAs write) then match
   * the CRL's entry for the same number.
   */
  static byte[] normalizedSerial(byte[] content) {
    if (content.length == 0) {
      throw new IllegalArgumentException("its serialNumber is empty");
    }
    int start = 0;
    while (start < content.length - 1
        && ((content[start] == 0 && content[start + 1] >= 0) || (content[start] == -1 && content[start + 1] < 0))) {
      start++;
    }
    return start == 0 ? content : Arrays.copyOfRange(content, start, content.length);
  }

  private static int[] next(byte[] der, int from, int to) {
    int[] element = KeyIdentifiers.element(der, from, to);
    if (element == null) {
      throw new IllegalArgumentException("it is not a DER X.509 certificate (malformed or truncated at byte " + from
          + ")");
    }
    return element;
  }

  private static int[] element(byte[] der, int from, int to, int tag) {
    int[] element = next(der, from, to);
    require(element, tag, "X.509 structure");
    return element;
  }

  private static void require(int[] element, int tag, String what) {
    if (element[0] != tag) {
      throw new IllegalArgumentException(String.format("it is not a DER X.509 certificate (its %s has tag 0x%02x, "
          + "not 0x%02x)", what, element[0], tag));
    }
  }

  /** The issuer Name, DER-encoded as in the certificate (a fresh copy). */
  public byte[] issuer() {
    return Arrays.copyOfRange(der, issuerFrom, issuerTo);
  }

  /** The serial number as {@link BigInteger#toByteArray()} gives it (a fresh copy). */
  public byte[] serial() {
    return serial.clone();
  }

  /** The keyIdentifier of the authority key identifier extension, or null when there is none (a fresh copy). */
  public byte[] authorityKeyId() {
    return authorityKeyId == null ? null : authorityKeyId.clone();
  }

  /** Whether the issuer's DER equals {@code name[from, to)}. */
  boolean issuerEquals(byte[] name, int from, int to) {
    return Arrays.equals(der, issuerFrom, issuerTo, name, from, to);
  }

  byte[] serialUnsafe() {
    return serial;
  }

  byte[] authorityKeyIdUnsafe() {
    return authorityKeyId;
  }

  /** The serial number in lower-case hex, as {@code openssl x509 -serial} prints it (without leading zeros). */
  public String serialHex() {
    return new BigInteger(serial).toString(16);
  }

  /** The subject as an RFC 2253 string. */
  public String subjectName() {
    return new X500Principal(Arrays.copyOfRange(der, subjectFrom, subjectTo)).getName();
  }

  /** The issuer as an RFC 2253 string. */
  public String issuerName() {
    return new X500Principal(issuer()).getName();
  }

  @Override
  public String toString() {
    return "ClientCertificate[serial=" + HEX.formatHex(serial) + "]";
  }
}
