package com.mtlsgateway.certificate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code -----BEGIN label-----} blocks of a PEM file (RFC 7468), with the RFC 1421 headers that OpenSSL writes
 * into legacy encrypted keys ({@code Proc-Type: 4,ENCRYPTED}). Lines outside blocks are ignored.
 *
 * <p>Nothing here puts block contents into a message: a block may be a private key.
 */
public final class PemFile {

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  /**
   * One block.
   *
   * @param label the BEGIN line's label, e.g. {@code PRIVATE KEY}
   * @param headers {@code Name: value} lines before the base64, e.g. {@code Proc-Type}
   * @param der the decoded contents; empty when {@code problem} is set
   * @param problem why the block is unusable (no END line, not base64), or null
   */
  public record Block(String label, Map<String, String> headers, byte[] der, String problem) {

    public boolean encryptedByHeader() {
      return headers.getOrDefault("Proc-Type", "").contains("ENCRYPTED");
    }

    /** The label, fit for a message: short printable ASCII, else a placeholder. */
    public String printableLabel() {
      boolean ok = !label.isEmpty() && label.length() <= 64 && label.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
      return ok ? label : "(unreadable label)";
    }
  }

  private PemFile() {}

  /** The blocks of {@code bytes}, in order. */
  public static List<Block> read(byte[] bytes) {
    // ISO-8859-1 maps every byte to one char, so no input fails to decode.
    String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
    List<Block> blocks = new ArrayList<>();
    String label = null;
    Map<String, String> headers = new LinkedHashMap<>();
    StringBuilder base64 = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.startsWith(BEGIN)) {
        if (label != null) {
          blocks.add(new Block(label, Map.copyOf(headers), new byte[0], "has no END line"));
        }
        label = between(line, BEGIN);
        headers.clear();
        base64.setLength(0);
      } else if (label != null && line.startsWith(END)) {
        blocks.add(decode(label, headers, base64));
        label = null;
      } else if (label != null && base64.length() == 0 && line.indexOf(':') > 0) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      } else if (label != null) {
        base64.append(line);
      }
    }
    if (label != null) {
      blocks.add(new Block(label, Map.copyOf(headers), new byte[0], "has no END line (is the file truncated?)"));
    }
    return blocks;
  }

  private static Block decode(String label, Map<String, String> headers, CharSequence base64) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64.toString());
      return der.length == 0
          ? new Block(label, Map.copyOf(headers), der, "is empty")
          : new Block(label, Map.copyOf(headers), der, null);
    } catch (IllegalArgumentException e) {
      return new Block(label, Map.copyOf(headers), new byte[0], "is not valid base64");
    }
  }

  private static String between(String line, String marker) {
    String rest = line.substring(marker.length());
    return rest.endsWith(DASHES) ? rest.substring(0, rest.length() - DASHES.length()) : rest;
  }
}
