package com.mtlsgateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Common ground of tests that run {@link Main} on files: a temporary directory to write them in, and standard
 * output and error captured per test (UTF-8, not a terminal).
 */
abstract class CommandTestSupport {

  @TempDir
  Path dir;

  /** What {@link #run} wrote to standard output and error; {@code reset()} them between runs as needed. */
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Writes {@code content} (US-ASCII) to {@code name} in {@link #dir}. */
  Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
  }

  /** Runs {@code mtls} with these arguments, appending to {@link #out} and {@link #err}; returns the exit code. */
  int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Standard output so far, as UTF-8. */
  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
