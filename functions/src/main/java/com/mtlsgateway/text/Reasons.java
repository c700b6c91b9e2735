package com.mtlsgateway.text;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds a FAILED Reason that lists findings within a byte budget: a header, then as many items as fit, then
 * {@code "; ... and N more (the function's log has the full list)"}, so that a long list never has its last item cut
 * in half by the runtime's last-resort truncation.
 */
public final class Reasons {

  /**
   * UTF-8 bytes a findings Reason may take: room is left in CloudFormation's 4096-byte response for the other
   * fields (StackId, ids, a PhysicalResourceId of up to 1 KB) and for JSON escaping.
   */
  public static final int MAX_BYTES = 1800;

  private Reasons() {}

  /**
   * {@code header} followed by {@code items} joined with "; ", as many as fit in {@link #MAX_BYTES}. An item's
   * closing full stop is left out, so that no ".;" appears between items (an abbreviation's "..." is kept).
   */
  public static String list(String header, List<String> items) {
    StringBuilder reason = new StringBuilder(header);
    int listed = 0;
    for (String text : items) {
      String item = (listed == 0 ? "" : "; ") + clause(text);
      int remainingAfter = items.size() - listed - 1;
      String tail = remainingAfter == 0 ? "" : more(remainingAfter);
      if (listed > 0 && bytes(reason) + bytes(item) + bytes(tail) > MAX_BYTES) {
        break;
      }
      reason.append(item);
      listed++;
    }
    if (listed < items.size()) {
      reason.append(more(items.size() - listed));
    }
    return reason.toString();
  }

  /** {@code text} cut to {@code max} characters with "..." (never splitting a surrogate pair). */
  public static String abbreviate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 3;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }

  /** The text without its closing full stop, as a clause of a list; "..." and other endings are kept. */
  public static String clause(String text) {
    return text.endsWith(".") && !text.endsWith("..") ? text.substring(0, text.length() - 1) : text;
  }

  private static String more(int n) {
    return "; ... and " + n + " more (the function's log has the full list)";
  }

  private static int bytes(CharSequence text) {
    return text.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
