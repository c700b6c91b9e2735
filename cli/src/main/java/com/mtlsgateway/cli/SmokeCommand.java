package com.mtlsgateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * {@code mtls smoke}: after a deploy, checks that the mutual TLS custom domain lets a client certificate through,
 * refuses a client without one at the TLS handshake, and that the default execute-api endpoint is refused.
 *
 * <p>One line per check on stdout ({@code PASS name: what happened} or {@code FAIL name: ...}), then a verdict.
 * Notes about the certificate go to stderr. Nothing of the private key is ever printed.
 */
final class SmokeCommand {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** How much of a body a result line shows. */
  static final int PREVIEW_CHARS = 160;


  /**
   * The command line.
   *
   * @param executeApiUrl the default endpoint's URL, or null to skip that check
   * @param ca extra CAs to trust for the servers' certificates, or null
   */
  record Options(URI url, Path cert, Path key, URI executeApiUrl, Path ca, Duration timeout) {}

  /** One check's result line. */
  record Check(String name, boolean passed, String text) {
    String line() {
      return (passed ? "PASS " : "FAIL ") + name + ": " + text;
    }
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  SmokeCommand(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  int run(Options options) {
    TlsFiles.ClientIdentity identity;
    X509TrustManager trust;
    SSLContext withCertificate;
    SSLContext withoutCertificate;
    try {
      identity = TlsFiles.clientIdentity(options.cert(), options.key());
      trust = TlsFiles.trust(options.ca());
      withCertificate = identity.context(trust);
      withoutCertificate = TlsFiles.context(new KeyManager[0], trust);
    } catch (TlsFiles.TlsFileException e) {
      err.println("mtls: " + e.getMessage());
      return Main.USAGE_OR_IO;
    } catch (GeneralSecurityException e) {
      err.println("mtls: cannot set up TLS: " + e.getMessage());
      return Main.USAGE_OR_IO;
    }
    describe(identity);

    List<Check> checks = new ArrayList<>();
    report(checks, withCertificate(options.url(),
        HttpsProbe.get(options.url(), withCertificate, options.timeout())));
    report(checks, withoutCertificate(options.url(),
        HttpsProbe.get(options.url(), withoutCertificate, options.timeout())));
    if (options.executeApiUrl() != null) {
      // Without a certificate: what anyone who finds the URL would send.
      report(checks, executeApi(options.executeApiUrl(),
          HttpsProbe.get(options.executeApiUrl(), withoutCertificate, options.timeout())));
    } else {
      out.println("SKIP execute-api: no --execute-api-url given (the default endpoint,"
          + " https://API_ID.execute-api.REGION.amazonaws.com/STAGE/)");
    }
    long failed = checks.stream().filter(check -> !check.passed()).count();
    out.println(failed == 0
        ? "smoke: all " + checks.size() + " checks passed"
        : "smoke: " + failed + " of " + checks.size() + " checks failed");
    return failed == 0 ? Main.OK : Main.NEGATIVE;
  }

  private void report(List<Check> checks, Check check) {
    checks.add(check);
    out.println(check.line());
    out.flush();
  }

  /** Check 1: with the client certificate, a 2xx. */
  static Check withCertificate(URI url, HttpsProbe.Outcome outcome) {
    String name = "with-certificate";
    String get = "GET " + url;
    if (outcome instanceof HttpsProbe.Answer answer) {
      String seen = get + " -> " + answered(answer);
      if (answer.status() / 100 == 2) {
        return new Check(name, true, seen);
      }
      if (answer.status() == 403) {
        return new Check(name, false, seen + "; refused after the handshake: API Gateway answers 403 when it does not"
            + " accept the client certificate (issuer not in the truststore, insecure signature, self-signed; the"
            + " stage's execution log says \"Access denied. Reason: ...\"): run `mtls client check --truststore"
            + " BUNDLE --cert CLIENT` with this certificate and the truststore, which names the reason, and check the"
            + " domain's truststoreWarnings");
      }
      return new Check(name, false, seen + "; expected a 2xx from the backend");
    }
    HttpsProbe.Failure failure = (HttpsProbe.Failure) outcome;
    return new Check(name, false, get + ": " + switch (failure.kind()) {
      case HANDSHAKE_REFUSED, CLOSED -> "refused at the TLS handshake (" + failure.detail() + "): the server did"
          + " not accept this client certificate; is its issuer, with the whole chain up to the root, in the"
          + " truststore?";
      default -> unreachable(url, failure);
    });
  }

  /**
   * Check 2: without a client certificate, refused: at the TLS handshake (no HTTP answer at all), or by API Gateway's
   * own HTTP 403 {@code {"message":"Forbidden"}} after it (AWS does not document which of the two it does).
   */
  static Check withoutCertificate(URI url, HttpsProbe.Outcome outcome) {
    String name = "without-certificate";
    String get = "GET " + url + " without a client certificate";
    if (outcome instanceof HttpsProbe.Answer answer) {
      String seen = get + " -> " + answered(answer) + "; the TLS handshake completed without a client certificate";
      if (answer.status() / 100 == 2) {
        return new Check(name, false, seen + ", and the request was served: mutual TLS is not enforced");
      }
      if (answer.status() == 403 && apiGatewayForbidden(answer.body())) {
        // AWS does not document whether a request without any certificate is refused at the handshake or with
        // this 403 after it; either way it never reaches the backend.
        return new Check(name, true, get + " -> " + answered(answer) + ": refused by API Gateway after the TLS"
            + " handshake");
      }
      if (answer.status() == 403) {
        return new Check(name, false, seen + ", and the 403 is not API Gateway's {\"message\":\"Forbidden\"}: the"
            + " request reached something behind it; is mutual TLS enabled on this domain, and is the URL the custom"
            + " domain?");
      }
      return new Check(name, false, seen + ": mutual TLS is not enforced at the handshake");
    }
    HttpsProbe.Failure failure = (HttpsProbe.Failure) outcome;
    return switch (failure.kind()) {
      case HANDSHAKE_REFUSED -> new Check(name, true,
          get + ": refused at the TLS handshake (" + failure.detail() + ")");
      case CLOSED -> new Check(name, true, get + ": refused at the TLS handshake (the server closed the connection"
          + " before any HTTP response: " + failure.detail() + ")");
      default -> new Check(name, false, get + ": cannot tell, " + unreachable(url, failure));
    };
  }

  /**
   * Check 3: the default endpoint is refused. Refused means: HTTP 403 with the body API Gateway sends for a disabled
   * endpoint ({@code {"message":"Forbidden"}}), or no server answering at that URL at all (name not found,
   * connection refused, or a connection closed or refused at the TLS handshake). Any other HTTP answer is a
   * surprise, and so is a timeout or a certificate this machine does not trust (then nobody can tell).
   */
  static Check executeApi(URI url, HttpsProbe.Outcome outcome) {
    String name = "execute-api";
    String get = "GET " + url;
    if (outcome instanceof HttpsProbe.Answer answer) {
      String seen = get + " -> " + answered(answer);
      if (answer.status() == 403 && apiGatewayForbidden(answer.body())) {
        return new Check(name, true, seen + ": refused, as API Gateway answers on a disabled default endpoint");
      }
      if (answer.status() / 100 == 2) {
        return new Check(name, false, seen + "; the default endpoint serves requests, so clients can go around"
            + " mutual TLS: set DisableExecuteApiEndpoint: true on the REST API and deploy the stage again (the"
            + " setting takes effect only with a new deployment)");
      }
      if (answer.status() == 403) {
        return new Check(name, false, seen + "; a 403, but not the {\"message\":\"Forbidden\"} of a disabled"
            + " endpoint (\"Missing Authentication Token\" means the endpoint is enabled and this path has no method):"
            + " check the URL, with its stage");
      }
      return new Check(name, false, seen + "; something answered: a disabled default endpoint answers 403"
          + " {\"message\":\"Forbidden\"}");
    }
    HttpsProbe.Failure failure = (HttpsProbe.Failure) outcome;
    return switch (failure.kind()) {
      case NAME_NOT_FOUND, CONNECTION_REFUSED, CLOSED, HANDSHAKE_REFUSED -> new Check(name, true,
          get + ": refused, nothing answers HTTP there: " + unreachable(url, failure));
      default -> new Check(name, false, get + ": cannot tell whether it is refused, " + unreachable(url, failure));
    };
  }

  private static String unreachable(URI url, HttpsProbe.Failure failure) {
    return switch (failure.kind()) {
      case NAME_NOT_FOUND -> "the name " + url.getHost() + " does not resolve";
      case CONNECTION_REFUSED -> "nothing accepts connections at " + url.getHost() + ":" + port(url) + " ("
          + failure.detail() + "): is the server running, and are the URL's host and port right?";
      case TIMEOUT -> failure.detail();
      case SERVER_NOT_TRUSTED -> "this machine does not trust the server's certificate (" + failure.detail()
          + "); for a private CA pass it with --ca";
      case HANDSHAKE_REFUSED -> "the server refused the TLS handshake: " + failure.detail();
      case CLOSED -> "the server closed the connection: " + failure.detail();
      case OTHER -> failure.detail();
    };
  }

  private static int port(URI url) {
    return url.getPort() == -1 ? 443 : url.getPort();
  }

  /** "HTTP 200 in 35 ms: {"DEMO":"Health Check OK"}". */
  private static String answered(HttpsProbe.Answer answer) {
    return "HTTP " + answer.status() + " in " + answer.millis() + " ms: " + preview(answer.body(), answer.truncated());
  }

  /** The start of a body on one line: control characters become spaces; "..." when cut. */
  static String preview(byte[] body, boolean truncated) {
    if (body.length == 0) {
      return "(empty body)";
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < text.length() && line.length() < PREVIEW_CHARS; i++) {
      char c = text.charAt(i);
      line.append(Character.isISOControl(c) ? ' ' : c);
    }
    boolean cut = truncated || line.length() < text.length();
    return line.toString().replaceAll(" {2,}", " ") + (cut ? "..." : "");
  }

  /** {@code {"message":"Forbidden"}}: what API Gateway answers when it refuses a request itself (a disabled
   * execute-api endpoint, a client without a certificate). */
  static boolean apiGatewayForbidden(byte[] body) {
    try {
      return JsonCodec.parse(body) instanceof JsonObject json && "Forbidden".equals(json.get("message"));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private void describe(TlsFiles.ClientIdentity identity) {
    X509Certificate certificate = identity.certificate();
    int extra = identity.chain().size() - 1;
    err.println("mtls: client certificate " + certificate.getSubjectX500Principal().getName() + ", issued by "
        + certificate.getIssuerX500Principal().getName() + ", valid until "
        + certificate.getNotAfter().toInstant() + (extra == 0 ? "" : ", sent with " + extra
        + (extra == 1 ? " chain certificate" : " chain certificates")));
    Instant now = clock.instant();
    if (now.isAfter(certificate.getNotAfter().toInstant())) {
      err.println("mtls: the client certificate has expired: servers will refuse it");
    } else if (now.isBefore(certificate.getNotBefore().toInstant())) {
      err.println("mtls: the client certificate is not valid before " + certificate.getNotBefore().toInstant()
          + ": servers will refuse it");
    }
  }
}
