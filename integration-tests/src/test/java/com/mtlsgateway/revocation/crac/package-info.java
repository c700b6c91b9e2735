/**
 * A stand-in CRaC implementation for tests, in the shape {@code org.crac} looks for when the system property
 * {@code org.crac.Core.Compat} names this package (as it names {@code jdk.crac} on a CRaC JVM and Lambda's runtime
 * provides for SnapStart): resources registered through {@code org.crac.Core.getGlobalContext()} land here, and
 * {@code org.crac.Core.checkpointRestore()} runs their beforeCheckpoint and afterRestore hooks in this JVM, without
 * a real snapshot. The property must be set when the JVM starts, before {@code org.crac.Core} is loaded.
 */
package com.mtlsgateway.revocation.crac;
