package com.mtlsgateway.truststore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code -----BEGIN label-----} ... {@code -----END label-----} block of a PEM file (RFC 7468). The truststore
 * rules and the server certificate checks read PEM certificates with it, so that both report a malformed layout in
 * the same words ({@link #missingLineBreakMessage}, {@link #oneLineMessage}).
 *
 * @param index 0-based position among the file's blocks
 * @param label the label of the BEGIN line, as written (up to the dashes that close it)
 * @param base64 the text between the BEGIN and END lines with all whitespace removed
 * @param problem why the block is malformed (unterminated, mismatched END line, text after its BEGIN or END
 *     marker), or null when it is well-formed
 * @param lineBreaks whether the block is laid out on lines, or was found all on one line
 * @param nextLabel when this block's END marker is followed on the same line by the next block's
 *     {@code -----BEGIN} (a line break is missing between them), the label of that next block; else null
 */
public record PemBlock(int index, String label, String base64, String problem, LineBreaks lineBreaks, String nextLabel) {

  /** How a block is laid out. */
  public enum LineBreaks {
    /** BEGIN line, base64 lines and END line each on lines of their own, as RFC 7468 requires. */
    PRESENT,
    /** All on one line, separated by the two characters {@code \n} (or {@code \r\n}) instead of line breaks. */
    MISSING_ESCAPED,
    /** All on one line, separated by spaces (or tabs) instead of line breaks. */
    MISSING_SPACES
  }

  /**
   * What {@link #read} found.
   *
   * @param blocks the blocks, in order
   * @param byteOrderMarkLines the 1-based numbers of the lines that start with a UTF-8 byte-order mark (EF BB BF),
   *     in order; a mark is read past, so the block after it is still found
   */
  public record Scan(List<PemBlock> blocks, List<Integer> byteOrderMarkLines) {}

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";
  private static final String UNTERMINATED = "has no END line (is the file truncated?)";
  /** EF BB BF read as ISO-8859-1, as {@link #read} reads. */
  private static final String BYTE_ORDER_MARK = "\u00ef\u00bb\u00bf";

  /**
   * The blocks of a PEM file, in order. Lines outside blocks are ignored (comments such as those in Mozilla's
   * cacert.pem); lines may end in LF or CRLF. Like OpenSSL, a boundary counts only at the start of a line, with
   * these exceptions, which are recorded on the block so that they can be reported:
   *
   * <ul>
   *   <li>a UTF-8 byte-order mark at the start of a line is skipped ({@link Scan#byteOrderMarkLines});
   *   <li>a {@code -----BEGIN} right after an END marker on the same line ({@code -----END CERTIFICATE----------BEGIN
   *       CERTIFICATE-----}, from concatenating a file that does not end with a newline) starts the next block
   *       ({@link #nextLabel}): RFC 7468 labels cannot contain five dashes, so the split is unambiguous;
   *   <li>a block whose BEGIN marker is followed on its line by more text that holds an END marker or a literal
   *       {@code \n} is read as a block laid out on one line ({@link #lineBreaks}), and so is any further block on
   *       that line.
   * </ul>
   */
  public static Scan read(byte[] bytes) {
    // ISO-8859-1 maps every byte to one char, so no input can fail to decode.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    Reader reader = new Reader();
    int start = 0;
    int lineNumber = 0;
    while (start < text.length()) {
      int newline = text.indexOf('\n', start);
      int next = newline < 0 ? text.length() : newline + 1;
      String line = text.substring(start, next).stripTrailing();
      start = next;
      lineNumber++;
      if (line.startsWith(BYTE_ORDER_MARK)) {
        reader.byteOrderMarkLines.add(lineNumber);
        line = line.substring(BYTE_ORDER_MARK.length());
      }
      reader.line(line);
    }
    reader.finish();
    return new Scan(List.copyOf(reader.blocks), List.copyOf(reader.byteOrderMarkLines));
  }

  /** Whether the bytes start with a UTF-8 byte-order mark (EF BB BF). */
  static boolean startsWithByteOrderMark(byte[] bytes) {
    return bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf;
  }

  /**
   * The label, fit to appear in a message: a label is short printable ASCII (RFC 7468), anything else is not echoed.
   */
  public String printableLabel() {
    return printable(label);
  }

  /** {@link #nextLabel}, fit to appear in a message. */
  String printableNextLabel() {
    return printable(nextLabel);
  }

  /**
   * The problem of a block whose END marker runs into the next block's BEGIN marker ({@link #nextLabel} is set), its
   * cause and fix, in sentences.
   *
   * @param reader who reads the file and does not document such a line, e.g. {@code API Gateway} or {@code ACM}
   */
  public String missingLineBreakMessage(String reader) {
    return "PEM block " + index + " ends on the line where PEM block " + (index + 1) + " begins"
        + " (-----END " + printableLabel() + "----------BEGIN " + printableNextLabel() + "-----): a line"
        + " break is missing between the END line and the next BEGIN line, as when files are concatenated and one"
        + " does not end with a newline. Both blocks were still read and checked, but " + reader + "'s handling of"
        + " such a line is not documented: add a newline at the end of each file before concatenating (e.g. `awk 1"
        + " FILE1 FILE2 > bundle.pem`), or insert the line break.";
  }

  /**
   * The problem of a CERTIFICATE block laid out on one line ({@link #lineBreaks} is not {@code PRESENT}), its cause
   * and fix, in sentences.
   */
  public String oneLineMessage() {
    String start = "PEM block " + index + " (CERTIFICATE) is all on one line: its line breaks are missing,";
    if (lineBreaks == LineBreaks.MISSING_ESCAPED) {
      return start + " replaced by literal \\n sequences, as when a PEM is pasted as a one-line string (a"
          + " CloudFormation parameter, a JSON or YAML value): put the line breaks back (e.g. `sed -i"
          + " 's/\\\\n/\\n/g' FILE`), or take a fresh copy of the certificate from the CA.";
    }
    return start + " removed or replaced by spaces, as when a PEM is pasted into a one-line field (such as a"
        + " CloudFormation parameter): put -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- each on a line of"
        + " its own, with the base64 text on the lines between them, or take a fresh copy of the certificate from the"
        + " CA.";
  }

  /** The state of one {@link #read}. */
  private static final class Reader {
    final List<PemBlock> blocks = new ArrayList<>();
    final List<Integer> byteOrderMarkLines = new ArrayList<>();
    private final StringBuilder base64 = new StringBuilder();
    private String label; // of the open block; null outside blocks
    private String problem; // of the open block
    private LineBreaks lineBreaks; // of the open block

    void line(String line) {
      String rest = line;
      while (rest != null) {
        rest = take(rest);
      }
    }

    void finish() {
      if (label != null) {
        close(UNTERMINATED, null);
      }
    }

    /** Reads the start of {@code text} (a line, or what is left of it); returns what is left to read, or null. */
    private String take(String text) {
      if (text.startsWith(BEGIN)) {
        return begin(text.substring(BEGIN.length()));
      }
      if (label == null) {
        return null; // text outside blocks
      }
      if (lineBreaks != LineBreaks.PRESENT) {
        int end = text.indexOf(END);
        appendWithoutWhitespace(end < 0 ? text : text.substring(0, end));
        return end < 0 ? null : end(text.substring(end + END.length()));
      }
      if (text.startsWith(END)) {
        return end(text.substring(END.length()));
      }
      appendWithoutWhitespace(text);
      return null;
    }

    /** {@code rest}: what follows "-----BEGIN ". */
    private String begin(String rest) {
      if (label != null) {
        close(UNTERMINATED, null);
      }
      int dashes = rest.indexOf(DASHES);
      String after = dashes < 0 ? "" : rest.substring(dashes + DASHES.length());
      label = dashes < 0 ? rest : rest.substring(0, dashes);
      problem = null;
      lineBreaks = LineBreaks.PRESENT;
      base64.setLength(0);
      if (after.isBlank()) {
        return null;
      }
      if (after.contains("\\n") || after.contains("\\r")) {
        lineBreaks = LineBreaks.MISSING_ESCAPED;
        return after;
      }
      if (after.contains(END)) {
        lineBreaks = LineBreaks.MISSING_SPACES;
        return after;
      }
      problem = "has other text after -----BEGIN " + printable(label) + "----- on the same line";
      return null;
    }

    /** {@code rest}: what follows "-----END ". */
    private String end(String rest) {
      int dashes = rest.indexOf(DASHES);
      String endLabel = dashes < 0 ? rest : rest.substring(0, dashes);
      String after = dashes < 0 ? "" : rest.substring(dashes + DASHES.length());
      String next = lineBreaks == LineBreaks.MISSING_ESCAPED ? withoutLeadingEscapes(after) : after.strip();
      String endProblem = null;
      if (!endLabel.equals(label)) {
        endProblem = "ends with an END line for \"" + printable(endLabel) + "\"";
      } else if (!next.isEmpty() && !next.startsWith(BEGIN)) {
        endProblem = "has other text after -----END " + printable(label) + "----- on the same line";
      }
      String nextLabel = null;
      if (next.startsWith(BEGIN) && lineBreaks == LineBreaks.PRESENT) {
        String nextRest = next.substring(BEGIN.length());
        int nextDashes = nextRest.indexOf(DASHES);
        nextLabel = nextDashes < 0 ? nextRest : nextRest.substring(0, nextDashes);
      }
      close(problem != null ? problem : endProblem, nextLabel);
      return next.startsWith(BEGIN) ? next : null;
    }

    private void close(String blockProblem, String nextLabel) {
      blocks.add(new PemBlock(blocks.size(), label, base64.toString(), blockProblem, lineBreaks, nextLabel));
      label = null;
      problem = null;
      base64.setLength(0);
    }

    private void appendWithoutWhitespace(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (!Character.isWhitespace(c)) {
          base64.append(c);
        }
      }
    }

    /** {@code text} without leading whitespace and literal {@code \n}, {@code \r} and {@code \t} sequences. */
    private static String withoutLeadingEscapes(String text) {
      int i = 0;
      while (i < text.length()) {
        if (Character.isWhitespace(text.charAt(i))) {
          i++;
        } else if (text.startsWith("\\n", i) || text.startsWith("\\r", i) || text.startsWith("\\t", i)) {
          i += 2;
        } else {
          break;
        }
      }
      return text.substring(i);
    }
  }

  private static String printable(String label) {
    boolean ok = label != null && !label.isEmpty() && label.length() <= 64
        && label.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return ok ? label : "(unreadable label)";
  }
}
