package com.mtlsgateway.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * JUnit 5 extension that runs a real moto server (an AWS API emulator) for the tests.
 *
 * <p>Use {@code @ExtendWith(MotoServer.class)} on a test class and take a {@link MotoServer.Running} as a test,
 * lifecycle or constructor parameter. One server is started per JVM, on 127.0.0.1 and a free port, the first time
 * any test class asks for it; it is stopped when the JUnit run ends (and by a shutdown hook if the JVM dies).
 * It is started with {@code moto_server}, or {@code python3 -m moto.server} when only the Python module is
 * installed; when neither exists the test FAILS (never skips) with an install hint.
 *
 * <p><b>How AWS calls reach it.</b> Production code points the SDK at an emulator with {@code AWS_ENDPOINT_URL},
 * which the SDK itself reads (our code never parses it). Environment variables cannot be set inside a running
 * JVM, so this extension sets the SDK's system-property twins of the same settings, which the SDK reads first:
 * {@code aws.endpointUrl}, {@code aws.region} ({@code us-east-1}), {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} (dummy values). Handlers built with their public no-arg Lambda constructor
 * therefore talk to moto through exactly the production code path. With an IP endpoint the S3 client uses
 * path-style addressing, so no DNS tricks are needed. Because clients built once per JVM keep the endpoint they
 * saw first, there is exactly one server per JVM and its port never changes.
 */
public final class MotoServer implements BeforeAllCallback, ParameterResolver {

  /** The hint printed when moto is not installed. */
  public static final String NOT_FOUND = "moto server not found: install it with `pip install \"moto[server]\"`";

  public static final String REGION = "us-east-1";
  private static final String ACCESS_KEY = "testing";
  private static final String SECRET_KEY = "testing";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == Running.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return running(extension);
  }

  private static Running running(ExtensionContext context) {
    // The root store lives as long as the JUnit run; AutoCloseable values in it are closed at its end.
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Running.class, type -> start(), Running.class);
  }

  private static Running start() {
    List<String> command = command().orElseThrow(() -> new AssertionError(NOT_FOUND));
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port = freePort();
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
      try {
        Running running = launch(args, port);
        System.setProperty("aws.endpointUrl", running.endpoint().toString());
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return running;
      } catch (IOException e) {
        lastFailure = e; // most likely the port was taken between freePort() and bind: try another one
      }
    }
    throw new AssertionError("moto server did not start: " + lastFailure.getMessage(), lastFailure);
  }

  private static Running launch(List<String> args, int port) throws IOException {
    Path log = logFile();
    Process process = new ProcessBuilder(args)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Running running = new Running(process, URI.create("http://127.0.0.1:" + port), log);
    Thread hook = new Thread(running::stop, "moto-server-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    running.shutdownHook = hook;
    Instant giveUp = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(giveUp)) {
      if (!process.isAlive()) {
        running.close();
        throw new IOException("`" + String.join(" ", args) + "` exited with " + process.exitValue() + ": "
            + tail(log));
      }
      if (running.answers()) {
        return running;
      }
      sleep(Duration.ofMillis(100));
    }
    running.close();
    throw new IOException("`" + String.join(" ", args) + "` did not answer within " + STARTUP_TIMEOUT.toSeconds()
        + " s: " + tail(log));
  }

  /** moto_server on the PATH, else {@code python3 -m moto.server} when the module is importable. */
  static Optional<List<String>> command() {
    if (onPath("moto_server").isPresent()) {
      return Optional.of(List.of("moto_server"));
    }
    Optional<Path> python = onPath("python3");
    if (python.isPresent() && succeeds(List.of(python.get().toString(), "-c", "import moto.server"))) {
      return Optional.of(List.of(python.get().toString(), "-m", "moto.server"));
    }
    return Optional.empty();
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static boolean succeeds(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  private static Path logFile() throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      return target.resolve("moto-server.log");
    }
    return Files.createTempFile("moto-server", ".log");
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for moto server", e);
    }
  }

  /** A started moto server. */
  public static final class Running implements AutoCloseable {
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final Pattern SECRET_ACCESS_KEY = Pattern.compile("<SecretAccessKey>([^<]+)</SecretAccessKey>");

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private Thread shutdownHook;

    private Running(Process process, URI endpoint, Path log) {
      this.process = process;
      this.endpoint = endpoint;
      this.log = log;
    }

    /** {@code http://127.0.0.1:PORT}, the value of {@code aws.endpointUrl} (AWS_ENDPOINT_URL). */
    public URI endpoint() {
      return endpoint;
    }

    /** Where the server's output goes (useful when a test fails). */
    public Path log() {
      return log;
    }

    /**
     * An S3 client for setting up and inspecting test data, built like production's (Apache 5 HTTP client,
     * endpoint, region and credentials from the SDK's own settings). The caller closes it.
     */
    public S3Client s3() {
      return S3Client.builder().httpClient(Apache5HttpClient.builder().build()).build();
    }

    /** An S3 client that signs with the given credentials (e.g. an IAM user made by {@link #createIamUser}). */
    public S3Client s3(AwsBasicCredentials credentials) {
      return S3Client.builder()
          .httpClient(Apache5HttpClient.builder().build())
          .region(Region.of(REGION))
          .credentialsProvider(StaticCredentialsProvider.create(credentials))
          .build();
    }

    /** Forgets every resource (buckets, objects, IAM users) and turns IAM enforcement off. */
    public void reset() {
      post("/moto-api/reset", "");
      post("/moto-api/reset-auth", "inf");
    }

    /**
     * {@link #reset}, then creates {@code buckets} with versioning enabled (as template.yaml's staging bucket is).
     *
     * @return the {@link #s3()} client it used, which the caller closes
     */
    public S3Client resetWithVersionedBuckets(String... buckets) {
      reset();
      S3Client s3 = s3();
      for (String bucket : buckets) {
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(b -> b.bucket(bucket)
            .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      }
      return s3;
    }

    /**
     * Runs {@code action} while moto checks signatures and IAM policies: only identities created in moto (see
     * {@link #createIamUser}) then get anything done. Moto evaluates the identity's policies, not bucket policies.
     */
    public void withIamEnforced(Runnable action) {
      post("/moto-api/reset-auth", "0");
      try {
        action.run();
      } finally {
        post("/moto-api/reset-auth", "inf");
      }
    }

    /**
     * Creates an IAM user with one inline policy and an access key, through moto's IAM Query API (called while
     * IAM enforcement is off, so the request needs no valid signature), and returns its credentials.
     */
    public AwsBasicCredentials createIamUser(String userName, String policyJson) {
      iam("Action=CreateUser&UserName=" + encode(userName));
      iam("Action=PutUserPolicy&UserName=" + encode(userName) + "&PolicyName=test&PolicyDocument="
          + encode(policyJson));
      String keys = iam("Action=CreateAccessKey&UserName=" + encode(userName));
      return AwsBasicCredentials.create(group(ACCESS_KEY_ID, keys), group(SECRET_ACCESS_KEY, keys));
    }

    private String iam(String form) {
      HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/"))
          .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
          // moto routes a request by the service named in the credential scope; the signature is not checked.
          .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20250101/" + REGION
              + "/iam/aws4_request, SignedHeaders=host, Signature=0")
          .POST(HttpRequest.BodyPublishers.ofString(form + "&Version=2010-05-08"))
          .build();
      return send(request);
    }

    private static String group(Pattern pattern, String xml) {
      Matcher matcher = pattern.matcher(xml);
      if (!matcher.find()) {
        throw new AssertionError("unexpected IAM answer from moto: " + xml);
      }
      return matcher.group(1);
    }

    private static String encode(String value) {
      return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void post(String path, String body) {
      send(HttpRequest.newBuilder(endpoint.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String send(HttpRequest request) {
      try {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
          throw new AssertionError("moto " + request.uri().getPath() + " answered " + response.statusCode() + ": "
              + response.body());
        }
        return response.body();
      } catch (IOException e) {
        throw new AssertionError("moto " + request.uri().getPath() + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    private boolean answers() {
      try {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
            .timeout(Duration.ofSeconds(2)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void close() {
      stop();
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // already shutting down: the hook is running or has run
        }
      }
    }

    private void stop() {
      // moto_server may be a launcher shim (pyenv) around the Python process: stop the whole tree.
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
