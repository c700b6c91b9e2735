package com.mtlsgateway.customresource;

import java.net.URI;

/**
 * The fields of a request that a response needs: where to PUT it and what to copy into it.
 *
 * @param physicalResourceId the event's PhysicalResourceId; null when absent (Create)
 */
record ReplyTo(URI responseUrl, String stackId, String requestId, String logicalResourceId, String physicalResourceId) {

  /** The id a failed Create answers with: deterministic, so a retried event gives the same id. */
  String createFailedId() {
    return CustomResourceHandler.CREATE_FAILED_ID_PREFIX + requestId;
  }

  /** Leaves out the ResponseURL, a credential that must not reach a log. */
  @Override
  public String toString() {
    return "ReplyTo[stackId=" + stackId + ", requestId=" + requestId + ", logicalResourceId=" + logicalResourceId
        + ", physicalResourceId=" + physicalResourceId + "]";
  }
}
