package com.mtlsgateway.revocation;

import com.mtlsgateway.crypto.CertificateSignatures;
import com.mtlsgateway.crypto.KeyIdentifiers;
import com.mtlsgateway.truststore.PemBlock;
import com.mtlsgateway.truststore.Severity;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks CRLs against the CAs of a truststore and builds the revocation index's entries. Pure: no I/O, the clock
 * injected.
 *
 * <p>Each CRL must be a complete, direct CRL (RFC 5280 5.2), signed by a CA of the truststore with the same name
 * whose key allows cRLSign, current (thisUpdate at most five minutes ahead, nextUpdate ahead), and the only CRL of its
 * CA. See {@link CrlProblemCode} for every rule.
 */
public final class CrlChecker {

  /** How far in the future a thisUpdate may be: the CA's and this function's clocks may differ a little. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final String DELTA_CRL_INDICATOR = "2.5.29.27";
  private static final String ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
  private static final String FRESHEST_CRL = "2.5.29.46";
  private static final String CRL_NUMBER = "2.5.29.20";
  /** CRL extensions understood here (RFC 5280 5.2): AKI, issuerAltName, cRLNumber, delta, IDP, freshestCRL. */
  private static final Set<String> KNOWN_CRL_EXTENSIONS = Set.of("2.5.29.35", "2.5.29.18", "2.5.29.20",
      DELTA_CRL_INDICATOR, ISSUING_DISTRIBUTION_POINT, FRESHEST_CRL, "1.3.6.1.5.5.7.1.1");
  /** Entry extensions understood here (RFC 5280 5.3): reasonCode, invalidityDate, certificateIssuer. */
  private static final Set<String> KNOWN_ENTRY_EXTENSIONS = Set.of("2.5.29.21", "2.5.29.24", "2.5.29.29");
  private static final String PEM_CRL = "-----BEGIN X509 CRL-----";
  private static final int CRL_SIGN = 6; // keyUsage bit (RFC 5280 4.2.1.3)

  /** One CRL as read: where from and its bytes (DER or PEM). */
  public record Input(String source, byte[] bytes) {}

  private final Clock clock;

  public CrlChecker(Clock clock) {
    this.clock = clock;
  }

  /**
   * Checks {@code crls} against {@code truststore}.
   *
   * @param truststore the CA certificates of the staged truststore, in bundle order (duplicates are ignored)
   * @param crls the CRLs, in the order given; a source that could not be fetched is reported by the caller as
   *     {@link CrlProblemCode#CRL_UNREADABLE}
   * @return the findings (in the order of the CRLs, then CAs without a CRL) and one entry per distinct CA, with its
   *     CRL when it has a valid one
   */
  public CrlReport check(List<X509Certificate> truststore, List<Input> crls) {
    Instant now = clock.instant();
    List<X509Certificate> cas = distinct(truststore);
    List<CrlFinding> findings = new ArrayList<>();
    Map<X509Certificate, List<Accepted>> byCa = new IdentityHashMap<>();
    // A CA whose CRL was refused already has an ERROR naming it: "no CRL was given" would be untrue.
    Set<X509Certificate> refused = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Input input : crls) {
      Accepted accepted = checkOne(input, cas, now, findings, refused);
      if (accepted != null) {
        byCa.computeIfAbsent(accepted.ca(), k -> new ArrayList<>()).add(accepted);
      }
    }
    List<IssuerEntry> entries = new ArrayList<>();
    for (X509Certificate ca : cas) {
      List<Accepted> forCa = byCa.getOrDefault(ca, List.of());
      IssuerEntry.Crl crl = null;
      if (forCa.size() > 1) {
        List<String> sources = forCa.stream().map(a -> a.input().source()).toList();
        for (Accepted accepted : forCa) {
          findings.add(new CrlFinding(CrlProblemCode.CRL_DUPLICATE_ISSUER, accepted.input().source(), name(ca),
              "is one of " + forCa.size() + " CRLs of this CA (" + String.join(", ", sources) + "): which one is "
                  + "current is ambiguous; list only the CA's current complete CRL"));
        }
      } else if (forCa.size() == 1) {
        crl = forCa.get(0).crl();
      } else if (!refused.contains(ca)) {
        findings.add(new CrlFinding(CrlProblemCode.CA_WITHOUT_CRL, null, name(ca), "no CRL was given for this CA:"
            + " the clients it issues are never checked for revocation; add its CRL to RevocationListUris if it "
            + "issues client certificates"));
      }
      entries.add(new IssuerEntry(ca.getSubjectX500Principal().getEncoded(), keyId(ca), crl));
    }
    return new CrlReport(findings, entries);
  }

  /**
   * The certificates of a truststore bundle (concatenated PEM), as the deploy and {@code bin/mtls crl check} read
   * it.
   *
   * @throws CertificateException when the bundle is empty, holds no certificate or does not parse; the message says
   *     which
   */
  public static List<X509Certificate> truststore(byte[] bundle) throws CertificateException {
    if (bundle.length == 0) {
      throw new CertificateException("it is empty");
    }
    // The JDK's reader stops at another kind of block with an internal message; say which block it is (its label
    // only: a key's contents are never echoed).
    for (PemBlock block : PemBlock.read(bundle).blocks()) {
      if (!"CERTIFICATE".equals(block.label())) {
        throw new CertificateException("PEM block " + block.index() + " is " + block.printableLabel() + ", not a"
            + " CERTIFICATE: a truststore bundle holds only CA certificates; remove that block (or give the bundle"
            + " file, not a key or another file)");
      }
    }
    List<X509Certificate> cas = new ArrayList<>();
    for (Certificate certificate : CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(bundle))) {
      cas.add((X509Certificate) certificate);
    }
    if (cas.isEmpty()) {
      throw new CertificateException("it holds no certificate");
    }
    return cas;
  }

  private record Accepted(Input input, X509Certificate ca, IssuerEntry.Crl crl) {}

  /**
   * Checks one CRL; adds its findings and returns it, with its CA, when it has no ERROR; adds its CA, when known, to
   * {@code refused} when it has one.
   */
  private static Accepted checkOne(Input input, List<X509Certificate> cas, Instant now, List<CrlFinding> findings,
      Set<X509Certificate> refused) {
    String source = input.source();
    X509CRL crl;
    try {
      crl = parse(input.bytes());
    } catch (IllegalArgumentException e) {
      findings.add(new CrlFinding(CrlProblemCode.CRL_UNREADABLE, source, null, e.getMessage()));
      return null;
    }
    String issuerName = crl.getIssuerX500Principal().getName();
    int before = findings.size();
    List<byte[]> serials = checkScope(crl, source, issuerName, findings);

    X509Certificate ca = issuer(crl, cas, source, issuerName, findings);
    if (ca != null) {
      boolean[] keyUsage = ca.getKeyUsage();
      if (keyUsage != null && (keyUsage.length <= CRL_SIGN || !keyUsage[CRL_SIGN])) {
        findings.add(new CrlFinding(CrlProblemCode.CRL_ISSUER_NOT_CRL_SIGNER, source, issuerName, "is signed by "
            + "the truststore CA " + issuerName + ", whose keyUsage does not include cRLSign, so it may not sign "
            + "CRLs (RFC 5280 4.2.1.3): have the CA re-issued with cRLSign, or use the CRL its CRL signer publishes"
            + " for it"));
      }
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
      findings.add(new CrlFinding(CrlProblemCode.CRL_NOT_YET_VALID, source, issuerName, "has thisUpdate "
          + thisUpdate + ", in the future (now " + now.truncatedTo(ChronoUnit.SECONDS) + "): check"
          + " the CA's clock, or that this is the CRL it publishes"));
    }
    Instant nextUpdate = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
    if (nextUpdate == null) {
      findings.add(new CrlFinding(CrlProblemCode.CRL_NO_NEXT_UPDATE, source, issuerName, "has no nextUpdate, so "
          + "its staleness cannot be judged (RFC 5280 5.1.2.5 requires one): configure the CA to set it"));
    } else if (!now.isBefore(nextUpdate)) {
      findings.add(new CrlFinding(CrlProblemCode.CRL_EXPIRED, source, issuerName, "expired: its nextUpdate "
          + nextUpdate + " is past, so a newer CRL should exist: point RevocationListUris at the CA's current CRL, "
          + "or have the CA publish one"));
    }
    if (crl.getExtensionValue(FRESHEST_CRL) != null) {
      findings.add(new CrlFinding(CrlProblemCode.CRL_HAS_DELTAS, source, issuerName, "names delta CRLs "
          + "(freshestCRL), which are not read: a revocation published only in a delta takes effect with the CA's "
          + "next complete CRL"));
    }
    if (ca == null || hasError(findings, before)) {
      if (ca != null) {
        refused.add(ca);
      }
      return null;
    }
    return new Accepted(input, ca, new IssuerEntry.Crl(source, thisUpdate, nextUpdate, crlNumber(crl),
        serials));
  }

  private static boolean hasError(List<CrlFinding> findings, int from) {
    return findings.subList(from, findings.size()).stream()
        .anyMatch(f -> f.code().severity() == Severity.ERROR);
  }

  private static X509CRL parse(byte[] bytes) {
    String text = new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.ISO_8859_1);
    if (bytes.length == 0) {
      throw new IllegalArgumentException("is empty: expected a DER or PEM X.509 CRL");
    }
    if (text.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException("is a certificate, not a CRL: give the CRL the CA publishes (PEM "
          + PEM_CRL + ", or DER)");
    }
    int blocks = count(new String(bytes, StandardCharsets.ISO_8859_1), PEM_CRL);
    if (blocks > 1) {
      throw new IllegalArgumentException("holds " + blocks + " CRLs: give one CRL per location");
    }
    try {
      Collection<? extends CRL> all =
          CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes));
      if (all.size() != 1 || !(all.iterator().next() instanceof X509CRL crl)) {
        throw new IllegalArgumentException("holds " + all.size() + " CRLs: give one CRL per location");
      }
      return crl;
    } catch (CRLException | CertificateException | RuntimeException e) {
      if (e instanceof IllegalArgumentException known && known.getMessage().startsWith("holds ")) {
        throw known;
      }
      throw new IllegalArgumentException("is not a DER or PEM X.509 CRL (" + (text.startsWith("<") ? "it looks"
          + " like an HTML or XML page: check the URL" : "it does not parse") + ")");
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  /**
   * Refuses CRLs that are not complete and direct, and critical extensions not understood; returns the revoked
   * serials, read in the same pass (the JDK copies every entry each time they are asked for).
   */
  private static List<byte[]> checkScope(X509CRL crl, String source, String issuerName,
      List<CrlFinding> findings) {
    if (crl.getExtensionValue(DELTA_CRL_INDICATOR) != null) {
      findings.add(new CrlFinding(CrlProblemCode.CRL_DELTA, source, issuerName, "is a delta CRL "
          + "(deltaCRLIndicator): it lists only the changes since a base CRL; give the CA's complete CRL instead"));
    }
    byte[] idp = crl.getExtensionValue(ISSUING_DISTRIBUTION_POINT);
    if (idp != null) {
      IssuingDistributionPoint point = IssuingDistributionPoint.read(idp);
      if (point.partial() != null) {
        findings.add(new CrlFinding(CrlProblemCode.CRL_PARTITIONED, source, issuerName, "covers only part of the"
            + " CA's certificates (its Issuing Distribution Point has " + point.partial() + "): give the CA's "
            + "complete CRL (for AWS Private CA, a COMPLETE rather than PARTITIONED CRL configuration)"));
      }
      if (point.indirect()) {
        findings.add(new CrlFinding(CrlProblemCode.CRL_INDIRECT, source, issuerName, "is an indirect CRL "
            + "(indirectCRL): it may list other CAs' certificates, which are not told apart here; give each CA's "
            + "own CRL"));
      }
    }
    Set<String> critical = crl.getCriticalExtensionOIDs() == null ? Set.of() : crl.getCriticalExtensionOIDs();
    for (String oid : critical) {
      if (!KNOWN_CRL_EXTENSIONS.contains(oid)) {
        findings.add(unknownCritical(source, issuerName, "the CRL", oid));
      }
    }
    Set<String> reported = new HashSet<>();
    Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
    if (entries == null) {
      return List.of();
    }
    List<byte[]> serials = new ArrayList<>(entries.size());
    for (X509CRLEntry entry : entries) {
      serials.add(entry.getSerialNumber().toByteArray());
      if (entry.getCertificateIssuer() != null && reported.add("certificateIssuer")) {
        findings.add(new CrlFinding(CrlProblemCode.CRL_INDIRECT, source, issuerName, "has entries for "
            + "certificates of another issuer (certificateIssuer): give each CA's own CRL"));
      }
      Set<String> entryCritical = entry.getCriticalExtensionOIDs();
      if (entryCritical != null) {
        for (String oid : entryCritical) {
          if (!KNOWN_ENTRY_EXTENSIONS.contains(oid) && reported.add(oid)) {
            findings.add(unknownCritical(source, issuerName, "an entry", oid));
          }
        }
      }
    }
    return serials;
  }

  private static CrlFinding unknownCritical(String source, String issuerName, String where, String oid) {
    return new CrlFinding(CrlProblemCode.CRL_UNKNOWN_CRITICAL_EXTENSION, source, issuerName, "has a critical "
        + "extension " + oid + " in " + where + " that is not understood here, and RFC 5280 says to refuse such a "
        + "CRL: have the CA publish a complete CRL without it");
  }

  /**
   * The truststore CA that signed {@code crl}: same name; among several, those whose key identifier matches the
   * CRL's authority key identifier are tried first; the signature decides.
   */
  private static X509Certificate issuer(X509CRL crl, List<X509Certificate> cas, String source, String issuerName,
      List<CrlFinding> findings) {
    List<X509Certificate> named = new ArrayList<>();
    for (X509Certificate ca : cas) {
      if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        named.add(ca);
      }
    }
    if (named.isEmpty()) {
      findings.add(new CrlFinding(CrlProblemCode.CRL_ISSUER_UNKNOWN, source, issuerName, "is issued by "
          + issuerName + ", which is not a CA of the truststore: add that CA to the truststore, or remove this CRL "
          + "from RevocationListUris"));
      return null;
    }
    byte[] authorityKeyId = KeyIdentifiers.authority(crl);
    if (authorityKeyId != null) {
      named.sort((a, b) -> Boolean.compare(!Arrays.equals(keyId(a), authorityKeyId),
          !Arrays.equals(keyId(b), authorityKeyId)));
    }
    String failure = null;
    for (X509Certificate ca : named) {
      String why = CertificateSignatures.failure(crl, ca.getPublicKey());
      if (why == null) {
        return ca;
      }
      failure = failure == null ? why : failure;
    }
    findings.add(new CrlFinding(CrlProblemCode.CRL_BAD_SIGNATURE, source, issuerName, "does not verify with the "
        + "key of the truststore CA " + issuerName + (named.size() > 1 ? " (" + named.size() + " CAs of that name "
        + "tried)" : "") + ": " + failure + "; it was signed by another key (a different CA of the same name, or "
        + "the CA's previous key): fetch the CRL the truststore's CA publishes now"));
    return null;
  }

  /** The cRLNumber extension (RFC 5280 5.2.3), or null when absent or malformed (it is informative only). */
  private static BigInteger crlNumber(X509CRL crl) {
    byte[] wrapped = crl.getExtensionValue(CRL_NUMBER);
    int[] octets = wrapped == null ? null : KeyIdentifiers.element(wrapped, 0, wrapped.length);
    int[] integer = octets == null ? null : KeyIdentifiers.element(wrapped, octets[1], octets[2]);
    return integer == null || integer[0] != 0x02 || integer[2] == integer[1] ? null
        : new BigInteger(Arrays.copyOfRange(wrapped, integer[1], integer[2]));
  }

  /**
   * The CA's subject key identifier, or the SHA-1 of its subjectPublicKey (RFC 5280 4.2.1.2 method 1), which is
   * what a client's authority key identifier names.
   */
  static byte[] keyId(X509Certificate ca) {
    byte[] subjectKeyId = KeyIdentifiers.subject(ca);
    if (subjectKeyId != null) {
      return subjectKeyId;
    }
    byte[] spki = ca.getPublicKey().getEncoded();
    int[] sequence = KeyIdentifiers.element(spki, 0, spki.length);
    int[] algorithm = sequence == null ? null : KeyIdentifiers.element(spki, sequence[1], sequence[2]);
    int[] bits = algorithm == null ? null : KeyIdentifiers.element(spki, algorithm[2], sequence[2]);
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      if (bits == null || bits[2] - bits[1] < 1) {
        return sha1.digest(spki);
      }
      sha1.update(spki, bits[1] + 1, bits[2] - bits[1] - 1); // after the unused-bits byte
      return sha1.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }

  private static List<X509Certificate> distinct(List<X509Certificate> certificates) {
    Map<ByteBuffer, X509Certificate> byDer = new LinkedHashMap<>();
    for (X509Certificate certificate : certificates) {
      try {
        byDer.putIfAbsent(ByteBuffer.wrap(certificate.getEncoded()), certificate);
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("a truststore certificate cannot be encoded", e);
      }
    }
    return new ArrayList<>(byDer.values());
  }

  private static String name(X509Certificate ca) {
    return ca.getSubjectX500Principal().getName();
  }
}
