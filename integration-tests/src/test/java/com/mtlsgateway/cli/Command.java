package com.mtlsgateway.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program of this repository (bin/demo, bin/mtls) as a user would, with its output in files. */
record Command(int exitCode, String stdout, String stderr) {

  static Path projectRoot() {
    String root = System.getProperty("project.root");
    if (root == null) {
      throw new AssertionError("system property project.root is not set (the integration-tests pom sets it)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** Runs {@code command} in {@code directory}; fails the test if it does not end within {@code timeout}. */
  static Command run(Path directory, Duration timeout, List<String> command) throws IOException, InterruptedException {
    return run(directory, timeout, command, Map.of());
  }

  /**
   * As {@link #run(Path, Duration, List)}, with this process's environment changed by {@code environment}: each
   * name set to its value, or removed when the value is null.
   */
  static Command run(Path directory, Duration timeout, List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("command", ".out");
    Path err = Files.createTempFile("command", ".err");
    try {
      // Files, not pipes: a chatty or hung process can neither block on a full pipe nor dodge the timeout.
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      environment.forEach((name, value) -> {
        if (value == null) {
          builder.environment().remove(name);
        } else {
          builder.environment().put(name, value);
        }
      });
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
            + " s; output so far:\n" + Files.readString(out, StandardCharsets.UTF_8)
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Command(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** For assertion messages. */
  String transcript() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }
}
