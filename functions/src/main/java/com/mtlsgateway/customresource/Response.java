package com.mtlsgateway.customresource;

import java.util.Map;

/**
 * A response as the runtime means to send it, before {@link ResponseBody#fit} makes it fit CloudFormation's limits.
 *
 * @param reason required when FAILED; null leaves the field out
 * @param data sorted by name (see {@link Outcome#data()})
 */
record Response(Status status, String reason, String physicalResourceId, ReplyTo replyTo, boolean noEcho,
    Map<String, String> data) {

  enum Status { SUCCESS, FAILED }

  static Response success(ReplyTo replyTo, Outcome outcome, String physicalResourceId) {
    return new Response(Status.SUCCESS, null, physicalResourceId, replyTo, outcome.noEcho(), outcome.data());
  }

  static Response failed(ReplyTo replyTo, String physicalResourceId, String reason) {
    return new Response(Status.FAILED, reason, physicalResourceId, replyTo, false, Map.of());
  }

  Response withReason(String newReason) {
    return new Response(status, newReason, physicalResourceId, replyTo, noEcho, data);
  }
}
