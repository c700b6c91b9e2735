package com.mtlsgateway.customresource;

import com.mtlsgateway.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the JSON body of a custom resource response so that CloudFormation always accepts it. Pure: the same
 * response gives the same bytes.
 *
 * <p>Limits, from the CloudFormation User Guide, "Custom resource response objects" (crpg-ref-responses): the
 * body is at most {@value #MAX_BYTES} bytes (beyond it CloudFormation reports only "Response object is too long"
 * and the real reason is lost); PhysicalResourceId is non-empty and at most {@value #MAX_PHYSICAL_ID_BYTES} bytes.
 * Control characters are removed from the Reason because they break DescribeStackEvents output.
 */
public final class ResponseBody {
  /** Largest body CloudFormation accepts, in bytes (crpg-ref-responses; CloudFormation quotas "Custom resource response"). */
  public static final int MAX_BYTES = 4096;
  /** Largest PhysicalResourceId, in bytes of UTF-8 (crpg-ref-responses: "up to 1 KB in size"). */
  public static final int MAX_PHYSICAL_ID_BYTES = 1024;
  /** Ends a Reason that was cut to fit. */
  public static final String TRUNCATED = "…(truncated)";

  private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");
  private static final Pattern LINE_BREAKS = Pattern.compile("[\t\n\r]+");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
  private static final String WORST_CASE_ID = "\"".repeat(MAX_PHYSICAL_ID_BYTES); // each escapes to 2 bytes

  private ResponseBody() {}

  /**
   * @return the UTF-8 JSON body of {@link #fit fit(response)}: at most {@value #MAX_BYTES} bytes
   * @throws IllegalArgumentException as {@link #fit} does
   */
  static byte[] build(Response response) {
    return bytes(fit(response));
  }

  /**
   * Makes a response fit: removes control characters from the Reason (escape sequences whole, line breaks become
   * spaces), replaces a response whose Data cannot fit by a FAILED one that says so, and cuts the Reason at a code
   * point boundary, marking the cut with {@value #TRUNCATED}.
   *
   * @return the response as it will be sent
   * @throws IllegalArgumentException when the PhysicalResourceId is not valid, or the copied request fields leave no
   *     room for a Reason ({@link CustomResourceRequest#parse} rejects such requests)
   */
  static Response fit(Response response) {
    physicalIdProblem(response.physicalResourceId()).ifPresent(problem -> {
      throw new IllegalArgumentException("PhysicalResourceId " + problem);
    });
    Response clean = response.withReason(clean(response.reason()));
    if (size(clean) <= MAX_BYTES) {
      return clean;
    }
    if (!clean.data().isEmpty() && size(clean.withReason(TRUNCATED)) > MAX_BYTES) {
      clean = dataTooLarge(clean);
      if (size(clean) <= MAX_BYTES) {
        return clean;
      }
    }
    return truncateReason(clean);
  }

  /**
   * Checks a PhysicalResourceId against CloudFormation's rules, and against control characters, which could make
   * its JSON form six times longer.
   *
   * @return what is wrong, phrased to follow "PhysicalResourceId"; empty when the id is valid
   */
  static Optional<String> physicalIdProblem(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("is empty: CloudFormation requires a non-empty id");
    }
    int bytes = id.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PHYSICAL_ID_BYTES) {
      return Optional.of("is " + bytes + " bytes: CloudFormation allows at most " + MAX_PHYSICAL_ID_BYTES);
    }
    if (CONTROL.matcher(id).find()) {
      return Optional.of("contains control characters");
    }
    return Optional.empty();
  }

  /** Bytes left for the Reason of a FAILED response to a request with these fields and the longest possible id. */
  static int roomForReason(String stackId, String requestId, String logicalResourceId) {
    ReplyTo replyTo = new ReplyTo(null, stackId, requestId, logicalResourceId, null);
    return MAX_BYTES - size(Response.failed(replyTo, WORST_CASE_ID, ""));
  }

  private static Response dataTooLarge(Response response) {
    int dataBytes = Json.write(dataNode(response.data())).getBytes(StandardCharsets.UTF_8).length;
    String reason = "The response Data is " + dataBytes + " bytes of JSON, too large for CloudFormation's "
        + MAX_BYTES + "-byte response limit: return fewer or shorter values";
    if (response.status() == Response.Status.FAILED && response.reason() != null) {
      reason += ". The request had failed anyway: " + response.reason();
    }
    return Response.failed(response.replyTo(), response.physicalResourceId(), reason);
  }

  private static Response truncateReason(Response response) {
    String reason = response.reason() == null ? "" : response.reason();
    if (size(response.withReason(TRUNCATED)) > MAX_BYTES) {
      throw new IllegalArgumentException("The request fields leave no room for a Reason in " + MAX_BYTES + " bytes");
    }
    // Largest prefix, in code points, that fits with the marker. Each code point takes at least one byte.
    int low = 0;
    int high = Math.min(reason.codePointCount(0, reason.length()), MAX_BYTES);
    while (low < high) {
      int middle = (low + high + 1) / 2;
      if (size(response.withReason(prefix(reason, middle) + TRUNCATED)) <= MAX_BYTES) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return response.withReason(prefix(reason, low) + TRUNCATED);
  }

  private static String prefix(String text, int codePoints) {
    return text.substring(0, text.offsetByCodePoints(0, codePoints));
  }

  private static String clean(String reason) {
    if (reason == null) {
      return null;
    }
    String noEscapes = ANSI_ESCAPE.matcher(reason).replaceAll("");
    String oneLine = LINE_BREAKS.matcher(noEscapes).replaceAll(" ");
    return CONTROL.matcher(oneLine).replaceAll("");
  }

  private static int size(Response response) {
    return bytes(response).length;
  }

  private static byte[] bytes(Response response) {
    JsonObject body = Json.object();
    body.put("Status", response.status().name());
    if (response.reason() != null) {
      body.put("Reason", response.reason());
    }
    body.put("PhysicalResourceId", response.physicalResourceId());
    body.put("StackId", response.replyTo().stackId());
    body.put("RequestId", response.replyTo().requestId());
    body.put("LogicalResourceId", response.replyTo().logicalResourceId());
    body.put("NoEcho", response.noEcho());
    body.put("Data", dataNode(response.data()));
    // String.getBytes replaces a lone surrogate with '?', so any Java string gives valid UTF-8.
    return Json.write(body).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject dataNode(Map<String, String> data) {
    JsonObject node = Json.object();
    data.forEach(node::put);
    return node;
  }
}
