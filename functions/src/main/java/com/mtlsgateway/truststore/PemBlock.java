package com.mtlsgateway.truststore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code -----BEGIN label-----} ... {@code -----END label-----} block of a PEM file (RFC 7468).
 *
 * @param index 0-based position among the file's blocks
 * @param label the label of the BEGIN line, as written
 * @param base64 the text between the BEGIN and END lines with all whitespace removed
 * @param problem why the block is malformed (unterminated, mismatched END line), or null when it is well-formed
 */
record PemBlock(int index, String label, String base64, String problem) {

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  /**
   * The blocks of a PEM file, in order. Lines outside blocks are ignored (comments such as those in Mozilla's
   * cacert.pem); lines may end in LF or CRLF. Like OpenSSL, a boundary counts only at the start of a line.
   */
  static List<PemBlock> read(byte[] bytes) {
    // ISO-8859-1 maps every byte to one char, so no input can fail to decode.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<PemBlock> blocks = new ArrayList<>();
    String label = null;
    StringBuilder base64 = new StringBuilder();
    int start = 0;
    while (start < text.length()) {
      int newline = text.indexOf('\n', start);
      int next = newline < 0 ? text.length() : newline + 1;
      String line = text.substring(start, next).stripTrailing();
      start = next;
      if (line.startsWith(BEGIN)) {
        if (label != null) {
          blocks.add(unterminated(blocks.size(), label, base64));
        }
        label = between(line, BEGIN);
        base64.setLength(0);
      } else if (label != null && line.startsWith(END)) {
        String endLabel = between(line, END);
        String problem = endLabel.equals(label) ? null : "ends with an END line for \"" + printable(endLabel) + "\"";
        blocks.add(new PemBlock(blocks.size(), label, base64.toString(), problem));
        label = null;
      } else if (label != null) {
        appendWithoutWhitespace(base64, line);
      }
    }
    if (label != null) {
      blocks.add(unterminated(blocks.size(), label, base64));
    }
    return blocks;
  }

  /**
   * The label, fit to appear in a message: a label is short printable ASCII (RFC 7468), anything else is not echoed.
   */
  String printableLabel() {
    return printable(label);
  }

  private static PemBlock unterminated(int index, String label, StringBuilder base64) {
    return new PemBlock(index, label, base64.toString(), "has no END line (is the file truncated?)");
  }

  private static String between(String line, String marker) {
    String rest = line.substring(marker.length());
    return rest.endsWith(DASHES) ? rest.substring(0, rest.length() - DASHES.length()) : rest;
  }

  private static String printable(String label) {
    boolean ok = !label.isEmpty() && label.length() <= 64 && label.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return ok ? label : "(unreadable label)";
  }

  private static void appendWithoutWhitespace(StringBuilder out, String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!Character.isWhitespace(c)) {
        out.append(c);
      }
    }
  }
}
