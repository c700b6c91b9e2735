package com.mtlsgateway.customresource;

import java.net.URI;
import java.time.Instant;

/** Delivers a response body to the request's ResponseURL. */
public interface ResponseSender {

  /**
   * @param responseUrl the pre-signed URL; a credential, never to be logged
   * @param body        the JSON body, at most {@value ResponseBody#MAX_BYTES} bytes
   * @param deliverBy   give up (retries included) by this instant
   * @return true when the URL answered 2xx
   */
  boolean send(URI responseUrl, byte[] body, Instant deliverBy);
}
