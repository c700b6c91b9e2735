package com.mtlsgateway.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/mtls}: the project's checks and handlers, run locally.
 *
 * <p>Exit status: 0 success (valid bundle, SUCCESS response), 1 the negative answer (invalid bundle, FAILED
 * response), 2 usage or I/O error. Results go to stdout, everything else to stderr.
 */
public final class Main {

  static final int OK = 0;
  static final int NEGATIVE = 1;
  static final int USAGE_OR_IO = 2;

  static final String USAGE =
      "usage: mtls truststore validate FILE [--accept-warnings] [--json]\n"
          + "       mtls invoke EVENT_FILE [--timeout SECONDS]\n"
          + "       mtls help";

  static final String HELP =
      """
      mtls: check API Gateway mutual TLS truststores and run this project's CloudFormation
      custom resources on your machine.

      mtls truststore validate FILE [--accept-warnings] [--json]
          Checks a PEM bundle of CA certificates against API Gateway's truststore rules and
          prints one line per finding (SEVERITY CODE #index subject: message), then a verdict.
          A bundle is valid when it has no ERROR and, unless --accept-warnings, no WARNING.
          --json prints one JSON object instead:
            {"valid", "certificateCount", "sha256", "findings": [{"code", "severity",
             "certificate": {"index", "subject", "sha256"} or null, "message"}]}
          Exit status: 0 valid, 1 not valid, 2 usage or I/O error.

      mtls invoke EVENT_FILE [--timeout SECONDS]
          Runs the handler for the event's ResourceType (e.g. Custom::Truststore) in this
          process, as `sam local invoke` would but without Docker. The event's ResponseURL is
          replaced by a local receiver, and the exact response body the handler PUT there is
          printed on stdout; handler logs go to stderr. The handler gets a Lambda deadline of
          SECONDS (default 120). AWS calls go where the SDK's standard settings point:
          AWS_ENDPOINT_URL (e.g. a local moto server), AWS_REGION, and the usual credentials.
          Exit status: 0 SUCCESS, 1 FAILED, 2 usage or I/O error, or no response sent.

      mtls help, mtls --help
          Prints this text.
      """;

  private Main() {}

  public static void main(String[] args) {
    // The AWS SDK's own log (SLF4J simple binding, on stderr): warnings and errors only, unless asked otherwise.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int status = run(args, System.out, System.err, System.console() != null);
    System.out.flush();
    System.exit(status);
  }

  /**
   * Runs one command.
   *
   * @param terminal true when stdout is a terminal: a newline then follows the raw response body of
   *     {@code invoke} (its bytes are otherwise printed exactly as received)
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    List<String> words = List.of(args);
    if (words.isEmpty()) {
      return usage(err, "no command given");
    }
    if (words.contains("--help") || words.contains("-h") || words.get(0).equals("help")) {
      out.print(HELP);
      return OK;
    }
    try {
      switch (words.get(0)) {
        case "truststore":
          return truststore(words.subList(1, words.size()), out, err);
        case "invoke":
          return invoke(words.subList(1, words.size()), out, err, terminal);
        default:
          throw new UsageException("unknown command '" + words.get(0) + "'");
      }
    } catch (UsageException e) {
      return usage(err, e.getMessage());
    }
  }

  private static int truststore(List<String> words, PrintStream out, PrintStream err) {
    if (words.isEmpty() || !words.get(0).equals("validate")) {
      throw new UsageException(
          words.isEmpty() ? "truststore needs a subcommand" : "unknown truststore subcommand '" + words.get(0) + "'");
    }
    boolean acceptWarnings = false;
    boolean json = false;
    List<String> files = new ArrayList<>();
    for (String word : words.subList(1, words.size())) {
      switch (word) {
        case "--accept-warnings" -> acceptWarnings = true;
        case "--json" -> json = true;
        default -> files.add(option(word));
      }
    }
    Path file = onlyOne(files, "FILE");
    return new ValidateCommand(Clock.systemUTC(), out, err).run(file, acceptWarnings, json);
  }

  private static int invoke(List<String> words, PrintStream out, PrintStream err, boolean terminal) {
    Duration timeout = InvokeCommand.DEFAULT_TIMEOUT;
    List<String> files = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--timeout")) {
        if (i + 1 == words.size()) {
          throw new UsageException("--timeout needs a number of seconds");
        }
        timeout = seconds(words.get(++i));
      } else if (word.startsWith("--timeout=")) {
        timeout = seconds(word.substring("--timeout=".length()));
      } else {
        files.add(option(word));
      }
    }
    Path event = onlyOne(files, "EVENT_FILE");
    return new InvokeCommand(Handlers.builtIn(), out, err, terminal).run(event, timeout);
  }

  private static String option(String word) {
    if (word.startsWith("-") && word.length() > 1) {
      throw new UsageException("unknown option " + word);
    }
    return word;
  }

  private static Path onlyOne(List<String> files, String what) {
    if (files.size() != 1) {
      throw new UsageException(files.isEmpty() ? what + " is missing" : "only one " + what + " is accepted");
    }
    return Path.of(files.get(0));
  }

  private static Duration seconds(String text) {
    try {
      long seconds = Long.parseLong(text);
      if (seconds >= 1 && seconds <= 900) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--timeout takes whole seconds from 1 to 900 (Lambda's maximum), not '" + text + "'");
  }

  private static int usage(PrintStream err, String problem) {
    err.println("mtls: " + problem);
    err.println(USAGE);
    err.println("Run 'mtls help' for details.");
    return USAGE_OR_IO;
  }

  /** A command line that does not match the usage. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
