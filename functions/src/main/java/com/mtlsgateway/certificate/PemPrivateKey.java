package com.mtlsgateway.certificate;

import com.mtlsgateway.text.Articles;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the unencrypted PEM private keys that openssl and CAs hand out:
 *
 * <ul>
 *   <li>{@code BEGIN PRIVATE KEY}: PKCS#8, which the JDK reads as it is;
 *   <li>{@code BEGIN RSA PRIVATE KEY}: PKCS#1 {@code RSAPrivateKey};
 *   <li>{@code BEGIN EC PRIVATE KEY}: SEC1 {@code ECPrivateKey} (RFC 5915), possibly after an
 *       {@code EC PARAMETERS} block ({@code openssl ecparam -genkey}).
 * </ul>
 *
 * <p>PKCS#1 and SEC1 are wrapped into PKCS#8 (RFC 5208) here rather than with BouncyCastle:
 *
 * <pre>
 * PrivateKeyInfo ::= SEQUENCE {
 *   version             INTEGER (0),
 *   privateKeyAlgorithm SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY },
 *   privateKey          OCTET STRING }   -- the PKCS#1 or SEC1 DER, unchanged
 * </pre>
 *
 * with {@code rsaEncryption} and NULL parameters for PKCS#1, and {@code id-ecPublicKey} with the curve's
 * {@code namedCurve} OID for SEC1: the one in the key's own {@code [0] parameters}, or, when the key omits it, the
 * one in the certificate's public key.
 *
 * <p>Messages name the file, the block's label and what to do; they never hold a byte of the key. The openssl
 * commands in them read the user's file, or a placeholder ({@code key.pem}) when the key is not a file (a property).
 */
public final class PemPrivateKey {

  /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters. */
  private static final byte[] RSA_ALGORITHM = Der.element(Der.SEQUENCE,
      Der.element(Der.OBJECT_IDENTIFIER, HexFormat.of().parseHex("2a864886f70d010101")),
      Der.element(Der.NULL));
  /** id-ecPublicKey, 1.2.840.10045.2.1. */
  private static final byte[] EC_PUBLIC_KEY_OID =
      Der.element(Der.OBJECT_IDENTIFIER, HexFormat.of().parseHex("2a8648ce3d0201"));
  private static final byte[] VERSION_0 = Der.element(Der.INTEGER, new byte[] {0});

  /** PKCS#8 algorithm OIDs to JCA KeyFactory names. */
  private static final Map<String, String> ALGORITHMS = Map.of(
      "1.2.840.113549.1.1.1", "RSA",
      "1.2.840.113549.1.1.10", "RSASSA-PSS",
      "1.2.840.10045.2.1", "EC",
      "1.3.101.112", "Ed25519",
      "1.3.101.113", "Ed448",
      "1.2.840.10040.4.1", "DSA");

  private PemPrivateKey() {}

  /** A key file mtls cannot use; the message is for the user and holds no key material. */
  public static final class KeyFileException extends Exception {
    private static final long serialVersionUID = 1L;

    KeyFileException(String message) {
      super(message);
    }
  }

  /**
   * The first private key in the PEM file {@code bytes}.
   *
   * @param name the file as the user gave it, for messages
   * @param certificateKey the client certificate's public key: where a SEC1 key without parameters finds its curve
   */
  public static PrivateKey read(byte[] bytes, String name, PublicKey certificateKey) throws KeyFileException {
    return read(bytes, name, name, certificateKey);
  }

  /**
   * As {@link #read(byte[], String, PublicKey)}, for a key that is not a file of that name.
   *
   * @param name what holds the key, for messages, e.g. {@code PrivateKeySecretArn}
   * @param file the file the messages' openssl commands read, e.g. {@code key.pem}
   */
  public static PrivateKey read(byte[] bytes, String name, String file, PublicKey certificateKey)
      throws KeyFileException {
    List<PemFile.Block> blocks = PemFile.read(bytes);
    PemFile.Block block = blocks.stream().filter(b -> b.label().endsWith("PRIVATE KEY")).findFirst()
        .orElseThrow(() -> noKey(blocks, name, file));
    String label = block.printableLabel();
    if (block.problem() != null) {
      throw new KeyFileException(name + ": the " + label + " block " + block.problem());
    }
    if (label.equals("ENCRYPTED PRIVATE KEY") || block.encryptedByHeader()) {
      throw new KeyFileException(name + " is encrypted (" + label
          + (block.encryptedByHeader() ? ", Proc-Type ENCRYPTED" : "") + "); decrypt it first with"
          + " `openssl pkey -in " + file + " -out plain.pem` and pass plain.pem (keep it as private as the key)");
    }
    byte[] pkcs8;
    try {
      pkcs8 = switch (label) {
        case "PRIVATE KEY" -> block.der();
        case "RSA PRIVATE KEY" -> Der.element(Der.SEQUENCE, VERSION_0, RSA_ALGORITHM,
            Der.element(Der.OCTET_STRING, block.der()));
        case "EC PRIVATE KEY" -> Der.element(Der.SEQUENCE, VERSION_0,
            Der.element(Der.SEQUENCE, EC_PUBLIC_KEY_OID, curve(block.der(), name, certificateKey)),
            Der.element(Der.OCTET_STRING, block.der()));
        default -> throw new KeyFileException(name + " holds " + Articles.withIndefinite(label)
            + ", which mtls does not read; convert it to"
            + " PKCS#8 with `openssl pkey -in " + file + " -out " + out(file) + "`");
      };
    } catch (Der.DerException e) {
      throw unreadable(name, file, label, e.getMessage());
    }
    String algorithm = algorithm(pkcs8, name, file, label);
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      // The provider's message may describe the key's contents: not repeated.
      throw unreadable(name, file, label, "the JDK refuses it as an " + algorithm + " key");
    }
  }

  /** The {@code namedCurve} element for a SEC1 key: its own {@code [0] parameters}, else the certificate's. */
  private static byte[] curve(byte[] sec1, String name, PublicKey certificateKey)
      throws Der.DerException, KeyFileException {
    Der.Reader fields = new Der.Reader(sec1).next(Der.SEQUENCE, "ECPrivateKey SEQUENCE").children();
    fields.next(Der.INTEGER, "version");
    fields.next(Der.OCTET_STRING, "privateKey");
    while (fields.hasMore()) {
      Der.Element field = fields.next();
      if (field.tag() == Der.CONTEXT_0) {
        return field.children().next().encoded();
      }
    }
    // RFC 5915 lets the curve be implied; then it can only be the certificate's.
    if (certificateKey != null && certificateKey.getAlgorithm().equals("EC")) {
      Der.Reader spki = new Der.Reader(certificateKey.getEncoded()).next(Der.SEQUENCE, "SubjectPublicKeyInfo")
          .children();
      Der.Reader algorithm = spki.next(Der.SEQUENCE, "AlgorithmIdentifier").children();
      algorithm.next(Der.OBJECT_IDENTIFIER, "algorithm");
      return algorithm.next().encoded();
    }
    throw new KeyFileException(name + ": the EC PRIVATE KEY names no curve and the certificate's key is not EC,"
        + " so the key cannot belong to it");
  }

  private static String algorithm(byte[] pkcs8, String name, String file, String label) throws KeyFileException {
    String oid;
    try {
      Der.Reader info = new Der.Reader(pkcs8).next(Der.SEQUENCE, "PrivateKeyInfo SEQUENCE").children();
      info.next(Der.INTEGER, "version");
      oid = Der.oid(info.next(Der.SEQUENCE, "AlgorithmIdentifier").children()
          .next(Der.OBJECT_IDENTIFIER, "algorithm OID").content());
    } catch (Der.DerException e) {
      throw unreadable(name, file, label, e.getMessage());
    }
    String algorithm = ALGORITHMS.get(oid);
    if (algorithm == null) {
      throw new KeyFileException(name + ": the " + label + " uses key algorithm " + oid
          + ", which mtls cannot use (API Gateway takes RSA and ECDSA client certificates)");
    }
    return algorithm;
  }

  /** The output file of a conversion of {@code file}: key.pem, or plain.pem when that is the input. */
  private static String out(String file) {
    return file.equals("key.pem") ? "plain.pem" : "key.pem";
  }

  private static KeyFileException unreadable(String name, String file, String label, String why) {
    return new KeyFileException(name + ": the " + label + " block is not a valid key (" + why + "); check it with"
        + " `openssl pkey -in " + file + " -noout` and convert it with `openssl pkey -in " + file + " -out "
        + out(file) + "`");
  }

  private static KeyFileException noKey(List<PemFile.Block> blocks, String name, String file) {
    if (blocks.isEmpty()) {
      String der = file.equals(name) ? file : "key.der";
      return new KeyFileException(name + " holds no PEM block; the key must be PEM (-----BEGIN PRIVATE KEY-----);"
          + " convert a DER key with `openssl pkey -inform DER -in " + der + " -out " + out(der) + "`");
    }
    String labels = blocks.stream().map(PemFile.Block::printableLabel).distinct().collect(Collectors.joining(", "));
    String hint = !labels.contains("CERTIFICATE") ? ""
        : file.equals(name) ? " (are --cert and --key swapped?)" : " (is a certificate where the key belongs?)";
    return new KeyFileException(name + " holds no private key, only: " + labels + hint);
  }
}
