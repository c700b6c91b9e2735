package com.mtlsgateway.revocation.crac;

/** As {@code jdk.crac.RestoreException}. */
public class RestoreException extends Exception {
  private static final long serialVersionUID = 1L;
}
