package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```sh} block of README.md and docs/*.md, as a user pastes it.
 *
 * <p>A block is run, unless the line before it says why not: {@code <!-- needs AWS -->} (it calls AWS or SAM with the
 * user's account), {@code <!-- run by .ci/run -->} (the test command itself), {@code <!-- run by SomeTest -->} (a
 * test of that name runs it and checks what it prints) or {@code <!-- not run by the tests: REASON -->}; those are
 * checked with {@code sh -n}. The blocks of one page run in order in one shell, as pasted into
 * one terminal, in a scratch folder that links to this checkout (so that the files they write stay out of it, and
 * must be files git ignores), with
 * the AWS settings of docs/local.md pointing at a moto server of this test. A block stops at its first error: each
 * command but the last is chained with {@code &&} (a variable assignment, an {@code export} or a command put in the
 * background may stand alone).
 */
@ExtendWith(MotoServer.class)
class DocumentedCommandsTest {

  private static final Path ROOT = Command.projectRoot();
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final Pattern FENCE = Pattern.compile("(?m)^( *)```sh\\n(.*?)^\\1```$", Pattern.DOTALL);
  private static final Pattern MARKER = Pattern.compile(
      "<!-- (needs AWS|run by [A-Za-z./]+|not run by the tests: [^>]+) -->");
  /** What a page links to or reads, made visible in the scratch folder; nothing else of the checkout is. */
  private static final List<String> LINKED = List.of("bin", "cli", "functions", "events", "pom.xml", "template.yaml",
      "samconfig.toml", "integration-tests", "benchmarks", "bench", "docs", "README.md");

  record Block(Path page, int line, String marker, String text) {
    String name() {
      return ROOT.relativize(page) + ":" + line;
    }
  }

  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  static List<Block> blocks(Path page) throws IOException {
    String text = Files.readString(page, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    Matcher fence = FENCE.matcher(text);
    while (fence.find()) {
      String indent = fence.group(1);
      String body = fence.group(2).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
          .reduce("", (a, b) -> a + b + "\n");
      int lineStart = text.lastIndexOf('\n', fence.start() - 2) + 1;
      String before = fence.start() == 0 ? "" : text.substring(lineStart, Math.max(lineStart, fence.start() - 1));
      Matcher marker = MARKER.matcher(before.strip());
      int line = (int) text.substring(0, fence.start()).chars().filter(c -> c == '\n').count() + 1;
      blocks.add(new Block(page, line, marker.matches() ? marker.group(1) : null, body));
    }
    return blocks;
  }

  static List<Block> allBlocks() throws IOException {
    List<Block> all = new ArrayList<>();
    for (Path page : pages()) {
      all.addAll(blocks(page));
    }
    return all;
  }

  /** The block's commands, continuation lines joined, comments and blank lines dropped. */
  static List<String> commands(String block) {
    List<String> commands = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : block.split("\n")) {
      String line = raw.replaceAll("\\s+#\\s.*$", "").replaceAll("^\\s*#.*$", "").stripTrailing();
      if (line.isBlank() && current.isEmpty()) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      commands.add(current.toString().strip());
      current.setLength(0);
    }
    if (!current.isEmpty()) {
      commands.add(current.toString().strip());
    }
    return commands;
  }

  static boolean standsAlone(String command) {
    return command.endsWith("&&") || command.endsWith("||") || command.endsWith("|")
        || command.startsWith("export ") || command.matches("[A-Za-z_][A-Za-z0-9_]*=\\S*")
        || (command.endsWith("&") && !command.endsWith("&&"));
  }

  @Test
  void thePagesHaveCommandBlocks() throws IOException {
    List<Block> all = allBlocks();
    assertThat(all).extracting(Block::text).anyMatch(t -> t.startsWith("bin/demo"));
    assertThat(all).filteredOn(b -> b.marker() == null).hasSizeGreaterThan(3);
    assertThat(all).filteredOn(b -> "run by .ci/run".equals(b.marker())).extracting(Block::text)
        .containsExactly("mvn -B verify\n");
  }

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]*)(?:#([^)\\s]+))?\\)");

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
  static String anchor(String heading) {
    return heading.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  @Test
  void everyRelativeLinkFindsItsFileAndHeading() throws IOException {
    for (Path page : pages()) {
      Matcher link = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
      while (link.find()) {
        String target = link.group(1);
        if (target.startsWith("http://") || target.startsWith("https://")) {
          continue;
        }
        Path file = target.isEmpty() ? page : page.getParent().resolve(target).normalize();
        assertThat(file).as("%s links to %s", ROOT.relativize(page), target).exists();
        if (link.group(2) != null) {
          List<String> anchors = Files.readString(file, StandardCharsets.UTF_8).lines()
              .filter(l -> l.startsWith("#")).map(l -> anchor(l.replaceFirst("^#+", ""))).toList();
          assertThat(anchors).as("%s links to %s#%s", ROOT.relativize(page), target, link.group(2))
              .contains(link.group(2));
        }
      }
    }
  }

  @Test
  void everyBlockStopsAtItsFirstError() throws IOException {
    for (Block block : allBlocks()) {
      List<String> commands = commands(block.text());
      for (String command : commands.subList(0, Math.max(0, commands.size() - 1))) {
        assertThat(standsAlone(command))
            .as("%s: '%s' is followed by another command without && (a pasted block must stop at its first error)",
                block.name(), command)
            .isTrue();
      }
    }
  }

  @Test
  void blocksThatAreNotRunAreValidShell() throws Exception {
    for (Block block : allBlocks()) {
      if (block.marker() == null) {
        continue;
      }
      Command check = Command.run(ROOT, Duration.ofSeconds(30), List.of("sh", "-n", "-c", block.text()));
      assertThat(check.exitCode()).as(block.name() + "\n" + check.transcript()).isZero();
      if (block.marker().startsWith("run by ") && !block.marker().equals("run by .ci/run")) {
        String test = block.marker().substring("run by ".length());
        assertThat(ROOT.resolve("integration-tests/src/test/java/com/mtlsgateway/cli/" + test + ".java"))
            .as("%s says it is run by %s", block.name(), test).exists();
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyPageRunsWhenPasted(MotoServer.Running moto, @TempDir Path scratch) throws IOException {
    for (String name : LINKED) {
      Files.createSymbolicLink(scratch.resolve(name), ROOT.resolve(name));
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path page : pages()) {
      List<Block> runnable = blocks(page).stream().filter(b -> b.marker() == null).toList();
      if (runnable.isEmpty()) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(ROOT.relativize(page).toString(), () -> runPage(moto, scratch, runnable)));
    }
    return tests.stream();
  }

  private static void runPage(MotoServer.Running moto, Path scratch, List<Block> blocks) throws Exception {
    moto.reset();
    Path work = Files.createTempDirectory(scratch, "page");
    for (String name : LINKED) {
      Files.createSymbolicLink(work.resolve(name), scratch.resolve(name).toRealPath());
    }
    // Whatever a block left running in the background (a server) stops with the page.
    StringBuilder driver = new StringBuilder(
        "trap 'pkill -TERM -P $$' EXIT\n");
    for (int i = 0; i < blocks.size(); i++) {
      Path file = work.resolve(".block-" + i + ".sh");
      Files.writeString(file, blocks.get(i).text(), StandardCharsets.UTF_8);
      driver.append(". ./.block-").append(i).append(".sh || { echo \"documented block ").append(blocks.get(i).name())
          .append(" failed with exit status $?\" >&2; exit 90; }\n");
    }
    Command run = Command.run(work, TIMEOUT, List.of("sh", "-c", driver.toString()), environment(moto));
    assertThat(run.exitCode()).as(run.transcript()).isZero();

    // What the blocks wrote in a checkout (private keys among it) must be what git ignores there.
    List<String> written;
    try (Stream<Path> files = Files.list(work)) {
      written = files.filter(f -> !Files.isSymbolicLink(f) && !f.getFileName().toString().startsWith(".block-"))
          .map(f -> f.getFileName().toString()).toList();
    }
    for (String name : written) {
      String path = Files.isDirectory(work.resolve(name)) ? name + "/" : name;
      Command ignored =
          Command.run(ROOT, Duration.ofSeconds(30), List.of("git", "check-ignore", "--no-index", "-q", path));
      assertThat(ignored.exitCode()).as("%s writes %s in the checkout, which git does not ignore",
          ROOT.relativize(blocks.get(0).page()), name).isZero();
    }
  }

  /** A user's shell after docs/local.md's settings, pointed at this test's moto. */
  private static Map<String, String> environment(MotoServer.Running moto) {
    Map<String, String> environment = new HashMap<>();
    for (String name : List.of("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3",
        "REVOCATION_INDEX_URI", "TRUSTSTORE_URI", "REVOCATION_LIST_URIS")) {
      environment.put(name, null);
    }
    environment.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
    environment.put("AWS_REGION", MotoServer.REGION);
    environment.put("AWS_ACCESS_KEY_ID", "test");
    environment.put("AWS_SECRET_ACCESS_KEY", "test");
    environment.put("MOTO_PORT", Integer.toString(freePort()));
    return environment;
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
