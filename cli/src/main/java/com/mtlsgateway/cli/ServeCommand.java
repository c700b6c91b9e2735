package com.mtlsgateway.cli;

import com.mtlsgateway.cli.client.ClientAcceptance;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mtls serve}: the stack's mutual TLS custom domain on 127.0.0.1, in front of a local backend (see
 * {@link LocalGateway}). Runs until the process is interrupted (Ctrl-C) or terminated.
 */
final class ServeCommand {

  static final int DEFAULT_PORT = 8443;

  /**
   * The command line.
   *
   * @param backend the backend's origin, {@code http://HOST:PORT}, without a path
   * @param port the port on 127.0.0.1, 0 for a free one
   * @param crls CRL files (DER or PEM) for the revocation check, as {@code client check --crl}
   */
  record Options(Path truststore, Path cert, Path key, URI backend, int port, List<Path> crls) {}

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Duration integrationTimeout;

  ServeCommand(PrintStream out, PrintStream err, Clock clock, Duration integrationTimeout) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.integrationTimeout = integrationTimeout;
  }

  /**
   * Serves until the JVM shuts down.
   *
   * @return {@link Main#USAGE_OR_IO} when an input is unusable or the port cannot be bound (nothing listens then);
   *     otherwise it returns only when interrupted
   */
  int run(Options options) {
    LocalGateway gateway = open(options);
    if (gateway == null) {
      return Main.USAGE_OR_IO;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      err.println("mtls: stopped serving " + gateway.url());
      err.flush();
      out.flush();
      stopped.countDown();
    }, "mtls-serve-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Main.OK;
  }

  /**
   * Reads the inputs and starts listening, then prints the ready line on stderr:
   * {@code mtls: serving https://127.0.0.1:PORT/ -> BACKEND (...)}.
   *
   * @return the running gateway, or null after a message on stderr naming the flag, the problem and the fix
   */
  LocalGateway open(Options options) {
    TlsFiles.ServerIdentity identity;
    ClientAcceptance acceptance;
    try {
      identity = TlsFiles.serverIdentity(options.cert(), options.key());
    } catch (TlsFiles.TlsFileException e) {
      err.println("mtls: " + e.getMessage());
      return null;
    }
    try {
      acceptance = ClientAcceptance.load(options.truststore(), options.crls(), clock);
    } catch (ClientAcceptance.InputException e) {
      err.println("mtls: " + e.getMessage());
      return null;
    }
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port());
    LocalGateway gateway;
    try {
      gateway = LocalGateway.start(
          new LocalGateway.Settings(address, identity, acceptance, options.backend(), integrationTimeout), clock,
          out, err);
    } catch (BindException e) {
      err.println("mtls: cannot listen on 127.0.0.1 port " + options.port() + " (--port): " + e.getMessage()
          + "; choose another port with --port N, or --port 0 for a free one");
      return null;
    } catch (IOException | GeneralSecurityException e) {
      err.println("mtls: cannot start the HTTPS server on 127.0.0.1 port " + options.port() + ": " + e.getMessage());
      return null;
    }
    err.println("mtls: serving " + gateway.url() + " -> " + options.backend() + " (client certificates checked"
        + " against " + options.truststore() + "; access log on stdout; Ctrl-C to stop)");
    err.flush();
    return gateway;
  }
}
