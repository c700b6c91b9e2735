package com.mtlsgateway.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.customresource.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One cold custom resource invocation, for bench/run: what the Lambda runtime does in a new execution environment,
 * less its own runtime client. Reads the event file, instantiates the handler class by its public no-arg constructor
 * (the one Lambda uses), calls {@link RequestStreamHandler#handleRequest} once with a {@link LocalContext} of 120 s
 * (the functions' Timeout), prints the handler's output (the response body it PUT) on stdout, and exits.
 *
 * <pre>java [Lambda's JVM flags] -cp RUNNER:PACKAGE:PACKAGE/lib/* com.mtlsgateway.bench.ColdInvoke EVENT_FILE
 *     [HANDLER_CLASS]</pre>
 *
 * The handler class defaults to {@code com.mtlsgateway.truststore.TruststoreHandler}. It is loaded by name, so that
 * this class compiles without the functions' dependencies (the AWS SDK) and, at run time, the handler and everything
 * it uses come from the Lambda package on the class path, never from the benchmarks jar. Put only this class before
 * the package (bench/run copies it to a folder of its own).
 *
 * <p>Exit status: 0 when the handler returned, 1 when it threw (e.g. the response could not be delivered), 2 usage.
 */
public final class ColdInvoke {

  private static final String DEFAULT_HANDLER = "com.mtlsgateway.truststore.TruststoreHandler";

  private ColdInvoke() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ColdInvoke EVENT_FILE [HANDLER_CLASS]");
      System.exit(2);
    }
    String handlerClass = args.length == 2 ? args[1] : DEFAULT_HANDLER;
    int status = 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      RequestStreamHandler handler = (RequestStreamHandler) Class.forName(handlerClass)
          .getDeclaredConstructor().newInstance();
      handler.handleRequest(in, out,
          LocalContext.withTimeLeft("mtls-gateway-bench-TruststoreFunction", Duration.ofSeconds(120), System.err));
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    PrintStream stdout = System.out;
    stdout.println(out.toString(StandardCharsets.UTF_8));
    stdout.flush();
    // As Lambda would freeze the environment here: whatever threads the handler left do not hold the process.
    System.exit(status);
  }
}
