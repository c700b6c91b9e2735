package com.mtlsgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what the code under test prints on stdout (where the runtime's JSON log lines go) until closed, then
 * restores stdout. System.out is global: use it in tests that do not run in parallel with others printing.
 *
 * <pre>{@code
 * try (CapturedStdout stdout = CapturedStdout.start()) {
 *   handler.handleRequest(in, out, context);
 *   assertThat(stdout.lines()).singleElement().asString().doesNotContain(url);
 * }
 * }</pre>
 */
public final class CapturedStdout implements AutoCloseable {
  private final PrintStream original;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  private CapturedStdout() {
    original = System.out;
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  /** Starts capturing. */
  public static CapturedStdout start() {
    return new CapturedStdout();
  }

  /** Everything printed so far. */
  public String text() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** The lines printed so far, without line ends. */
  public List<String> lines() {
    return text().lines().toList();
  }

  /** Restores stdout. */
  @Override
  public void close() {
    System.setOut(original);
  }
}
