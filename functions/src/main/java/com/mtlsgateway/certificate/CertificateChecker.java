package com.mtlsgateway.certificate;

import com.mtlsgateway.crypto.CertificateSignatures;
import com.mtlsgateway.truststore.PemBlock;
import java.io.ByteArrayInputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checks made on a server certificate, its chain and its private key before they go to ACM
 * {@code ImportCertificate} for an API Gateway Regional custom domain. Pure: no AWS call, no I/O; the only outside
 * input is the clock.
 *
 * <pre>{@code
 * List<CertificateProblem> problems =
 *     new CertificateChecker(Clock.systemUTC()).check(certificatePem, chainPemOrNull, keyPem, "api.example.com");
 * }</pre>
 *
 * <p>Each problem names the input, what is wrong and the fix (see {@link CertificateProblemCode}). Inputs are named
 * as {@link Inputs} says: the resource's property names by default, the command line's options in
 * {@code bin/mtls certificate check}. Messages never hold any part of the private key: they name PEM labels,
 * certificate subjects, sizes and dates only. PEM blocks and chain certificates are numbered from 0
 * ({@code block #0}, {@code chain certificate #0}), as {@code mtls truststore validate} numbers them. Commands in
 * messages name placeholder files ({@code key.pem}), never the input's name.
 *
 * <p>Key types: RSA 2048 and EC P-256/P-384 only. API Gateway's developer guide ("Prepare certificates in AWS
 * Certificate Manager", how-to-custom-domains-prerequisites.html): "If you create a Regional custom domain name, the
 * maximum size of the public key is 2048", so RSA 3072 and 4096, which ACM itself imports, are refused here.
 *
 * <p>{@code DomainName} must match {@link #DOMAIN_NAME_PATTERN}, the template's {@code DomainName} AllowedPattern: a
 * fully qualified name in lower case, without a trailing dot, wildcard, underscore, scheme or path.
 */
public final class CertificateChecker {

  public static final String CERTIFICATE_PEM = "CertificatePem";
  public static final String CHAIN_PEM = "ChainPem";
  public static final String PRIVATE_KEY = "PrivateKey";
  public static final String DOMAIN_NAME = "DomainName";

  /** ACM ImportCertificate's limit on {@code PrivateKey}: 5,120 bytes of PEM. */
  public static final int MAX_KEY_BYTES = 5 * 1024;

  /**
   * The template's {@code DomainName} AllowedPattern (template.yaml), with its MinLength {@value #MIN_DOMAIN_LENGTH}
   * and MaxLength {@value #MAX_DOMAIN_LENGTH}.
   */
  public static final String DOMAIN_NAME_PATTERN =
      "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$";
  public static final int MIN_DOMAIN_LENGTH = 4;
  public static final int MAX_DOMAIN_LENGTH = 253;
  private static final Pattern DOMAIN = Pattern.compile(DOMAIN_NAME_PATTERN);
  private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
  /** Where messages' openssl commands read the key: a placeholder, never the input's property name. */
  static final String KEY_FILE = "key.pem";

  /** The only RSA size API Gateway Regional custom domains take (a maximum of 2048; ACM's minimum is 2048). */
  private static final int RSA_BITS = 2048;
  /** The curves API Gateway Regional domains take, by namedCurve OID. */
  private static final Map<String, String> CURVES = Map.of("1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384");
  private static final Map<String, String> OTHER_CURVES = Map.of("1.3.132.0.35", "P-521", "1.3.132.0.10", "secp256k1",
      "1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1");
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_ENCIPHERMENT = 2;
  private static final int DNS_NAME = 2;

  /**
   * What the inputs are called in problems: their {@link CertificateProblem#input} and the messages that name them.
   *
   * @param certificate e.g. {@code CertificatePem}, or {@code --cert}
   * @param chain e.g. {@code ChainPem}, or {@code --chain}
   * @param key e.g. {@code PrivateKey}, {@code PrivateKeySecretArn}, or {@code --key}
   * @param domain e.g. {@code DomainName}, or {@code --domain}
   */
  public record Inputs(String certificate, String chain, String key, String domain) {
    /** The properties of {@code Custom::ImportedCertificate}, the key's as {@code PrivateKey}. */
    public static final Inputs PROPERTIES = new Inputs(CERTIFICATE_PEM, CHAIN_PEM, PRIVATE_KEY, DOMAIN_NAME);

    public Inputs {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(chain, "chain");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(domain, "domain");
    }

    /** These names with the key's input named {@code key}. */
    public Inputs withKey(String key) {
      return new Inputs(certificate, chain, key, domain);
    }
  }

  /**
   * The outcome of a check.
   *
   * @param certificate the server certificate as read (the first of {@code CertificatePem}), or null when unusable
   * @param problems what makes the material unfit to import, in the order: certificate, key, chain, domain name;
   *     empty when it is fit
   * @param warnings what the check cannot know and the user should ({@link CertificateProblemCode#CHAIN_NOT_GIVEN});
   *     never a reason to refuse the material
   */
  public record Report(X509Certificate certificate, List<CertificateProblem> problems,
      List<CertificateProblem> warnings) {
    public Report {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
    }
  }

  private final Clock clock;

  public CertificateChecker(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The problems {@link #report} finds, the inputs named as {@link Inputs#PROPERTIES}. */
  public List<CertificateProblem> check(byte[] certificatePem, byte[] chainPem, byte[] privateKeyPem,
      String domainName) {
    return report(certificatePem, chainPem, privateKeyPem, domainName, Inputs.PROPERTIES).problems();
  }

  /**
   * All problems and warnings found.
   *
   * @param chainPem the chain, or null when there is none (given empty or blank, it is PEM_INVALID)
   * @param inputs what to call the inputs in problems and warnings
   */
  public Report report(byte[] certificatePem, byte[] chainPem, byte[] privateKeyPem, String domainName,
      Inputs inputs) {
    List<CertificateProblem> problems = new ArrayList<>();
    List<X509Certificate> certificates = certificates(certificatePem, inputs.certificate(), inputs, problems);
    X509Certificate certificate = certificates.isEmpty() ? null : certificates.get(0);
    if (certificates.size() > 1) {
      problems.add(new CertificateProblem(inputs.certificate(), CertificateProblemCode.NOT_ONE_CERTIFICATE,
          inputs.certificate() + " holds " + certificates.size() + " certificates; put only the server certificate ("
              + subject(certificate) + ") there and its issuers, in order, in " + inputs.chain()));
    }
    if (certificate != null) {
      keyType(certificate, inputs, problems);
      validity(certificate, inputs.certificate(), "the certificate", problems);
      usage(certificate, inputs, problems);
    }
    key(privateKeyPem, inputs.key(), certificate, problems);
    if (chainPem != null) {
      List<X509Certificate> chain = certificates(chainPem, inputs.chain(), inputs, problems);
      for (int i = 0; i < chain.size(); i++) {
        validity(chain.get(i), inputs.chain(), "chain certificate #" + i + " (" + subject(chain.get(i)) + ")",
            problems);
      }
      if (certificate != null && !chain.isEmpty()) {
        chain(certificate, chain, inputs, problems);
      }
    }
    CertificateProblem invalidDomain = domainNameProblem(domainName, inputs.domain());
    if (invalidDomain != null) {
      problems.add(invalidDomain);
    } else if (certificate != null) {
      domain(certificate, domainName, inputs, problems);
    }
    List<CertificateProblem> warnings = new ArrayList<>();
    if (chainPem == null && certificate != null && !selfIssued(certificate)) {
      String issuer = certificate.getIssuerX500Principal().getName();
      warnings.add(new CertificateProblem(inputs.chain(), CertificateProblemCode.CHAIN_NOT_GIVEN, "no chain is given"
          + " and the certificate (" + subject(certificate) + ") is issued by " + issuer + ", so this check cannot"
          + " know whether TLS clients get that issuer: API Gateway serves only the chain imported with the"
          + " certificate. If " + issuer + " is an intermediate CA, give its certificate (and any CA above it; the"
          + " root may be left out) in " + inputs.chain() + "; if it is a root CA your clients trust, no chain is"
          + " needed"));
    }
    return new Report(certificate, problems, warnings);
  }

  /**
   * The CERTIFICATE blocks of {@code pem}, read as {@code mtls truststore validate} reads them; a PEM_INVALID problem
   * for each unusable block, for an END line that runs into the next BEGIN line, or when there is no block.
   */
  private static List<X509Certificate> certificates(byte[] pem, String input, Inputs inputs,
      List<CertificateProblem> problems) {
    List<X509Certificate> certificates = new ArrayList<>();
    if (blank(pem)) {
      problems.add(pemInvalid(input, input + " is empty; give the PEM text (-----BEGIN CERTIFICATE-----)"
          + (input.equals(inputs.chain()) ? ", or give no chain at all" : "")));
      return certificates;
    }
    List<PemBlock> blocks = PemBlock.read(pem).blocks();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 CertificateFactory", e);
    }
    for (PemBlock block : blocks) {
      String at = input + " block #" + block.index();
      if (block.nextLabel() != null) {
        // ACM's reading of such a line is undocumented, as API Gateway's is: the truststore's rule and words.
        problems.add(pemInvalid(input, "in " + input + ", " + block.missingLineBreakMessage("ACM")));
      }
      if (!block.label().equals("CERTIFICATE")) {
        String fix = block.label().endsWith("PRIVATE KEY") ? "; the private key belongs in " + inputs.key()
            + " only: remove it here" : "; remove it (only -----BEGIN CERTIFICATE----- blocks belong here)";
        problems.add(pemInvalid(input, at + " is " + block.printableLabel() + ", not CERTIFICATE" + fix));
        continue;
      }
      if (block.lineBreaks() != PemBlock.LineBreaks.PRESENT) {
        problems.add(pemInvalid(input, "in " + input + ", " + block.oneLineMessage()));
        continue;
      }
      String problem = block.problem();
      byte[] der = new byte[0];
      if (problem == null) {
        try {
          der = Base64.getDecoder().decode(block.base64());
          problem = der.length == 0 ? "is empty" : null;
        } catch (IllegalArgumentException e) {
          problem = "is not valid base64";
        }
      }
      if (problem != null) {
        problems.add(pemInvalid(input, at + " (CERTIFICATE) " + problem + "; paste a clean copy from your CA"));
        continue;
      }
      try {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      } catch (CertificateException | ClassCastException e) {
        problems.add(pemInvalid(input, at + " is not an X.509 certificate; check it with"
            + " `openssl x509 -noout -text`"));
      }
    }
    if (blocks.isEmpty()) {
      problems.add(pemInvalid(input, input + " holds no -----BEGIN CERTIFICATE----- block; it must be PEM (convert"
          + " DER with `openssl x509 -inform DER -in cert.der -out cert.pem`)"));
    }
    return certificates;
  }

  private static void keyType(X509Certificate certificate, Inputs inputs, List<CertificateProblem> problems) {
    String fix = "; get an RSA 2048 or EC P-256/P-384 certificate (API Gateway Regional custom domains take no other"
        + " key)";
    PublicKey key = certificate.getPublicKey();
    String type = keyDescription(key);
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits == RSA_BITS) {
        return;
      }
      if (bits > RSA_BITS) {
        fix = ", larger than API Gateway Regional custom domains take: the API Gateway Developer Guide (\"Prepare"
            + " certificates in AWS Certificate Manager\") says \"If you create a Regional custom domain name, the"
            + " maximum size of the public key is 2048\"" + fix;
      }
    } else if (key.getAlgorithm().equals("EC") && CURVES.containsKey(curveOid(key))) {
      return;
    }
    problems.add(new CertificateProblem(inputs.certificate(), CertificateProblemCode.KEY_TYPE_UNSUPPORTED,
        "the certificate's key is " + type + fix));
  }

  /** "RSA 2048", "EC P-256", "EC secp256k1", "EC 1.2.3", "Ed25519"... */
  static String keyDescription(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength();
    }
    if (key.getAlgorithm().equals("EC")) {
      String oid = curveOid(key);
      String name = CURVES.getOrDefault(oid, OTHER_CURVES.get(oid));
      return "EC " + (name != null ? name : oid != null ? oid : "(explicit curve parameters)");
    }
    return key.getAlgorithm();
  }

  /** The namedCurve OID in an EC SubjectPublicKeyInfo, or null when the curve is given explicitly. */
  private static String curveOid(PublicKey key) {
    try {
      Der.Reader spki = new Der.Reader(key.getEncoded()).next(Der.SEQUENCE, "SubjectPublicKeyInfo").children();
      Der.Reader algorithm = spki.next(Der.SEQUENCE, "AlgorithmIdentifier").children();
      algorithm.next(Der.OBJECT_IDENTIFIER, "algorithm");
      Der.Element parameters = algorithm.next();
      return parameters.tag() == Der.OBJECT_IDENTIFIER ? Der.oid(parameters.content()) : null;
    } catch (Der.DerException e) {
      return null;
    }
  }

  private void validity(X509Certificate certificate, String input, String what, List<CertificateProblem> problems) {
    Instant now = clock.instant();
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      problems.add(new CertificateProblem(input, CertificateProblemCode.EXPIRED, what + " expired at " + notAfter
          + "; renew it with your CA (ACM imports only certificates valid now)"));
    } else if (now.isBefore(notBefore)) {
      problems.add(new CertificateProblem(input, CertificateProblemCode.NOT_YET_VALID, what + " is valid only from "
          + notBefore + "; import it after then, or check the clock and the certificate's dates"));
    }
  }

  private static void usage(X509Certificate certificate, Inputs inputs, List<CertificateProblem> problems) {
    List<String> extended;
    try {
      extended = certificate.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      extended = List.of();
    }
    if (extended != null && !extended.contains(SERVER_AUTH) && !extended.contains(ANY_EXTENDED_KEY_USAGE)) {
      problems.add(new CertificateProblem(inputs.certificate(), CertificateProblemCode.NO_SERVER_AUTH,
          "the certificate's extendedKeyUsage (" + String.join(", ", extended.stream().map(CertificateChecker::purpose)
              .toList()) + ") lacks serverAuth, so TLS clients refuse it as a server certificate; request a TLS"
              + " server certificate (extendedKeyUsage serverAuth)"));
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage == null) {
      return;
    }
    boolean signature = usage.length > DIGITAL_SIGNATURE && usage[DIGITAL_SIGNATURE];
    boolean encipherment = usage.length > KEY_ENCIPHERMENT && usage[KEY_ENCIPHERMENT];
    boolean rsa = certificate.getPublicKey() instanceof RSAPublicKey;
    if (rsa ? !(signature || encipherment) : !signature) {
      problems.add(new CertificateProblem(inputs.certificate(), CertificateProblemCode.KEY_USAGE_NOT_SERVER,
          "the certificate's keyUsage lacks " + (rsa ? "digitalSignature and keyEncipherment" : "digitalSignature")
              + ", which a TLS server with " + (rsa ? "an RSA" : "an EC") + " key needs; request a certificate with"
              + " keyUsage " + (rsa ? "digitalSignature, keyEncipherment" : "digitalSignature")));
    }
  }

  private static String purpose(String oid) {
    return switch (oid) {
      case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
      case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
      case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
      case "1.3.6.1.5.5.7.3.8" -> "timeStamping";
      case "1.3.6.1.5.5.7.3.9" -> "OCSPSigning";
      default -> oid;
    };
  }

  private static void key(byte[] pem, String input, X509Certificate certificate, List<CertificateProblem> problems) {
    if (blank(pem)) {
      problems.add(pemInvalid(input, input + " is empty; give the certificate's PEM private key"
          + " (-----BEGIN PRIVATE KEY-----)"));
      return;
    }
    if (pem.length > MAX_KEY_BYTES) {
      problems.add(new CertificateProblem(input, CertificateProblemCode.KEY_TOO_LARGE, "the private key PEM is "
          + pem.length + " bytes, more than ACM's " + MAX_KEY_BYTES + "; remove anything but the key block (a"
          + " certificate, comments), or use a smaller key (RSA 2048 or EC P-256)"));
    }
    PemFile.Block block = PemFile.read(pem).stream().filter(b -> b.label().endsWith("PRIVATE KEY")).findFirst()
        .orElse(null);
    if (block != null && (block.label().equals("ENCRYPTED PRIVATE KEY") || block.encryptedByHeader())) {
      problems.add(new CertificateProblem(input, CertificateProblemCode.KEY_ENCRYPTED, "the private key is encrypted ("
          + block.printableLabel() + (block.encryptedByHeader() ? ", Proc-Type ENCRYPTED" : "") + "); ACM takes"
          + " only an unencrypted key: decrypt it with `openssl pkey -in " + KEY_FILE + " -out plain.pem` and give"
          + " plain.pem"
          + " (keep it as private as the key)"));
      return;
    }
    PrivateKey key;
    try {
      key = PemPrivateKey.read(pem, input, KEY_FILE, certificate == null ? null : certificate.getPublicKey());
    } catch (PemPrivateKey.KeyFileException e) {
      problems.add(pemInvalid(input, e.getMessage()));
      return;
    }
    if (certificate == null) {
      return;
    }
    String mismatch = KeyMatch.mismatch(key, certificate.getPublicKey());
    if (mismatch != null) {
      problems.add(new CertificateProblem(input, CertificateProblemCode.KEY_MISMATCH, "the private key does not"
          + " belong to the certificate (" + subject(certificate) + "): " + mismatch + "; give the key the"
          + " certificate was requested with"));
    }
  }

  /** Each link must be issued (name and signature) by the next; a self-signed root, if given, comes last. */
  private static void chain(X509Certificate certificate, List<X509Certificate> chain, Inputs inputs,
      List<CertificateProblem> problems) {
    if (chain.get(0).equals(certificate)) {
      problems.add(new CertificateProblem(inputs.chain(), CertificateProblemCode.CHAIN_ORDER, inputs.chain()
          + " starts with the server certificate itself; remove it from " + inputs.chain() + " (it belongs in "
          + inputs.certificate() + " only)"));
      return;
    }
    List<X509Certificate> links = new ArrayList<>();
    links.add(certificate);
    links.addAll(chain);
    for (int i = 0; i < links.size() - 1; i++) {
      X509Certificate link = links.get(i);
      String what = i == 0 ? "the certificate (" + subject(link) + ")"
          : "chain certificate #" + (i - 1) + " (" + subject(link) + ")";
      if (selfIssued(link)) {
        problems.add(new CertificateProblem(inputs.chain(), CertificateProblemCode.CHAIN_ORDER, what + " is a self-signed"
            + " root, but " + (links.size() - 1 - i) + " more certificate(s) follow it; the chain goes from the"
            + " certificate's issuer up to the root: remove or reorder the rest"));
        return;
      }
      X509Certificate next = links.get(i + 1);
      if (!link.getIssuerX500Principal().equals(next.getSubjectX500Principal())) {
        int found = indexOfSubject(links, link.getIssuerX500Principal().getName());
        if (found > 0) {
          problems.add(new CertificateProblem(inputs.chain(), CertificateProblemCode.CHAIN_ORDER, "the chain is out of"
              + " order: " + what + " is issued by chain certificate #" + (found - 1) + " (" + subject(links.get(found))
              + "), but is followed by " + subject(next) + "; list each certificate's issuer right after it,"
              + " from the certificate's issuer up to the root"));
        } else {
          // The certificate that follows may be unrelated, or the issuer's own issuer: named, not guessed at.
          String issuer = link.getIssuerX500Principal().getName();
          problems.add(new CertificateProblem(inputs.chain(), CertificateProblemCode.CHAIN_INCOMPLETE, "chain"
              + " certificate #" + i + " (" + subject(next) + ") is not the issuer of " + what + ": that is " + issuer
              + ", which is not in the chain. Put " + issuer + "'s certificate (your CA publishes it) "
              + (i == 0 ? "first in " + inputs.chain() : "right after chain certificate #" + (i - 1))
              + ", and remove chain certificate #" + i + " unless it issued " + issuer + "; if " + issuer
              + " is a root CA that clients trust, the chain may stop before it"));
        }
        return;
      }
      String failure = CertificateSignatures.failure(link, next.getPublicKey());
      if (failure != null) {
        problems.add(new CertificateProblem(inputs.chain(), CertificateProblemCode.CHAIN_BAD_SIGNATURE, what + " names "
            + subject(next) + " as its issuer, but that certificate's key does not verify its signature: " + failure
            + " (another CA with the same name, or a reissued CA); use the chain your CA gave with this certificate"));
        return;
      }
    }
  }

  private static int indexOfSubject(List<X509Certificate> links, String subject) {
    for (int i = 1; i < links.size(); i++) {
      if (links.get(i).getSubjectX500Principal().getName().equals(subject)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean selfIssued(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }

  /** {@code domainName} is valid (see {@link #domainNameProblem}). */
  private static void domain(X509Certificate certificate, String domain, Inputs inputs,
      List<CertificateProblem> problems) {
    List<String> names = dnsNames(certificate);
    for (String name : names) {
      if (covers(name, domain)) {
        return;
      }
    }
    String listed = names.isEmpty() ? "it has no DNS subjectAltName (TLS clients do not use the subject CN)"
        : "its DNS subjectAltNames are " + String.join(", ", names);
    problems.add(new CertificateProblem(inputs.domain(), CertificateProblemCode.DOMAIN_NOT_COVERED, "the certificate"
        + " does not cover " + domain + ": " + listed + "; a wildcard covers exactly one leftmost label. Get a"
        + " certificate with " + domain + " in its subjectAltName, or set " + inputs.domain() + " to a name it"
        + " covers"));
  }

  /** The certificate's DNS subjectAltNames, as written. */
  static List<String> dnsNames(X509Certificate certificate) {
    Collection<List<?>> alternatives;
    try {
      alternatives = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    if (alternatives == null) {
      return List.of();
    }
    return alternatives.stream().filter(entry -> entry.size() >= 2 && Integer.valueOf(DNS_NAME).equals(entry.get(0)))
        .map(entry -> String.valueOf(entry.get(1))).collect(Collectors.toList());
  }

  /**
   * Whether the subjectAltName {@code pattern} covers the host name {@code domain} (normalized): equal ignoring
   * case, or {@code pattern} is {@code *.rest} with at least two labels in rest and {@code domain} is one more label
   * (not empty, no dot) before rest. Partial wildcards ({@code f*.example.com}) cover nothing but themselves.
   */
  static boolean covers(String pattern, String domain) {
    String name = normalize(pattern);
    if (name == null) {
      return false;
    }
    if (name.equals(domain)) {
      return true;
    }
    if (!name.startsWith("*.")) {
      return false;
    }
    String rest = name.substring(1); // ".example.com"
    if (rest.indexOf('.', 1) < 0 || rest.contains("*")) {
      return false;
    }
    if (!domain.endsWith(rest)) {
      return false;
    }
    String label = domain.substring(0, domain.length() - rest.length());
    return !label.isEmpty() && !label.contains(".") && !label.equals("*");
  }

  /** Lower case ASCII (IDNs as A-labels), without a trailing dot; null when not a host name. */
  static String normalize(String name) {
    if (name == null) {
      return null;
    }
    String trimmed = name.strip();
    if (trimmed.endsWith(".")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty() || trimmed.contains("..") || trimmed.startsWith(".") || trimmed.contains(" ")) {
      return null;
    }
    try {
      return IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Null when {@code domainName} matches the template's DomainName parameter ({@link #DOMAIN_NAME_PATTERN}, 4 to 253
   * characters); else a DOMAIN_NAME_INVALID problem on {@code input} saying what is wrong with it.
   */
  static CertificateProblem domainNameProblem(String domainName, String input) {
    if (domainName == null || domainName.isEmpty()) {
      return new CertificateProblem(input, CertificateProblemCode.DOMAIN_NAME_INVALID, input
          + " is empty; give the custom domain's name, e.g. api.example.com");
    }
    if (domainName.length() <= MAX_DOMAIN_LENGTH && domainName.length() >= MIN_DOMAIN_LENGTH
        && DOMAIN.matcher(domainName).matches()) {
      return null;
    }
    String shown = "'" + (domainName.length() > 80 ? domainName.substring(0, 80) + "..." : domainName) + "'";
    String name = domainName.strip();
    String why;
    if (name.contains("://") || name.contains("/")) {
      why = "is a URL, not a host name; give only the host name, e.g. api.example.com (no scheme, port or path)";
    } else if (IPV4.matcher(name).matches() || name.contains(":")) {
      why = "is an IP address" + (name.contains(":") && !name.contains("::") && name.indexOf(':') == name
          .lastIndexOf(':') ? " or has a port" : "") + "; a custom domain name is a DNS name such as api.example.com";
    } else if (!name.equals(domainName) || name.contains(" ")) {
      why = "holds spaces; remove them";
    } else if (name.contains("*")) {
      why = "is a wildcard; give the one name clients call, e.g. api.example.com";
    } else if (!name.equals(name.toLowerCase(Locale.ROOT))) {
      why = "has upper case letters; use lower case (" + name.toLowerCase(Locale.ROOT) + "), as the template's"
          + " DomainName parameter requires";
    } else if (name.endsWith(".")) {
      why = "ends with a dot; leave the trailing dot out (" + name.substring(0, name.length() - 1) + ")";
    } else if (name.contains("_")) {
      why = "has an underscore, which host names cannot hold; use letters, digits and hyphens";
    } else if (!name.contains(".")) {
      why = "is a single label; give a fully qualified domain name, e.g. " + name + ".example.com";
    } else if (name.contains("..") || name.startsWith(".")) {
      why = "has an empty label (a leading dot or two dots in a row)";
    } else if (Arrays.stream(name.split("\\.")).anyMatch(l -> l.startsWith("-") || l.endsWith("-"))) {
      why = "has a label that starts or ends with a hyphen; a label must start and end with a letter or digit";
    } else if (Arrays.stream(name.split("\\.")).anyMatch(l -> l.length() > 63)) {
      why = "has a label longer than 63 characters";
    } else if (name.length() > MAX_DOMAIN_LENGTH) {
      why = "is " + name.length() + " characters long, more than " + MAX_DOMAIN_LENGTH;
    } else if (!name.chars().allMatch(c -> c < 0x80)) {
      why = "has non-ASCII characters; give an internationalized name in its xn-- form (IDNA A-labels)";
    } else {
      why = "is not a fully qualified domain name in lower case: its labels may hold a-z, 0-9 and inner hyphens,"
          + " and the last label must start with a letter and be at least 2 characters";
    }
    return new CertificateProblem(input, CertificateProblemCode.DOMAIN_NAME_INVALID, input + " " + shown + " "
        + why);
  }

  private static boolean blank(byte[] pem) {
    return pem == null || new String(pem, StandardCharsets.ISO_8859_1).isBlank();
  }

  private static CertificateProblem pemInvalid(String input, String message) {
    return new CertificateProblem(input, CertificateProblemCode.PEM_INVALID, message);
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }
}
