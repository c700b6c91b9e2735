package com.mtlsgateway.customresource;

/**
 * An exception whose message is fit to show the user as the Reason of a FAILED response: it says what is wrong and
 * how to fix it, and holds no secret. Any other exception reaching the runtime is reported with its class name.
 */
public class CustomResourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CustomResourceException(String message) {
    super(message);
  }

  public CustomResourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
