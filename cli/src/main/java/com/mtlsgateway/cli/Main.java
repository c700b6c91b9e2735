package com.mtlsgateway.cli;

import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.crypto.CryptoProviders;
import com.mtlsgateway.revocation.CrlLocation;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/mtls}: the project's checks and handlers, run locally.
 *
 * <p>Exit status: 0 success (valid bundle, certificate or CRLs, an accepted client, SUCCESS response, Allow, a
 * refresh done, all smoke checks passed), 1 the negative answer (invalid bundle, certificate or CRL problems, a
 * refused client, FAILED response, Deny, a failed refresh, a smoke check failed), 2 usage or I/O error. Results go to
 * stdout, everything else to stderr.
 */
public final class Main {

  static final int OK = 0;
  static final int NEGATIVE = 1;
  static final int USAGE_OR_IO = 2;

  static final String USAGE =
      "usage: mtls truststore validate FILE [--accept-warnings] [--json]\n"
          + "       mtls certificate check --cert FILE --key FILE [--chain FILE] --domain NAME [--json]\n"
          + "       mtls crl check --truststore FILE [--json] CRL_FILE...\n"
          + "       mtls client check --truststore FILE --cert FILE [--key FILE] [--crl CRL_FILE...] [--json]\n"
          + "       mtls invoke EVENT_FILE [--prepare] [--timeout SECONDS]\n"
          + "       mtls smoke --url URL --cert FILE --key FILE [--execute-api-url URL] [--ca FILE]"
          + " [--timeout SECONDS]\n"
          + "       mtls serve --truststore FILE --cert FILE --key FILE --backend http://HOST:PORT [--port N]"
          + " [--crl CRL_FILE...]\n"
          + "       mtls help";

  static final String HELP =
      """
      mtls: check API Gateway mutual TLS truststores, server certificates, CRLs and client
      certificates, run this project's Lambda handlers on your machine, and smoke-test a
      deployed mutual TLS domain.

      mtls truststore validate FILE [--accept-warnings] [--json]
          Checks a PEM bundle of CA certificates against API Gateway's truststore rules and
          prints one line per finding (SEVERITY CODE #index subject: message), then a verdict.
          A bundle is valid when it has no ERROR and, unless --accept-warnings, no WARNING.
          --json prints one JSON object instead:
            {"valid", "certificateCount", "sha256", "findings": [{"code", "severity",
             "certificate": {"index", "subject", "sha256"} or null, "message"}]}
          Exit status: 0 valid, 1 not valid, 2 usage or I/O error.

      mtls certificate check --cert FILE --key FILE [--chain FILE] --domain NAME [--json]
          Runs the checks made before a server certificate is imported into ACM for the custom
          domain NAME, without AWS, and prints one line per problem (INPUT CODE: message), one
          per warning (WARNING INPUT CODE: message), a NOTE and a verdict. INPUT is the option
          the problem is about: --cert, --chain, --key or --domain. PEM blocks and chain
          certificates are numbered from 0, as in truststore validate. CODEs:
            PEM_INVALID           not usable PEM, a block of the wrong type, a certificate on one
                                  line, or an END line running into the next BEGIN line (as
                                  truststore validate reports them)
            NOT_ONE_CERTIFICATE   --cert holds more than the server certificate
            KEY_ENCRYPTED         the key is encrypted (ACM takes only an unencrypted key)
            KEY_TOO_LARGE         the key PEM is over 5120 bytes (ACM's limit)
            KEY_MISMATCH          the key is not the certificate's
            KEY_TYPE_UNSUPPORTED  not RSA 2048 or EC P-256/P-384 (API Gateway Regional domains
                                  take RSA keys of at most 2048 bits)
            EXPIRED, NOT_YET_VALID  the certificate or a chain certificate is not valid now
            CHAIN_ORDER           the chain is not each certificate followed by its issuer
            CHAIN_INCOMPLETE      a chain certificate is not the issuer of the one before it,
                                  and that issuer is not in the chain (the root may be left out)
            CHAIN_BAD_SIGNATURE   a link is not signed by the next one
            DOMAIN_NAME_INVALID   NAME is not a fully qualified host name in lower case (as the
                                  template's DomainName): no URL, IP address, wildcard,
                                  underscore or trailing dot
            DOMAIN_NOT_COVERED    no DNS subjectAltName covers NAME (a wildcard covers one
                                  leftmost label; the subject CN is not used)
            NO_SERVER_AUTH        extendedKeyUsage without serverAuth
            KEY_USAGE_NOT_SERVER  keyUsage without digitalSignature (RSA: or keyEncipherment)
          One WARNING, which does not fail the check:
            CHAIN_NOT_GIVEN       no --chain, and the certificate is not self-issued: whether
                                  clients get its issuer cannot be known here (pass --chain
                                  with the issuers, unless the issuer is a root they trust)
          The NOTE is always printed: an imported certificate also needs an ownership
          verification certificate (a public ACM-issued certificate for the same domain name,
          the template's OwnershipVerificationCertificateArn).
          --json prints one JSON object instead:
            {"valid", "problems": [{"input", "code", "message"}],
             "warnings": [{"input", "code", "message"}], "notes": [message]}
          The key is never printed.
          Exit status: 0 no problems (warnings allowed), 1 problems found, 2 usage or I/O error.

      mtls crl check --truststore FILE [--json] CRL_FILE...
          Runs the checks Custom::RevocationList makes on the CRLs (DER or PEM, one per file,
          at most 10 as in RevocationListUris) against the truststore FILE (PEM CA bundle), and
          prints one line per finding (SEVERITY CODE CRL_FILE: message, or SEVERITY CODE CA:
          message for a CA without a CRL), then a verdict. CODEs:
            CRL_UNREADABLE        not one DER or PEM X.509 CRL
            CRL_ISSUER_UNKNOWN    its issuer is not a CA of the truststore (name, key id)
            CRL_BAD_SIGNATURE     no truststore CA of that name verifies its signature
            CRL_ISSUER_NOT_CRL_SIGNER  the CA's keyUsage lacks cRLSign
            CRL_EXPIRED           its nextUpdate is past
            CRL_NOT_YET_VALID     its thisUpdate is more than 5 minutes ahead
            CRL_NO_NEXT_UPDATE    it has no nextUpdate
            CRL_DELTA             a delta CRL (never complete)
            CRL_PARTITIONED       it covers only part of the CA's certificates
            CRL_INDIRECT          it lists certificates of other CAs
            CRL_UNKNOWN_CRITICAL_EXTENSION  a critical extension that is not understood
            CRL_DUPLICATE_ISSUER  two CRLs of one CA
            CRL_HAS_DELTAS        (WARNING) the CA also publishes delta CRLs, not read
            CA_WITHOUT_CRL        (INFO) a truststore CA without a CRL: its clients are
                                  never checked for revocation
          All other codes are ERRORs. --json prints one JSON object instead:
            {"valid", "revokedCount", "earliestNextUpdate", "summary",
             "findings": [{"code", "severity", "source", "ca", "message"}]}
          Exit status: 0 no ERROR, 1 ERROR findings, 2 usage or I/O error.

      mtls client check --truststore FILE --cert FILE [--key FILE] [--crl CRL_FILE...] [--json]
          Says whether API Gateway would accept this client certificate with the truststore
          FILE (PEM CA bundle), and if not, why, in API Gateway's words where they exist.
          --cert: PEM, the client certificate first, then anything else the client sends.
          The path is built from the truststore only, as API Gateway does (a CA that only the
          client sends does not count): each issuer found by name and verifying the signature,
          up to a root, at most 4 CAs (the client's certificate not counted). Every certificate
          on it must be valid now, signed with SHA-256 or stronger, with an RSA 2048+ or EC
          256+ key. --key: the client's private key must match the certificate (never
          printed). --crl: the CRLs given to RevocationListUris (DER or PEM, at most 10, as in
          crl check; ones with ERROR findings are refused): the client is checked as the
          revocation authorizer checks it (issuer and serial; a CA without a CRL is not
          checked; a CRL past nextUpdate plus 24 h, the default grace period, denies).
          Prints one line per problem (CODE message), the path (PATH 'client' issued by ...,
          as far as it goes), then ACCEPTED or REFUSED with the execution log's reason. CODEs:
            ISSUER_NOT_FOUND      an issuer is not in the truststore ("Could not find issuer
                                  for certificate"); says when the client sends it
            SELF_SIGNED           the client certificate is self-signed ("self signed
                                  certificate")
            INSECURE_SIGNATURE    signed with SHA-1, MD5 or another hash below SHA-256 ("Client
                                  cert using an insecure Signature Algorithm")
            BAD_SIGNATURE         the named issuer's key does not verify the signature
            KEY_TOO_SMALL         an RSA key under 2048 bits or an EC key under 256 bits
            KEY_TYPE_UNSUPPORTED  a key neither RSA nor EC (DSA, Ed25519)
            EXPIRED, NOT_YET_VALID  a certificate on the path is not valid now
            NOT_CA                a truststore certificate on the path is not a CA
            PATH_LENGTH_EXCEEDED  more CAs below a CA than its pathLenConstraint allows
            CHAIN_TOO_DEEP        more than 4 CAs from the client certificate to the root
            KEY_MISMATCH          --key is not the client certificate's key
            REVOKED               the CRL of the client's CA lists its serial
            CRL_STALE             that CRL is past nextUpdate plus the grace period
          --json prints one JSON object instead:
            {"accepted", "path": [subjects, client first], "problems": [{"code", "message"}]}
          Exit status: 0 accepted, 1 refused, 2 usage or I/O error (unreadable or unusable
          file, a CRL with ERROR findings).

      mtls invoke EVENT_FILE [--prepare] [--timeout SECONDS]
          Runs the handler for the event in this process, as `sam local invoke` would but
          without Docker, with a Lambda deadline of SECONDS (default 120), counted as in Lambda
          from when the handler has been created; handler logs go to stderr. AWS calls go where
          the SDK's standard settings point: AWS_ENDPOINT_URL (e.g. a local moto server),
          AWS_REGION, and the usual credentials.
          --prepare: first makes a local emulator (moto) hold what the event names, as a
          deployed stack would: buckets (staging ones versioned), the demo bundles and CRLs of
          events/, a server certificate, chain and key made now (the key only in the secret),
          the REST API and its stages, the custom domain; what is already there is kept.
          PrivateKeySecretArn becomes the ARN the emulator gave the secret. An Update or
          Delete first runs the Create of its resource (an Update's OldResourceProperties)
          and gets the PhysicalResourceId that Create answered; an authorizer or scheduled
          event first runs the revocation-list-create.json next to it and gets the settings
          below from it. Only stdout's response is the event's; the rest goes to stderr.
          Refused (exit 2) unless AWS_ENDPOINT_URL (and any AWS_ENDPOINT_URL_<SERVICE>) is
          http://127.0.0.1:PORT or http://localhost:PORT. See docs/local.md.
          - A CloudFormation custom resource event (its ResourceType, e.g. Custom::Truststore):
            the event's ResponseURL is replaced by a local receiver, and the exact response
            body the handler PUT there is printed on stdout. With --timeout below 10 the
            handler answers FAILED at once, without starting its work (it needs 5 s for the
            work and 5 s to answer).
            Exit status: 0 SUCCESS, 1 FAILED, 2 usage or I/O error, or no response sent.
          - An API Gateway REQUEST authorizer event ("type": "REQUEST" and a methodArn): the
            revocation authorizer runs with the settings the template gives it, from this
            environment: REVOCATION_INDEX_URI=s3://BUCKET/KEY (required), and optionally
            REVOCATION_REFRESH_SECONDS, REVOCATION_GRACE_PERIOD_HOURS, REVOCATION_FAIL_MODE
            (the event's stageVariables revocationRefreshSeconds, revocationGracePeriodHours
            and revocationFailMode, which the stack sets, take precedence, as in Lambda).
            The response it returns (principalId, policyDocument, context) is printed.
            Exit status: 0 Allow, 1 Deny, 2 usage or I/O error.
          - An EventBridge scheduled event ("source": "aws.events"): the function of the rule
            its resources names runs (STACK-RULE-SUFFIX; RULE may be cut short, as CloudFormation
            cuts rule names to 64 characters), with STACK_NAME (the metric's
            dimension) and TRUSTSTORE_URI=s3://BUCKET/KEY?versionId=V from this environment:
            RevocationRefreshFunctionRefresh, the revocation refresh (also REVOCATION_LIST_URIS
            and REVOCATION_INDEX_URI); TruststoreExpiryFunctionDaily, the truststore expiry
            check (--prepare first runs the truststore-create.json next to the event). It
            prints the result, or Lambda's error object {"errorMessage", "errorType"} when it
            fails. Against a local emulator, CloudWatch calls go as AWS JSON 1.0 (moto has no
            CBOR). Exit status: 0 done, 1 failed (also a refresh that staged its index but
            could not publish its metric, which stderr tells apart), 2 usage or I/O error.
          What stdout gets ends with a newline.

      mtls smoke --url URL --cert FILE --key FILE [--execute-api-url URL] [--ca FILE]
                 [--timeout SECONDS]
          After a deploy, checks the mutual TLS custom domain and prints one line per check,
          PASS or FAIL and what happened, then a verdict:
            with-certificate     GET URL (e.g. https://api.example.com/healthcheck) with the
                                 client certificate answers 2xx; the status and the start of
                                 the body are printed.
            without-certificate  GET URL without a client certificate is refused: at the TLS
                                 handshake (a TLS alert, or the connection closed before any
                                 HTTP response), or by API Gateway's own HTTP 403
                                 {"message":"Forbidden"} (AWS does not document which). Any
                                 other HTTP answer is a FAIL.
            execute-api          GET --execute-api-url, the default endpoint
                                 (https://API_ID.execute-api.REGION.amazonaws.com/STAGE/),
                                 without a certificate, is refused: HTTP 403 with
                                 {"message":"Forbidden"} (a disabled endpoint), or nothing
                                 answering there (name not found, connection refused, closed
                                 or refused at the TLS handshake). Any other HTTP answer, a
                                 timeout, or an untrusted server certificate is a FAIL.
                                 Skipped (SKIP line) without --execute-api-url.
          --cert: PEM, the client certificate first, then its chain (all are sent).
          --key: its PEM private key, unencrypted: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1
          (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY). Decrypt an encrypted key
          with `openssl pkey -in key.pem -out plain.pem`. The key is never printed.
          --ca: PEM CA certificates to trust for the servers, besides the JDK's trust store
          (for private test servers). --timeout: seconds per request (1 to 300, default 10).
          Requests are HTTP/1.1 GETs that follow no redirects.
          Exit status: 0 all checks passed, 1 a check failed, 2 usage or I/O error
          (unreadable certificate or key, a key that does not match the certificate, bad URL).

      mtls serve --truststore FILE --cert FILE --key FILE --backend http://HOST:PORT
                 [--port N] [--crl CRL_FILE...]
          Runs the stack's mutual TLS custom domain on your machine, in front of a local
          backend: https://127.0.0.1:N/ (default 8443; --port 0 picks a free port), TLS 1.2
          and 1.3 only, client certificate requested and judged by the rules API Gateway
          applies (the truststore FILE, path depth, signature algorithms, key sizes,
          validity; with --crl, revocation as the stack's authorizer decides it).
            accepted     the request goes to the backend as the stack's ANY / and
                         ANY /{proxy+} methods send it: same method, path, query, headers
                         and body, plus X-Client-Cert-Subject, -Issuer, -Serial,
                         -Not-Before and -Not-After (headers of those names sent by the
                         client are dropped); the backend's answer is passed on.
            refused      403 {"message":"Forbidden"}, also without a client certificate,
                         and on stderr the execution log's line, e.g. "(REQUEST_ID)
                         Access denied. Reason: Could not find issuer for certificate".
                         A client refused only as revoked (--crl) gets the stack's
                         ACCESS_DENIED response (403, with revocationCheck and reason).
            backend down 500 {"message": "Internal server error"}; no answer within 29 s:
                         504 {"message": "Endpoint request timed out"}.
          stdout: one JSON access log line per request, with the keys of the stage's access
          log format ("-" for values only AWS knows). stderr: the ready line "mtls: serving
          https://127.0.0.1:PORT/ -> BACKEND ...", refusals and backend failures.
          --cert: PEM, the server certificate first, then its chain; --key: its PEM private
          key, unencrypted (never printed). Stops on Ctrl-C or SIGTERM.
          Exit status: 2 usage or I/O error (an unreadable file, a key that does not match
          --cert, a bad --backend URL, a port in use), before anything listens.

      mtls help, mtls --help
          Prints this text.
      """;

  private Main() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    System.out.flush();
    System.exit(status);
  }

  /** Runs one command. */
  static int run(String[] args, PrintStream out, PrintStream err) {
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
        case "certificate":
          return certificate(words.subList(1, words.size()), out, err);
        case "crl":
          return crl(words.subList(1, words.size()), out, err);
        case "client":
          return client(words.subList(1, words.size()), out, err);
        case "invoke":
          return invoke(words.subList(1, words.size()), out, err);
        case "smoke":
          return smoke(words.subList(1, words.size()), out, err);
        case "serve":
          return serve(words.subList(1, words.size()), out, err);
        default:
          throw new UsageException("unknown command '" + words.get(0) + "'");
      }
    } catch (UsageException e) {
      return usage(err, e.getMessage());
    }
  }

  private static int truststore(List<String> words, PrintStream out, PrintStream err) {
    // Loads while the bundle is read and parsed; a large bundle then verifies with it (see CryptoProviders).
    CryptoProviders.installInBackground();
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

  private static final List<String> CERTIFICATE_OPTIONS = List.of("--cert", "--key", "--chain", "--domain");

  private static int certificate(List<String> words, PrintStream out, PrintStream err) {
    if (words.isEmpty() || !words.get(0).equals("check")) {
      throw new UsageException(
          words.isEmpty() ? "certificate needs a subcommand" : "unknown certificate subcommand '" + words.get(0) + "'");
    }
    List<String> rest = new ArrayList<>(words.subList(1, words.size()));
    boolean json = rest.remove("--json");
    if (rest.contains("--json")) {
      throw new UsageException("--json is given twice");
    }
    Map<String, String> given = options(rest, CERTIFICATE_OPTIONS, "certificate check");
    for (String required : List.of("--cert", "--key", "--domain")) {
      if (!given.containsKey(required)) {
        throw new UsageException("certificate check needs " + required);
      }
    }
    CertificateCommand.Options options = new CertificateCommand.Options(Path.of(given.get("--cert")),
        Path.of(given.get("--key")), given.containsKey("--chain") ? Path.of(given.get("--chain")) : null,
        given.get("--domain"), json);
    return new CertificateCommand(Clock.systemUTC(), out, err).run(options);
  }

  private static int crl(List<String> words, PrintStream out, PrintStream err) {
    if (words.isEmpty() || !words.get(0).equals("check")) {
      throw new UsageException(
          words.isEmpty() ? "crl needs a subcommand" : "unknown crl subcommand '" + words.get(0) + "'");
    }
    boolean json = false;
    String truststore = null;
    List<Path> crls = new ArrayList<>();
    List<String> rest = words.subList(1, words.size());
    for (int i = 0; i < rest.size(); i++) {
      String word = rest.get(i);
      String value = null;
      if (word.equals("--json")) {
        json = true;
        continue;
      } else if (word.equals("--truststore")) {
        if (i + 1 == rest.size()) {
          throw new UsageException("--truststore needs a value");
        }
        value = rest.get(++i);
      } else if (word.startsWith("--truststore=")) {
        value = word.substring("--truststore=".length());
      } else {
        crls.add(Path.of(option(word)));
        continue;
      }
      if (truststore != null) {
        throw new UsageException("--truststore is given twice");
      }
      truststore = value;
    }
    if (truststore == null || truststore.isEmpty()) {
      throw new UsageException("crl check needs --truststore FILE (the PEM CA bundle the CRLs are checked against)");
    }
    if (crls.isEmpty()) {
      throw new UsageException("crl check needs at least one CRL_FILE");
    }
    if (crls.size() > CrlLocation.MAX_LOCATIONS) {
      throw new UsageException("crl check takes at most " + CrlLocation.MAX_LOCATIONS + " CRL files, as"
          + " RevocationListUris does, not " + crls.size());
    }
    return new CrlCommand(Clock.systemUTC(), out, err).run(Path.of(truststore), crls, json);
  }

  private static final List<String> CLIENT_OPTIONS = List.of("--truststore", "--cert", "--key");

  private static int client(List<String> words, PrintStream out, PrintStream err) {
    if (words.isEmpty() || !words.get(0).equals("check")) {
      throw new UsageException(
          words.isEmpty() ? "client needs a subcommand" : "unknown client subcommand '" + words.get(0) + "'");
    }
    List<String> rest = new ArrayList<>();
    List<Path> crls = crlFiles(words.subList(1, words.size()), rest, "client check");
    boolean json = rest.remove("--json");
    if (rest.contains("--json")) {
      throw new UsageException("--json is given twice");
    }
    Map<String, String> options = options(rest, CLIENT_OPTIONS, "client check");
    for (String required : List.of("--truststore", "--cert")) {
      if (!options.containsKey(required)) {
        throw new UsageException("client check needs " + required);
      }
    }
    ClientCheckCommand.Options checked = new ClientCheckCommand.Options(Path.of(options.get("--truststore")),
        Path.of(options.get("--cert")), options.containsKey("--key") ? Path.of(options.get("--key")) : null,
        List.copyOf(crls), json);
    return new ClientCheckCommand(Clock.systemUTC(), out, err).run(checked);
  }

  private static int invoke(List<String> words, PrintStream out, PrintStream err) {
    Duration timeout = InvokeCommand.DEFAULT_TIMEOUT;
    boolean prepare = false;
    List<String> files = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--prepare")) {
        prepare = true;
      } else if (word.equals("--timeout")) {
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
    try {
      if (prepare) {
        return new PrepareCommand(out, err, System.getenv(), LocalEndpoint.systemProperties()).run(event, timeout);
      }
      return new InvokeCommand(Handlers.builtIn(), out, err).run(event, timeout);
    } finally {
      // Release the SDK clients the handler built (pooled connections) before the JVM ends.
      AwsClients.closeAll();
    }
  }

  private static final List<String> SMOKE_OPTIONS =
      List.of("--url", "--cert", "--key", "--execute-api-url", "--ca", "--timeout");

  private static int smoke(List<String> words, PrintStream out, PrintStream err) {
    Map<String, String> given = options(words, SMOKE_OPTIONS, "smoke");
    for (String required : List.of("--url", "--cert", "--key")) {
      if (!given.containsKey(required)) {
        throw new UsageException("smoke needs " + required);
      }
    }
    SmokeCommand.Options options = new SmokeCommand.Options(
        httpsUrl("--url", given.get("--url")),
        Path.of(given.get("--cert")),
        Path.of(given.get("--key")),
        given.containsKey("--execute-api-url") ? httpsUrl("--execute-api-url", given.get("--execute-api-url")) : null,
        given.containsKey("--ca") ? Path.of(given.get("--ca")) : null,
        given.containsKey("--timeout") ? smokeSeconds(given.get("--timeout")) : SmokeCommand.DEFAULT_TIMEOUT);
    return new SmokeCommand(out, err, Clock.systemUTC()).run(options);
  }

  /**
   * The CRL files of {@code --crl A --crl B}, {@code --crl A B} (every following word up to the next option) or
   * {@code --crl=A}, at most {@link CrlLocation#MAX_LOCATIONS}; every other word goes to {@code rest}.
   */
  private static List<Path> crlFiles(List<String> words, List<String> rest, String command) {
    List<Path> crls = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.startsWith("--crl=")) {
        crls.add(Path.of(word.substring("--crl=".length())));
      } else if (word.equals("--crl")) {
        int first = i + 1;
        while (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
          crls.add(Path.of(words.get(++i)));
        }
        if (i + 1 == first) {
          throw new UsageException("--crl needs a CRL file");
        }
      } else {
        rest.add(word);
      }
    }
    if (crls.size() > CrlLocation.MAX_LOCATIONS) {
      throw new UsageException(command + " takes at most " + CrlLocation.MAX_LOCATIONS + " CRL files, as"
          + " RevocationListUris does, not " + crls.size());
    }
    return crls;
  }

  private static final List<String> SERVE_OPTIONS = List.of("--truststore", "--cert", "--key", "--backend", "--port");

  private static int serve(List<String> words, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>();
    List<Path> crls = crlFiles(words, rest, "serve");
    Map<String, String> given = options(rest, SERVE_OPTIONS, "serve");
    for (String required : List.of("--truststore", "--cert", "--key", "--backend")) {
      if (!given.containsKey(required)) {
        throw new UsageException("serve needs " + required);
      }
    }
    ServeCommand.Options options = new ServeCommand.Options(Path.of(given.get("--truststore")),
        Path.of(given.get("--cert")), Path.of(given.get("--key")), backendOrigin(given.get("--backend")),
        given.containsKey("--port") ? port(given.get("--port")) : ServeCommand.DEFAULT_PORT, List.copyOf(crls));
    return new ServeCommand(out, err, Clock.systemUTC(), LocalGateway.INTEGRATION_TIMEOUT).run(options);
  }

  /** {@code http://HOST[:PORT]} with no path (the stack's integration adds the request's path), as a URI. */
  static URI backendOrigin(String text) {
    try {
      URI url = new URI(text);
      String path = url.getRawPath();
      if ("http".equalsIgnoreCase(url.getScheme()) && url.getHost() != null && url.getRawUserInfo() == null
          && (path == null || path.isEmpty() || path.equals("/")) && url.getRawQuery() == null
          && url.getRawFragment() == null) {
        return new URI("http", null, url.getHost(), url.getPort(), null, null, null);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UsageException("--backend takes the backend's http://HOST:PORT with no path, such as"
        + " http://127.0.0.1:8080 (requests keep their own path), not '" + text + "'");
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--port takes a port number from 1 to 65535, or 0 for a free one, not '" + text + "'");
  }

  /** {@code --name value} or {@code --name=value} pairs, each of {@code allowed} at most once. */
  private static Map<String, String> options(List<String> words, List<String> allowed, String command) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      int equals = word.indexOf('=');
      String name = word.startsWith("--") && equals > 0 ? word.substring(0, equals) : word;
      if (!allowed.contains(name)) {
        throw new UsageException(word.startsWith("-") ? "unknown option " + name : "unexpected argument '" + word
            + "' (" + command + " takes only options)");
      }
      String value;
      if (equals > 0 && word.startsWith("--")) {
        value = word.substring(equals + 1);
      } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
        value = words.get(++i);
      } else {
        throw new UsageException(name + " needs a value");
      }
      if (given.put(name, value) != null) {
        throw new UsageException(name + " is given twice");
      }
    }
    return given;
  }

  private static URI httpsUrl(String option, String text) {
    try {
      URI url = new URI(text);
      if ("https".equalsIgnoreCase(url.getScheme()) && url.getHost() != null && url.getRawFragment() == null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UsageException(option + " takes an https:// URL such as https://api.example.com/healthcheck, not '"
        + text + "'");
  }

  private static Duration smokeSeconds(String text) {
    try {
      long seconds = Long.parseLong(text);
      if (seconds >= 1 && seconds <= 300) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--timeout takes whole seconds from 1 to 300, not '" + text + "'");
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
