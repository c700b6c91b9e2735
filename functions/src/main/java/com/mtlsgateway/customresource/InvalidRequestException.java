package com.mtlsgateway.customresource;

import java.util.Optional;

/** The event is not a well-formed CloudFormation custom resource request; the message names the field at fault. */
public class InvalidRequestException extends CustomResourceException {
  private static final long serialVersionUID = 1L;

  private final transient ReplyTo replyTo;

  InvalidRequestException(String message) {
    this(message, null);
  }

  InvalidRequestException(String message, ReplyTo replyTo) {
    super(message);
    this.replyTo = replyTo;
  }

  /** Where the FAILED response can still go: present when the fields needed to answer were valid. */
  Optional<ReplyTo> replyTo() {
    return Optional.ofNullable(replyTo);
  }
}
