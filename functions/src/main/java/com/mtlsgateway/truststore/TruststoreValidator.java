package com.mtlsgateway.truststore;

import com.mtlsgateway.crypto.CertificateSignatures;
import com.mtlsgateway.crypto.CryptoProviders;
import com.mtlsgateway.crypto.KeyIdentifiers;
import com.mtlsgateway.text.Articles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Checks a PEM truststore bundle against API Gateway's mutual TLS rules, without any AWS call.
 *
 * <p>Sources of the limits: Amazon API Gateway quotas, api-gateway-execution-service-limits-table.html (truststore
 * at most 1,000 certificates and 1 MB, not raisable); Amazon API Gateway Developer Guide, rest-api-mutual-tls.html
 * (PEM format, whole chain up to the root, at most four CAs deep, SHA-256+ signatures, RSA 2048+ / ECDSA 256+ keys,
 * one issuer per subject). {@link FindingCode} documents each rule.
 *
 * <p>Thread-safe; holds nothing but the clock. Each certificate is parsed once and issuers are looked up by canonical
 * subject name, so the cost is linear in the bundle: one signature check per certificate dominates it (on JDK 17,
 * about 0.04 ms for RSA-2048 and 1 ms for ECDSA P-256; with the Amazon Corretto Crypto Provider, which large bundles
 * wait for, about 0.02 and 0.07 ms), and those checks run in parallel on the common fork-join pool. Findings are the
 * same whichever provider serves ({@link CertificateSignatures}).
 */
public final class TruststoreValidator {

  /** At most this many certificates (Amazon API Gateway quotas, api-gateway-execution-service-limits-table.html). */
  public static final int MAX_CERTIFICATES = 1000;

  /**
   * At most this many bytes (Amazon API Gateway quotas, api-gateway-execution-service-limits-table.html: "1 MB").
   * The count is the bundle's raw length as stored in S3, exactly the bytes API Gateway downloads, comments and line
   * ends included. AWS does not say whether 1 MB means 1,000,000 or 1,048,576 bytes; the smaller is the safe side.
   */
  public static final long MAX_BYTES = 1_000_000;

  /**
   * The most CAs a client's path may hold, leaf not counted: a root plus three intermediates (Amazon API Gateway
   * Developer Guide, rest-api-mutual-tls.html).
   */
  public static final int MAX_CA_DEPTH = 4;

  /**
   * From this many distinct certificates on, the signature checks wait for the Amazon Corretto Crypto Provider to be
   * installed ({@link CryptoProviders#install()}): its load (about 0.3 s of CPU) is then repaid by its faster ECDSA
   * (about 0.07 ms instead of 1 ms per signature). Below it they use whatever provider is installed already.
   */
  static final int ACCELERATE_FROM = 100;

  private static final Duration EXPIRES_SOON = Duration.ofDays(30);
  private static final String CERTIFICATE_LABEL = "CERTIFICATE";
  private static final int MAX_CAUSE_CHARS = 200;
  private static final int MAX_LINES_LISTED = 5;
  /** The first byte of a DER certificate: the tag of an ASN.1 SEQUENCE. */
  private static final int ASN1_SEQUENCE = 0x30;
  private static final HexFormat HEX = HexFormat.of();

  private final Clock clock;

  /** @param clock gives "now" for the validity rules (EXPIRED, NOT_YET_VALID, EXPIRES_SOON) */
  public TruststoreValidator(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Validates a bundle. Never throws on any content: every problem, including unreadable input, becomes a
   * {@link Finding}. Text outside PEM blocks is ignored; LF and CRLF line ends are both accepted. A UTF-8 byte-order
   * mark at the start of a line, and an END line that runs into the next BEGIN line, are ERROR findings, but the
   * blocks after them are still read and checked; a block laid out on one line (its line breaks replaced by literal
   * {@code \n} sequences or spaces) is an ERROR finding and is not read further.
   *
   * <p>A certificate that repeats an earlier one gets only its DUPLICATE finding; the other rules look at the first
   * copy. Every certificate is taken as meant to be a CA, since that is all a truststore can use.
   *
   * @param bundle the bundle's bytes, exactly as they would be stored in S3
   * @return the report; its findings are ordered by severity, then by certificate index
   * @throws NullPointerException if {@code bundle} is null
   */
  public ValidationReport validate(byte[] bundle) {
    return new Run(clock.instant()).validate(bundle);
  }

  /** One certificate of the bundle, parsed once, with what the rules need. */
  private record Parsed(
      int position, // in the list of unique certificates
      X509Certificate x509,
      CertificateRef ref,
      String subject, // canonical, for comparisons
      String issuer, // canonical
      byte[] subjectKeyId,
      byte[] authorityKeyId) {

    boolean selfIssued() {
      return subject.equals(issuer);
    }

    Parsed at(int uniquePosition) {
      return new Parsed(uniquePosition, x509, ref, subject, issuer, subjectKeyId, authorityKeyId);
    }

    String issuerName() {
      return x509.getIssuerX500Principal().getName();
    }
  }

  /** What one PEM block holds: a certificate, or the finding that says why not. */
  private record BlockResult(Parsed parsed, FindingCode code, String message) {
    static BlockResult of(Parsed parsed) {
      return new BlockResult(parsed, null, null);
    }

    static BlockResult failed(FindingCode code, String message) {
      return new BlockResult(null, code, message);
    }
  }

  /** The state of one validate call. */
  private static final class Run {
    private final Instant now;
    private final List<Entry> entries = new ArrayList<>();
    private final MessageDigest sha256 = sha256();

    /** A finding with its sort key: the block index, or -1 for the whole file. */
    private record Entry(int index, Finding finding) {}

    Run(Instant now) {
      this.now = now;
    }

    ValidationReport validate(byte[] bundle) {
      String bundleSha256 = HEX.formatHex(sha256.digest(bundle));
      boolean byteOrderMark = PemBlock.startsWithByteOrderMark(bundle);
      if (isBlank(bundle, byteOrderMark ? 3 : 0)) {
        if (byteOrderMark) {
          fileFinding(FindingCode.NOT_PEM, byteOrderMarkMessage(List.of(1)));
        }
        fileFinding(FindingCode.EMPTY, "The bundle is empty: put in it the PEM certificates"
            + " (-----BEGIN CERTIFICATE----- blocks) of the CAs that issue your client certificates, each with its"
            + " chain up to the root.");
        return report(0, bundleSha256, Optional.empty());
      }
      if (bundle.length > MAX_BYTES) {
        fileFinding(FindingCode.TOO_LARGE, "The bundle is " + bundle.length + " bytes; API Gateway's truststore quota"
            + " is 1 MB (taken as 1,000,000 bytes) and cannot be raised: remove CAs you do not need, and the comment"
            + " text between blocks, which counts too.");
      }
      PemBlock.Scan scan = PemBlock.read(bundle);
      List<PemBlock> blocks = scan.blocks();
      if (!scan.byteOrderMarkLines().isEmpty()) {
        fileFinding(FindingCode.NOT_PEM, byteOrderMarkMessage(scan.byteOrderMarkLines()));
      }
      if (blocks.isEmpty()) {
        fileFinding(FindingCode.NOT_PEM, notPemMessage(bundle));
      }
      int certificateCount = 0;
      Instant earliestExpiry = null;
      Map<String, Integer> firstIndexBySha256 = new HashMap<>();
      List<Parsed> unique = new ArrayList<>();
      // Reading the certificates is most of the work of a large bundle in a fresh JVM, and each block stands alone:
      // they are read in parallel, then recorded in order.
      List<BlockResult> results = blocks.parallelStream().map(Run::parse).toList();
      for (int i = 0; i < blocks.size(); i++) {
        PemBlock block = blocks.get(i);
        if (block.nextLabel() != null) {
          blockFinding(FindingCode.PARSE_ERROR, block, block.missingLineBreakMessage("API Gateway"));
        }
        BlockResult result = results.get(i);
        if (result.parsed() == null) {
          blockFinding(result.code(), block, result.message());
          continue;
        }
        Parsed parsed = result.parsed().at(unique.size());
        certificateCount++;
        Instant notAfter = parsed.x509().getNotAfter().toInstant();
        earliestExpiry = earliestExpiry == null || notAfter.isBefore(earliestExpiry) ? notAfter : earliestExpiry;
        Integer earlier = firstIndexBySha256.putIfAbsent(parsed.ref().sha256(), block.index());
        if (earlier != null) {
          certificateFinding(FindingCode.DUPLICATE, parsed, "is identical to certificate " + earlier
              + ": remove this copy.");
        } else {
          unique.add(parsed);
        }
      }
      if (certificateCount > MAX_CERTIFICATES) {
        fileFinding(FindingCode.TOO_MANY_CERTIFICATES, "The bundle has " + certificateCount + " certificates; API"
            + " Gateway's truststore quota is " + MAX_CERTIFICATES + " and cannot be raised: keep only the CAs that"
            + " issue your clients (with their chains), or spread clients over several custom domains.");
      }
      for (Parsed certificate : unique) {
        checkValidity(certificate);
        checkAlgorithms(certificate);
        checkBasicConstraints(certificate);
      }
      if (unique.size() >= ACCELERATE_FROM) {
        CryptoProviders.install();
      }
      new Chains(unique).check();
      return report(certificateCount, bundleSha256, Optional.ofNullable(earliestExpiry));
    }

    /**
     * The certificate in a block, or why there is none. Pure, so that blocks can be read in parallel; the
     * certificate's position among the unique ones is set later ({@link Parsed#at}).
     */
    private static BlockResult parse(PemBlock block) {
      if (!CERTIFICATE_LABEL.equals(block.label())) {
        return BlockResult.failed(FindingCode.NOT_PEM, notCertificateMessage(block));
      }
      if (block.lineBreaks() != PemBlock.LineBreaks.PRESENT) {
        return BlockResult.failed(FindingCode.PARSE_ERROR, block.oneLineMessage());
      }
      if (block.problem() != null) {
        return BlockResult.failed(FindingCode.PARSE_ERROR, parseErrorMessage(block, block.problem()));
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(block.base64());
      } catch (IllegalArgumentException e) {
        return BlockResult.failed(FindingCode.PARSE_ERROR, parseErrorMessage(block, "is not valid base64"));
      }
      if (der.length == 0) {
        return BlockResult.failed(FindingCode.PARSE_ERROR, parseErrorMessage(block, "is empty"));
      }
      if ((der[0] & 0xff) != ASN1_SEQUENCE) {
        // Not DER. (Left to it, the JDK's factory would try such bytes as PEM text, and report "Empty input".)
        return BlockResult.failed(FindingCode.PARSE_ERROR, parseErrorMessage(block, notDer(der.length, null)));
      }
      try {
        X509Certificate x509 = (X509Certificate) x509Factory().generateCertificate(new ByteArrayInputStream(der));
        int used = x509.getEncoded().length;
        if (used != der.length) {
          return BlockResult.failed(FindingCode.PARSE_ERROR, parseErrorMessage(block, "has " + (der.length - used)
              + " bytes after the end of the certificate"));
        }
        X500Principal subject = x509.getSubjectX500Principal();
        return BlockResult.of(new Parsed(-1, x509,
            new CertificateRef(block.index(), subject.getName(), HEX.formatHex(sha256().digest(der))),
            subject.getName(X500Principal.CANONICAL),
            x509.getIssuerX500Principal().getName(X500Principal.CANONICAL),
            KeyIdentifiers.subject(x509), KeyIdentifiers.authority(x509)));
      } catch (CertificateException e) {
        return BlockResult.failed(FindingCode.PARSE_ERROR,
            parseErrorMessage(block, notDer(der.length, parserDetail(e))));
      } catch (RuntimeException e) {
        // The JDK's parser reports some malformed encodings as runtime exceptions (index out of bounds...): the same
        // finding, whose detail would tell the user nothing.
        return BlockResult.failed(FindingCode.PARSE_ERROR, parseErrorMessage(block, notDer(der.length, null)));
      }
    }

    private void checkValidity(Parsed certificate) {
      Instant notBefore = certificate.x509().getNotBefore().toInstant();
      Instant notAfter = certificate.x509().getNotAfter().toInstant();
      if (now.isAfter(notAfter)) {
        certificateFinding(FindingCode.EXPIRED, certificate, "expired on " + notAfter + ", so clients it issued are"
            + " refused: replace it with the CA's renewed certificate, or remove it.");
      } else if (now.isBefore(notBefore)) {
        certificateFinding(FindingCode.NOT_YET_VALID, certificate, "is not valid before " + notBefore + ", so clients"
            + " it issued are refused until then: add it only once it is valid, or check the clock of the issuing CA.");
      } else if (!notAfter.isAfter(now.plus(EXPIRES_SOON))) {
        long days = Duration.between(now, notAfter).toDays();
        certificateFinding(FindingCode.EXPIRES_SOON, certificate, "expires on " + notAfter + " ("
            + (days == 0 ? "within a day" : "in " + days + " days") + "): add the CA's renewed certificate before"
            + " then; API Gateway will not warn when it lapses.");
      }
    }

    private void checkAlgorithms(Parsed certificate) {
      String weakSignature = Algorithms.weakSignature(certificate.x509());
      if (weakSignature != null) {
        String fix = certificate.selfIssued()
            ? "use the CA's SHA-256 (or stronger) edition of this root if it has one; API Gateway does not document how"
                + " it treats a weakly signed root, so accept this warning only knowingly."
            : "replace it with a re-issue signed with SHA-256 or stronger, since API Gateway requires SHA-256 or"
                + " stronger.";
        certificateFinding(FindingCode.WEAK_SIGNATURE, certificate, "is signed with " + weakSignature + ": " + fix);
      }
      String weakKey = Algorithms.weakKey(certificate.x509().getPublicKey());
      if (weakKey != null) {
        certificateFinding(FindingCode.WEAK_KEY, certificate, "has " + weakKey + "; API Gateway accepts RSA keys of "
            + Algorithms.MIN_RSA_BITS + " bits or more and EC keys of " + Algorithms.MIN_EC_BITS + " bits or more:"
            + " replace this CA with one that has such a key and reissue its client certificates.");
      }
    }

    private void checkBasicConstraints(Parsed certificate) {
      if (certificate.x509().getBasicConstraints() >= 0) {
        return;
      }
      String why = certificate.x509().getVersion() < 3
          ? "is an X.509 version " + certificate.x509().getVersion() + " certificate, which cannot carry"
              + " basicConstraints CA:TRUE, so it cannot be a CA: reissue it as a version 3 CA, or remove it."
          : "has no basicConstraints CA:TRUE, so it cannot issue client certificates: a truststore holds CA"
              + " certificates only; remove it (for a client certificate, put its issuing CA here instead).";
      certificateFinding(FindingCode.NOT_CA, certificate, why);
    }

    /** Issuer lookup, signatures, subject conflicts and depth: the rules that relate certificates to each other. */
    private final class Chains {
      private final List<Parsed> certificates;
      private final Map<String, List<Parsed>> bySubject = new HashMap<>();
      private final int[] parent; // position of the verified issuer; -1 for a root or when none was found
      private final int[] depth; // CAs from the root down, the root being 1; 0 until computed
      private static final int ON_PATH = -1;

      Chains(List<Parsed> certificates) {
        this.certificates = certificates;
        this.parent = new int[certificates.size()];
        this.depth = new int[certificates.size()];
        Arrays.fill(parent, -1);
        for (Parsed certificate : certificates) {
          bySubject.computeIfAbsent(certificate.subject(), s -> new ArrayList<>()).add(certificate);
        }
      }

      void check() {
        // Signature checks dominate the cost (about 1 ms each for ECDSA on JDK 17) and are independent of each
        // other, so they run in parallel; findings are then recorded in order.
        List<IssuerSearch> searches = certificates.parallelStream().map(this::searchIssuer).toList();
        for (int position = 0; position < searches.size(); position++) {
          conclude(certificates.get(position), searches.get(position));
        }
        for (List<Parsed> sameSubject : bySubject.values()) {
          checkConflicts(sameSubject);
        }
        for (Parsed certificate : certificates) {
          int caDepth = depthOf(certificate.position());
          if (caDepth > MAX_CA_DEPTH) {
            certificateFinding(FindingCode.CHAIN_TOO_DEEP, certificate, "is CA number " + caDepth + " from its root"
                + " down (root: certificate " + rootOf(certificate.position()).ref().index() + "); API Gateway accepts"
                + " at most " + MAX_CA_DEPTH + " (a root and three intermediates): issue client certificates from a CA"
                + " at most " + MAX_CA_DEPTH + " levels deep, or remove this one, whose clients are refused anyway.");
          }
        }
      }

      /**
       * Where the search for a certificate's issuer ended: {@code issuer} is the certificate whose key verified its
       * signature (null for a self-signed root, or when none did); {@code failure} is why the most likely issuer's
       * key did not verify it (null unless the signature verified with no key).
       */
      private record IssuerSearch(Parsed issuer, List<Parsed> candidates, String failure) {}

      /** Pure, so that searches can run in parallel. */
      private IssuerSearch searchIssuer(Parsed certificate) {
        String failure = null;
        if (certificate.selfIssued()) {
          failure = verificationFailure(certificate, certificate);
          if (failure == null) {
            return new IssuerSearch(null, List.of(), null);
          }
        }
        List<Parsed> candidates = candidates(certificate);
        for (Parsed candidate : candidates) {
          String candidateFailure = verificationFailure(certificate, candidate);
          if (candidateFailure == null) {
            return new IssuerSearch(candidate, candidates, null);
          }
          failure = failure == null ? candidateFailure : failure;
        }
        return new IssuerSearch(null, candidates, failure);
      }

      private void conclude(Parsed certificate, IssuerSearch search) {
        if (search.issuer() != null) {
          parent[certificate.position()] = search.issuer().position();
        } else if (search.failure() != null) {
          certificateFinding(FindingCode.BAD_SIGNATURE, certificate, badSignatureMessage(certificate,
              search.candidates(), search.failure()));
        } else if (!certificate.selfIssued()) {
          certificateFinding(FindingCode.CHAIN_INCOMPLETE, certificate, "is issued by " + certificate.issuerName()
              + ", which is not in the bundle: add that issuer's certificate and its own issuers up to the root, since"
              + " API Gateway needs each chain complete.");
        }
      }

      /** Certificates named as the issuer (other than itself), those whose key identifier matches first. */
      private List<Parsed> candidates(Parsed certificate) {
        List<Parsed> named = new ArrayList<>(bySubject.getOrDefault(certificate.issuer(), List.of()));
        named.removeIf(c -> c.position() == certificate.position());
        byte[] wanted = certificate.authorityKeyId();
        if (wanted != null) {
          named.sort(Comparator.comparing(c -> !Arrays.equals(wanted, c.subjectKeyId())));
        }
        return named;
      }

      private String badSignatureMessage(Parsed certificate, List<Parsed> candidates, String failure) {
        String others = "(certificate" + (candidates.size() == 1 ? " " : "s ")
            + String.join(", ", candidates.stream().map(c -> String.valueOf(c.ref().index())).toList()) + ")";
        StringBuilder message = new StringBuilder();
        if (!certificate.selfIssued()) {
          message.append("is issued by ").append(certificate.issuerName())
              .append(", but the key of no certificate with that name ").append(others)
              .append(" verifies its signature");
        } else if (candidates.isEmpty()) {
          message.append("names itself as issuer, but its own key does not verify its signature");
        } else {
          message.append("names itself as issuer, but neither its own key nor that of another certificate with that")
              .append(" name ").append(others).append(" verifies its signature");
        }
        message.append(" (").append(failure);
        byte[] authorityKeyId = certificate.authorityKeyId();
        if (authorityKeyId != null) {
          message.append("; it names authority key id ").append(HEX.formatHex(authorityKeyId));
        }
        message.append("): ");
        if (failure.equals(CertificateSignatures.OTHER_CURVE)) {
          return message.append("nothing here says the certificate is damaged, but its signature cannot be checked,"
              + " and API Gateway documents ECDSA keys only as \"256 bits or more\", without naming curves: to be"
              + " safe, use CAs whose keys are on P-256 or P-384.").toString();
        }
        return message.append(candidates.isEmpty()
            ? "the certificate is damaged or altered; replace it with a fresh copy from the CA."
            : "the bundle probably holds another generation of that CA (same name, other key); add the CA certificate"
                + " whose key signed this one, or replace this one with a fresh copy if it is damaged.").toString();
      }

      /** Same subject, different issuer: reported on each later certificate, naming an earlier one that differs. */
      private void checkConflicts(List<Parsed> sameSubject) {
        Parsed first = sameSubject.get(0);
        Parsed firstOther = null; // the earliest certificate whose issuer differs from first's
        for (Parsed certificate : sameSubject.subList(1, sameSubject.size())) {
          Parsed earlier = !certificate.issuer().equals(first.issuer()) ? first : firstOther;
          if (earlier != null) {
            certificateFinding(FindingCode.SUBJECT_CONFLICT, certificate, "has the same subject as certificate "
                + earlier.ref().index() + " but another issuer (" + certificate.issuerName() + " here, "
                + earlier.issuerName() + " there); API Gateway allows one issuer per subject: keep only one of them,"
                + " usually the self-signed root rather than its cross-signed copy.");
          }
          if (firstOther == null && !certificate.issuer().equals(first.issuer())) {
            firstOther = certificate;
          }
        }
      }

      /** Walks up the verified issuers, memoising; a cycle (mutual cross-signing) ends the walk like a root. */
      private int depthOf(int position) {
        List<Integer> path = new ArrayList<>();
        int current = position;
        while (current >= 0 && depth[current] == 0) {
          path.add(current);
          depth[current] = ON_PATH;
          current = parent[current];
        }
        int base = current < 0 || depth[current] == ON_PATH ? 0 : depth[current];
        for (int i = path.size() - 1; i >= 0; i--) {
          depth[path.get(i)] = ++base;
        }
        return depth[position];
      }

      private Parsed rootOf(int position) {
        int current = position;
        for (int steps = 1; steps < depth[position]; steps++) {
          current = parent[current];
        }
        return certificates.get(current);
      }
    }

    /** Null when the issuer's key verifies the certificate's signature, else why not (the same words, any provider). */
    private static String verificationFailure(Parsed certificate, Parsed issuer) {
      return CertificateSignatures.failure(certificate.x509(), issuer.x509().getPublicKey());
    }

    private String notPemMessage(byte[] bundle) {
      // A DER certificate, PKCS#7 or PKCS#12 file starts with an ASN.1 SEQUENCE tag.
      if ((bundle[0] & 0xff) == ASN1_SEQUENCE) {
        return "The bundle is binary (it starts like DER-encoded ASN.1), not PEM: convert each certificate with"
            + " 'openssl x509 -inform DER -in CERT.der -out CERT.pem' (a .p7b file with 'openssl pkcs7 -inform DER"
            + " -print_certs -in FILE.p7b') and concatenate the results.";
      }
      if (new String(bundle, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
        return "The bundle has a -----BEGIN marker, but not at the start of a line, where PEM requires it: remove"
            + " what comes before it on its line (spaces, quotes); if the whole PEM is on one line with literal \\n"
            + " sequences, replace them with line breaks.";
      }
      return "The bundle has no -----BEGIN CERTIFICATE----- block: a truststore is the PEM certificates of your client"
          + " CAs, concatenated in one text file.";
    }

    private static String byteOrderMarkMessage(List<Integer> lines) {
      String undocumented = "API Gateway expects plain PEM and its handling of a BOM is not documented";
      if (lines.equals(List.of(1))) {
        return "The file starts with a UTF-8 byte-order mark (bytes EF BB BF); " + undocumented + ": save the file"
            + " without it (e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' FILE`).";
      }
      int shown = Math.min(lines.size(), MAX_LINES_LISTED);
      String list = String.join(", ", lines.subList(0, shown).stream().map(String::valueOf).toList())
          + (shown < lines.size() ? " and " + (lines.size() - shown) + " more" : "");
      boolean one = lines.size() == 1;
      return (one ? "Line " + list + " starts" : "Lines " + list + " start") + " with a UTF-8 byte-order mark (bytes"
          + " EF BB BF), as when files saved with one are concatenated; " + undocumented + ": remove "
          + (one ? "it" : "them") + " (e.g. `sed -i 's/^\\xEF\\xBB\\xBF//' FILE`).";
    }

    /** The problem of a block whose content is not one DER certificate; {@code detail} may be null. */
    private static String notDer(int bytes, String detail) {
      return "holds " + bytes + " bytes (base64-decoded) that are not a DER X.509 certificate"
          + (detail == null ? "" : " (" + detail + ")");
    }

    /**
     * What the JDK's parser said, without its generic prefixes, or null when it says nothing more. A subject key that
     * does not decode is named as such: the key factory's own words depend on the security provider.
     */
    private static String parserDetail(CertificateException e) {
      String detail = cause(e).replaceFirst("^Could not parse certificate: ", "")
          .replaceFirst("^Unable to initialize, ", "").strip();
      if (detail.startsWith("subject key")) {
        return "its subject public key does not decode as a key of its algorithm";
      }
      return detail.isEmpty() || detail.equalsIgnoreCase("Empty input") ? null : detail;
    }

    private static String notCertificateMessage(PemBlock block) {
      String label = block.printableLabel();
      String start = "PEM block " + block.index() + " is " + Articles.indefinite(label) + " \"" + label + "\" block,"
          + " not a CERTIFICATE";
      if (label.contains("PRIVATE KEY")) {
        return start + ": remove it, since a truststore is public data; treat the key as exposed if this file has been"
            + " shared.";
      }
      if (label.equals("TRUSTED CERTIFICATE")) {
        return start + " (OpenSSL's format with trust settings): convert it with 'openssl x509 -in CERT -out"
            + " CERT.pem', which keeps the certificate and drops the settings.";
      }
      return start + ": remove it; API Gateway reads only -----BEGIN CERTIFICATE----- blocks.";
    }

    private static String parseErrorMessage(PemBlock block, String problem) {
      return "PEM block " + block.index() + " (CERTIFICATE) " + problem + ": replace it with a clean copy from the CA,"
          + " or check it with 'openssl x509 -in CERT -noout -text'.";
    }

    /** The cause of a parse failure, fit for a message: one line, bounded. */
    private static String cause(Exception e) {
      // The JDK nests causes as "...: java.io.IOException: detail"; the class names mean nothing to users.
      String text = (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          .replaceAll("\\p{Cntrl}", " ")
          .replaceAll("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
      return text.length() <= MAX_CAUSE_CHARS ? text : text.substring(0, MAX_CAUSE_CHARS) + "...";
    }

    private void fileFinding(FindingCode code, String message) {
      entries.add(new Entry(-1, Finding.of(code, null, message)));
    }

    private void blockFinding(FindingCode code, PemBlock block, String message) {
      entries.add(new Entry(block.index(), Finding.of(code, null, message)));
    }

    private void certificateFinding(FindingCode code, Parsed certificate, String message) {
      CertificateRef ref = certificate.ref();
      entries.add(new Entry(ref.index(), Finding.of(code, ref, "Certificate " + ref.index() + " " + message)));
    }

    private ValidationReport report(int certificateCount, String bundleSha256, Optional<Instant> earliestExpiry) {
      List<Finding> findings = entries.stream()
          .sorted(Comparator.comparing((Entry e) -> e.finding().severity()).thenComparingInt(Entry::index))
          .map(Entry::finding)
          .toList();
      return new ValidationReport(certificateCount, bundleSha256, earliestExpiry, findings);
    }

    /** Whether the bytes from {@code from} on are all whitespace. */
    private static boolean isBlank(byte[] bundle, int from) {
      for (int i = from; i < bundle.length; i++) {
        byte b = bundle[i];
        if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0b) {
          return false;
        }
      }
      return true;
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform must provide SHA-256", e);
      }
    }

    private static CertificateFactory x509Factory() {
      try {
        return CertificateFactory.getInstance("X.509");
      } catch (CertificateException e) {
        throw new IllegalStateException("every Java platform must provide an X.509 CertificateFactory", e);
      }
    }
  }
}
