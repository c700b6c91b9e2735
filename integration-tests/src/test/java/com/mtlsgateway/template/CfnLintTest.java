package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cfn-lint template.yaml} must report nothing. cfn-lint runs the SAM transform itself, so
 * this also lints the plain CloudFormation that {@code sam deploy} submits. With {@code --parameters},
 * cfn-lint resolves the conditions for those values (it does not evaluate the Rules: the template tests
 * do); a few parameter sets whose conditions differ from the defaults are linted that way too (each run
 * takes several seconds, so only where the template branches).
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

  /** The required parameters, as Scenario gives them. */
  private static final List<String> REQUIRED = List.of("DomainName=" + Scenario.DOMAIN,
      "CertificateArn=" + Scenario.CERTIFICATE, "TruststoreSourceUri=s3://my-pki/client-cas.pem",
      "VpcId=" + Scenario.VPC, "PrivateSubnetIds=" + String.join(",", Scenario.SUBNETS));

  /** BackendProtocol=HTTPS: to TargetIps skipping verification, and to an existing NLB verifying. */
  @ParameterizedTest
  @ValueSource(strings = {
      "TargetIps=10.0.1.10 TargetPort=443 BackendProtocol=HTTPS BackendHostName=backend.example.com "
          + "BackendTlsSkipVerification=true",
      "ExistingNlbArn=" + Scenario.EXISTING_NLB_ARN + " ExistingNlbDnsName=" + Scenario.EXISTING_NLB_DNS
          + " TargetPort=8443 BackendProtocol=HTTPS BackendHostName=backend.example.com"})
  void cfnLintReportsNothingForTheseParameters(String parameters) throws Exception {
    Path root = CfnTemplate.projectRoot();
    List<String> command = new ArrayList<>(List.of("cfn-lint", "template.yaml", "--parameters"));
    command.addAll(REQUIRED);
    command.addAll(List.of(parameters.split(" ")));
    Result result = run(root, command);
    if (result.exitCode() != 0 || !result.output().isBlank()) {
      fail("`" + String.join(" ", command) + "` (in " + root + ") exited with " + result.exitCode()
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
