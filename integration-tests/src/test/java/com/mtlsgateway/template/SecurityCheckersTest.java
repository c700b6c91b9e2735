package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * cdk-nag (AwsSolutions, NIST 800-53 rev 5, Serverless) and cfn-guard (the Control Tower proactive controls) report
 * nothing on template.yaml that integration-tests/security-checkers/answered-findings.txt does not answer, and that
 * file answers nothing they no longer report.
 *
 * <p>For each parameter set in security-checkers/params/, transform.py (aws-sam-translator, installed with cfn-lint)
 * makes the plain CloudFormation of that deploy, and check.js (Node.js, packages pinned by package-lock.json and
 * installed with {@code npm ci} on first use) runs the checkers over it. A finding is a rule id and a resource's
 * logical id.
 */
class SecurityCheckersTest {

  private static final long INSTALL_TIMEOUT_SECONDS = 900;
  private static final long RUN_TIMEOUT_SECONDS = 600;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One line of answered-findings.txt: a rule id, a glob over logical ids, and the answer. */
  private record Answer(String rule, String resourceGlob, String text, int line) {
    private boolean answers(Finding finding) {
      PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + resourceGlob);
      return rule.equals(finding.rule()) && glob.matches(Path.of(finding.resource()));
    }
  }

  private record Finding(String rule, String resource) {}

  @Test
  void everyFindingIsAnswered() throws Exception {
    Path root = CfnTemplate.projectRoot();
    Path checkers = root.resolve("integration-tests/security-checkers");
    Path work = Files.createDirectories(root.resolve("integration-tests/target/security-checkers"));
    installPackages(checkers, work);
    List<Answer> answers = answers(checkers.resolve("answered-findings.txt"));
    List<String> parameterSets;
    try (Stream<Path> files = Files.list(checkers.resolve("params"))) {
      parameterSets = files.map(Path::toString).filter(p -> p.endsWith(".json")).sorted().toList();
    }
    assertThat(parameterSets).as("parameter sets in " + checkers.resolve("params")).isNotEmpty();

    // One process each: loading samtranslator and aws-cdk-lib is most of the time.
    List<String> transform = new ArrayList<>(List.of("python3", "transform.py", root.resolve("template.yaml").toString(),
        work.toString()));
    transform.addAll(parameterSets);
    run(checkers, transform, work.resolve("transform.out"),
        "python3 not found: install Python 3 and cfn-lint (`pip install cfn-lint`, which brings aws-sam-translator)");
    List<String> check = new ArrayList<>(List.of("node", "check.js", work.toString()));
    parameterSets.forEach(p -> check.add(work.resolve(Path.of(p).getFileName().toString()
        .replaceFirst("\\.json$", ".template.json")).toString()));
    Path findings = work.resolve("findings.jsonl");
    run(checkers, check, findings,
        "node not found: install Node.js 18 or later and npm (Debian: `apt-get install nodejs npm`)");

    // "RULE RESOURCE" -> "checker: message [parameter sets]", sorted by rule id and logical id.
    Map<String, String> unanswered = new TreeMap<>();
    TreeSet<Integer> usedAnswers = new TreeSet<>();
    for (String line : Files.readAllLines(findings, StandardCharsets.UTF_8)) {
      JsonNode f = JSON.readTree(line);
      String set = f.get("set").asText();
      Finding finding = new Finding(f.get("rule").asText(), f.get("resource").asText());
      List<Answer> matching = answers.stream().filter(a -> a.answers(finding)).toList();
      if (matching.isEmpty()) {
        unanswered.merge(finding.rule() + " " + finding.resource(),
            f.get("checker").asText() + ": " + f.get("message").asText() + " [" + set + "]",
            (first, again) -> first.contains(set) ? first : first.replaceFirst("]$", ", " + set + "]"));
      }
      matching.forEach(a -> usedAnswers.add(a.line()));
    }
    List<String> problems = new ArrayList<>();
    unanswered.forEach((finding, what) -> problems.add("unanswered: " + finding + " (" + what + ")"));
    for (Answer answer : answers) {
      if (!usedAnswers.contains(answer.line())) {
        problems.add("answered-findings.txt line " + answer.line() + " (" + answer.rule() + " " + answer.resourceGlob()
            + ") matches no finding any more: remove it, and its row in the README's security section");
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\n\nFix each unanswered finding in template.yaml, or answer it: add a line "
          + "`RULE-ID LOGICAL-ID-GLOB answer` to " + checkers.resolve("answered-findings.txt")
          + " and the rule id with its answer to the README's security section. Outputs: " + work);
    }
  }

  /** Each parameter set is a deploy CloudFormation accepts: the template's Rules pass (transform.py does not read them). */
  @Test
  void everyParameterSetPassesTheTemplatesRules() throws IOException {
    CfnTemplate template = CfnTemplate.load();
    Path params = CfnTemplate.projectRoot().resolve("integration-tests/security-checkers/params");
    try (Stream<Path> files = Files.list(params)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode given = JSON.readTree(file.toFile());
        Scenario scenario = Scenario.of(template);
        // Every parameter: the set's value, else the template's Default (not Scenario.of's sample values).
        template.root().path("Parameters").properties().forEach(parameter -> {
          String name = parameter.getKey();
          String value = given.has(name) ? given.get(name).asText() : parameter.getValue().path("Default").asText("");
          boolean list = parameter.getValue().path("Type").asText().startsWith("List<");
          scenario.with(name, list ? List.of(value.split(",")) : value);
        });
        assertThat(scenario.failedRules()).as(file.getFileName().toString()).isEmpty();
      }
    }
  }

  private static List<Answer> answers(Path file) throws IOException {
    List<Answer> answers = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+", 3);
      if (parts.length < 3) {
        fail(file + " line " + (i + 1) + ": expected `RULE-ID LOGICAL-ID-GLOB answer`, got: " + line);
      }
      answers.add(new Answer(parts[0], parts[1], parts[2], i + 1));
    }
    return answers;
  }

  /**
   * {@code npm ci} when node_modules is missing or older than package-lock.json. npm's cache goes to the ignored
   * {@code work} directory, not the user's home.
   */
  private static void installPackages(Path checkers, Path work) throws IOException, InterruptedException {
    Path installed = checkers.resolve("node_modules/.package-lock.json");
    if (Files.exists(installed)
        && !Files.getLastModifiedTime(installed).toInstant()
            .isBefore(Files.getLastModifiedTime(checkers.resolve("package-lock.json")).toInstant())) {
      return;
    }
    Path log = work.resolve("npm-ci.log");
    Process npm;
    try {
      npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--cache", work.resolve("npm-cache").toString())
          .directory(checkers.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("npm not found: install Node.js 18 or later and npm (Debian: `apt-get install nodejs "
          + "npm`); the checkers' packages come from the npm registry (" + e.getMessage() + ")", e);
    }
    npm.getOutputStream().close();
    if (!npm.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      npm.destroyForcibly();
      fail("`npm ci` in " + checkers + " did not finish within " + INSTALL_TIMEOUT_SECONDS + " s");
    }
    if (npm.exitValue() != 0) {
      fail("`npm ci` in " + checkers + " exited with " + npm.exitValue() + ":\n" + Files.readString(log));
    }
  }

  /** Runs command in directory, its standard output to output and its standard error next to it (.log). */
  private static void run(Path directory, List<String> command, Path output, String notFound)
      throws IOException, InterruptedException {
    Path errors = output.resolveSibling(output.getFileName() + ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(directory.toFile())
          .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError(notFound + " (" + e.getMessage() + ")", e);
    }
    process.getOutputStream().close();
    if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + RUN_TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + Files.readString(errors));
    }
  }
}
