package com.mtlsgateway.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Security;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes the Amazon Corretto Crypto Provider (ACCP, AWS-LC inside) this JVM's most preferred security provider when its
 * native library loads here, so that signature checks, digests and TLS handshakes use it; otherwise the JDK's own
 * providers stay in charge. Findings never depend on which one serves ({@link CertificateSignatures}).
 *
 * <p>Why: the truststore rules verify one signature per certificate, and an ECDSA P-256 verification costs about
 * 1.0 ms in the JDK (SunEC) against about 0.07 ms in ACCP (measured on JDK 17, x86_64). But loading ACCP costs about
 * 0.3 s of CPU (it copies its 9.6 MB native library out of its jar and loads it), so it pays
 * only for large bundles: the truststore rules call {@link #install()} when a bundle has many certificates, and a
 * command line that may meet one calls {@link #installInBackground()} first, so that the load overlaps its parsing. ACCP's jar carries a native library for one platform (its Maven classifier:
 * {@code linux-x86_64} or {@code linux-aarch_64}); on any other platform (macOS, Windows, another architecture), or
 * when the jar is not on the class path, nothing changes.
 *
 * <pre>{@code
 * CryptoProviders.installInBackground();            // at start: returns at once
 * CryptoProviders.Choice choice = CryptoProviders.install(); // before heavy signature work: waits for it
 * choice.description(); // "AmazonCorrettoCryptoProvider 2.5.0 (AWS-LC v1.47.0)" or "JDK (SunEC, SunRsaSign)"
 * }</pre>
 */
public final class CryptoProviders {

  /** The provider name ACCP registers under. */
  public static final String ACCP_NAME = "AmazonCorrettoCryptoProvider";

  private static final FutureTask<Choice> INSTALL = new FutureTask<>(CryptoProviders::tryAccp);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private CryptoProviders() {}

  /**
   * What serves signatures in this JVM.
   *
   * @param accelerated true when ACCP is installed first
   * @param description the provider and its version, for a log line
   * @param reason why ACCP is not used (null when it is): its loading error, or that it is not on the class path
   */
  public record Choice(boolean accelerated, String description, String reason) {}

  /** Starts {@link #install()} on a daemon thread, unless it has started already; returns at once. Never throws. */
  public static void installInBackground() {
    if (STARTED.compareAndSet(false, true)) {
      Thread loader = new Thread(INSTALL, "crypto-provider-install");
      loader.setDaemon(true);
      loader.start();
    }
  }

  /**
   * Installs ACCP at the first position of {@link Security}'s provider list if its native library loads; does
   * nothing otherwise. Only the first install does any work, on the caller's thread or on the
   * background one; later calls wait for it if needed and return its outcome. Never throws.
   *
   * @return what serves signatures from now on
   */
  public static Choice install() {
    if (STARTED.compareAndSet(false, true)) {
      INSTALL.run();
    }
    try {
      return INSTALL.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return current();
    } catch (ExecutionException e) {
      return jdk("installing " + ACCP_NAME + " failed: " + e.getCause());
    }
  }

  /** What serves signatures right now, without waiting for an install in progress. Never throws. */
  public static Choice current() {
    if (INSTALL.isDone()) {
      try {
        return INSTALL.get();
      } catch (InterruptedException | ExecutionException e) {
        return jdk(String.valueOf(e.getCause()));
      }
    }
    return jdk(STARTED.get() ? ACCP_NAME + " is still loading" : ACCP_NAME + " was not needed");
  }

  private static Choice tryAccp() {
    try {
      String problem = Accp.install();
      return problem == null ? new Choice(true, Accp.description(), null) : jdk(problem);
    } catch (LinkageError e) {
      // The jar is absent (the CLI on a platform ACCP does not support): the JDK serves.
      return jdk(ACCP_NAME + " is not on the class path (no build for " + platform() + ")");
    }
  }

  private static Choice jdk(String reason) {
    return new Choice(false, "JDK (" + Security.getProviders("Signature.SHA256withECDSA")[0].getName() + ", "
        + Security.getProviders("Signature.SHA256withRSA")[0].getName() + ")", reason);
  }

  private static String platform() {
    return System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }

  /** Touches ACCP's classes only here, so that a missing jar surfaces as one LinkageError above. */
  private static final class Accp {
    /**
     * Null once installed, else why not. No {@code assertHealthy()}: it would run ACCP's HMAC and DRBG self-tests on
     * this thread (about 0.1 s); ACCP runs them in the background itself and withholds an algorithm whose test
     * failed, so that the JDK's serves it instead.
     */
    static String install() {
      Throwable loading = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
      if (loading != null) {
        return ACCP_NAME + "'s native library does not load on " + platform() + ": " + loading;
      }
      AmazonCorrettoCryptoProvider.install();
      return null;
    }

    static String description() {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      return ACCP_NAME + " " + accp.getVersionStr() + " (" + accp.getAwsLcVersionStr() + ")";
    }
  }
}
