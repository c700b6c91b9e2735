package com.mtlsgateway.customresource;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.text.Articles;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One CloudFormation custom resource request, parsed from the exact JSON CloudFormation sends (PascalCase keys,
 * every property value a string or a list/map of strings). Field meanings: CloudFormation User Guide, "Custom
 * resource request objects" (crpg-ref-requests).
 *
 * @param requestType        Create, Update or Delete
 * @param responseUrl        the pre-signed S3 URL the response is PUT to; a credential: never log it
 * @param stackId            the stack ARN, copied into the response
 * @param requestId          unique per request (a UUID), copied into the response
 * @param resourceType       e.g. {@code Custom::Truststore}
 * @param logicalResourceId  the resource's name in the template, copied into the response
 * @param physicalResourceId the id returned by the Create; null on Create
 * @param properties         {@code ResourceProperties}
 * @param oldProperties      {@code OldResourceProperties}; null unless Update
 */
public record CustomResourceRequest(RequestType requestType, String responseUrl, String stackId, String requestId,
    String resourceType, String logicalResourceId, String physicalResourceId, ResourceProperties properties,
    ResourceProperties oldProperties) {

  /**
   * The least room a response must leave for its Reason once the copied fields and a worst-case
   * PhysicalResourceId are in. Not a CloudFormation limit: it keeps every FAILED response readable. Real
   * StackId, RequestId and LogicalResourceId take about 300 bytes, leaving about 1,600.
   */
  static final int MIN_REASON_ROOM = 256;

  /**
   * Parses a request.
   *
   * @param json the event as UTF-8 JSON
   * @throws InvalidRequestException naming the missing or malformed field; it never quotes the ResponseURL
   */
  public static CustomResourceRequest parse(byte[] json) {
    JsonObject root = object(json);
    ReplyTo replyTo = replyTo(root);
    try {
      RequestType type = requestType(text(root, "RequestType"));
      String resourceType = text(root, "ResourceType");
      ResourceProperties properties = properties(root, "ResourceProperties");
      ResourceProperties oldProperties = type == RequestType.Update ? properties(root, "OldResourceProperties") : null;
      String physicalResourceId = null;
      if (type != RequestType.Create) {
        physicalResourceId = replyTo.physicalResourceId();
        if (physicalResourceId == null) {
          throw new InvalidRequestException("Field PhysicalResourceId is missing: "
              + Articles.withIndefinite(type.name()) + " request always carries the id returned by the Create");
        }
      }
      return new CustomResourceRequest(type, replyTo.responseUrl().toString(), replyTo.stackId(), replyTo.requestId(),
          resourceType, replyTo.logicalResourceId(), physicalResourceId, properties, oldProperties);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(e.getMessage(), replyTo);
    }
  }

  /** Where and how to answer this request. */
  ReplyTo replyTo() {
    return new ReplyTo(URI.create(responseUrl), stackId, requestId, logicalResourceId, physicalResourceId);
  }

  /**
   * The event, read leniently ({@link JsonCodec#parseLenient}): a property name or nesting beyond the JSON reader's
   * usual limits must not leave the request unanswered; the property's own checks refuse such a value.
   */
  private static JsonObject object(byte[] json) {
    Object root;
    try {
      root = JsonCodec.parseLenient(json);
    } catch (JsonProcessingException e) {
      // Only the position: the parser's message may quote the text, which could be the ResponseURL.
      JsonLocation at = e.getLocation();
      throw new InvalidRequestException("The event is not valid JSON" + (at == null ? ""
          : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (!(root instanceof JsonObject object)) {
      throw new InvalidRequestException("The event is not a JSON object");
    }
    return object;
  }

  /** Reads and checks the fields a response needs, so that any later problem can still be answered. */
  private static ReplyTo replyTo(JsonObject root) {
    URI url = responseUrl(text(root, "ResponseURL"));
    String stackId = text(root, "StackId");
    String requestId = text(root, "RequestId");
    String logicalResourceId = text(root, "LogicalResourceId");
    String physicalResourceId = optionalText(root, "PhysicalResourceId");
    if (physicalResourceId != null) {
      ResponseBody.physicalIdProblem(physicalResourceId).ifPresent(problem -> {
        throw new InvalidRequestException("Field PhysicalResourceId " + problem);
      });
    }
    ReplyTo replyTo = new ReplyTo(url, stackId, requestId, logicalResourceId, physicalResourceId);
    ResponseBody.physicalIdProblem(replyTo.createFailedId()).ifPresent(problem -> {
      throw new InvalidRequestException("Field RequestId cannot form the failed-Create id: it " + problem);
    });
    if (ResponseBody.roomForReason(stackId, requestId, logicalResourceId) < MIN_REASON_ROOM) {
      throw new InvalidRequestException("Fields StackId, RequestId and LogicalResourceId are too long to fit in a "
          + "response of at most " + ResponseBody.MAX_BYTES + " bytes");
    }
    return replyTo;
  }

  private static URI responseUrl(String value) {
    // The URL is a credential: messages describe it without quoting it.
    try {
      URI url = new URI(value);
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("https") || scheme.equals("http")) && url.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below, without the value
    }
    throw new InvalidRequestException("Field ResponseURL is not an absolute http(s) URL");
  }

  private static RequestType requestType(String value) {
    for (RequestType type : RequestType.values()) {
      if (type.name().equals(value)) {
        return type;
      }
    }
    throw new InvalidRequestException("Field RequestType is \"" + value + "\": expected Create, Update or Delete");
  }

  private static ResourceProperties properties(JsonObject root, String field) {
    Object node = root.get(field);
    if (node == null) {
      throw new InvalidRequestException("Field " + field + " is missing");
    }
    if (!(node instanceof JsonObject object)) {
      throw new InvalidRequestException("Field " + field + " is not a JSON object");
    }
    return new ResourceProperties(object);
  }

  private static String text(JsonObject root, String field) {
    String value = optionalText(root, field);
    if (value == null || value.isEmpty()) {
      throw new InvalidRequestException("Field " + field + " is missing or empty");
    }
    return value;
  }

  private static String optionalText(JsonObject root, String field) {
    Object node = root.get(field);
    if (node == null) {
      return null;
    }
    if (!(node instanceof String text)) {
      throw new InvalidRequestException("Field " + field + " is not a string");
    }
    return text;
  }

  /** Names every field but the ResponseURL, a credential that must not reach a log. */
  @Override
  public String toString() {
    return "CustomResourceRequest[requestType=" + requestType + ", stackId=" + stackId + ", requestId=" + requestId
        + ", resourceType=" + resourceType + ", logicalResourceId=" + logicalResourceId + ", physicalResourceId="
        + physicalResourceId + ", properties=" + properties + ", oldProperties=" + oldProperties + "]";
  }
}
