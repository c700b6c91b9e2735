package com.mtlsgateway.endpoint;

import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.customresource.RequestType;
import com.mtlsgateway.customresource.ResponseBody;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Reason of a resource failed for API Gateway's {@code truststoreWarnings}: what is wrong and how to fix it
 * first, then as many whole warnings as fit in the response, then {@code "... and N more"}. The runtime would
 * only cut the Reason at its byte limit, in the middle of a warning and without saying how many were lost.
 */
final class TruststoreWarningsReason {
  static final String SEPARATOR = " | ";

  private static final Pattern SPACES = Pattern.compile("[\\p{Cc}\\s]+");
  private static final int EMPTY_FIELD = Json.write(Json.object().put("r", "")).length();

  private TruststoreWarningsReason() {}

  /**
   * @param head     the sentence before the warnings (always kept whole; the runtime cuts it only when it alone
   *     exceeds {@code room})
   * @param warnings the warnings as API Gateway gives them
   * @param room     bytes the Reason may take in the JSON body ({@link #room})
   * @return {@code head + "w1 | w2 | ... and N more (...)"}, whose JSON form fits {@code room} whenever
   *     {@code head} and the tail do
   */
  static String build(String head, List<String> warnings, int room) {
    List<String> clean = new ArrayList<>();
    warnings.forEach(warning -> clean.add(oneLine(warning)));
    String all = head + String.join(SEPARATOR, clean);
    if (jsonBytes(all) <= room) {
      return all;
    }
    StringBuilder kept = new StringBuilder(head);
    int count = 0;
    for (String warning : clean) {
      String next = kept + (count == 0 ? "" : SEPARATOR) + warning;
      if (jsonBytes(next + more(clean.size() - count - 1, true)) > room) {
        break;
      }
      kept.setLength(0);
      kept.append(next);
      count++;
    }
    return kept + more(clean.size() - count, count > 0);
  }

  /** The tail that counts the warnings left out. */
  static String more(int left, boolean afterWarning) {
    return (afterWarning ? SEPARATOR : "") + "... and " + left + " more (all in the function's log)";
  }

  /**
   * The bytes the Reason may take, as JSON, in the FAILED response to {@code request}: CloudFormation's
   * {@value ResponseBody#MAX_BYTES} less the other fields, as the runtime writes them (the id of a failed Create is
   * the runtime's marker; of a failed Update, the event's id).
   */
  static int room(CustomResourceRequest request) {
    String id = request.requestType() == RequestType.Create
        ? CustomResourceHandler.CREATE_FAILED_ID_PREFIX + request.requestId() : request.physicalResourceId();
    JsonObject body = Json.object();
    body.put("Status", "FAILED");
    body.put("Reason", "");
    body.put("PhysicalResourceId", id);
    body.put("StackId", request.stackId());
    body.put("RequestId", request.requestId());
    body.put("LogicalResourceId", request.logicalResourceId());
    body.put("NoEcho", false);
    body.put("Data", Json.object());
    return ResponseBody.MAX_BYTES - Json.write(body).getBytes(StandardCharsets.UTF_8).length;
  }

  /** The bytes {@code text} takes as a JSON string value, without its quotes. */
  static int jsonBytes(String text) {
    return Json.write(Json.object().put("r", text)).getBytes(StandardCharsets.UTF_8).length - EMPTY_FIELD;
  }

  /** Line breaks, tabs and other control characters as single spaces. */
  static String oneLine(String text) {
    return SPACES.matcher(text == null ? "" : text).replaceAll(" ").strip();
  }
}
