package com.mtlsgateway.revocation.crac;

/** As {@code jdk.crac.Resource}. */
public interface Resource {
  void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

  void afterRestore(Context<? extends Resource> context) throws Exception;
}
