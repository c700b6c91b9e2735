package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code cfn-lint template.yaml} must report nothing. cfn-lint runs the SAM transform itself, so
 * this also lints the plain CloudFormation that {@code sam deploy} submits.
 */
class CfnLintTest {

  private static final long TIMEOUT_SECONDS = 300;

  @Test
  void cfnLintReportsNothing() throws Exception {
    Path root = CfnTemplate.projectRoot();
    Result result = run(root, List.of("cfn-lint", "template.yaml"));
    if (result.exitCode() != 0 || !result.output().isBlank()) {
      fail("`cfn-lint template.yaml` (in " + root + ") exited with " + result.exitCode()
          + " and reported:\n" + result.output());
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
    // Output goes to a file, so that a hung process cannot block the read and the timeout applies.
    Path output = Files.createTempFile("cfn-lint", ".out");
    try {
      Process process;
      try {
        process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      } catch (IOException e) {
        throw new AssertionError("cfn-lint not found: install it with `pip install cfn-lint` (" + e.getMessage() + ")", e);
      }
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
