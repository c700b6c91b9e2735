package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.aws.S3Staging;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.truststore.TruststoreValidator;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The work shared by {@code Custom::RevocationList} and the scheduled refresh: read the staged truststore and the
 * CRLs, check them ({@link CrlChecker}), and stage the index as a new version of the index object (reusing the
 * current version when the bytes are the same).
 *
 * <p>Permissions used: s3:GetObjectVersion on the truststore object; s3:GetObject (s3:GetObjectVersion with a
 * versionId) on S3 CRL sources; on the index object s3:GetObject, s3:GetObjectVersion and s3:PutObject, and
 * s3:GetBucketVersioning and s3:ListBucket on its bucket.
 */
final class RevocationIndexer {

  static final String CONTENT_TYPE = "application/octet-stream";
  /** How much longer than the HTTP timeout a CRL may take to arrive in full. */
  static final Duration BODY_MARGIN = Duration.ofSeconds(1);

  /** What a run produced: the report, and the index's bytes when the report is valid (else null). */
  record Checked(CrlReport report, byte[] index, String sha256) {}

  private final S3Staging truststoreReader;
  private final S3Staging indexStaging;
  private final CrlFetcher fetcher;
  private final CrlChecker checker;

  RevocationIndexer(S3Client s3, HttpClient http, Clock clock) {
    String why = "every index version is kept as the record of what the authorizer decided on";
    this.truststoreReader = new S3Staging(s3, RevocationListProperties.INDEX_BUCKET,
        RevocationListProperties.TRUSTSTORE_URI, CONTENT_TYPE, why);
    this.indexStaging = new S3Staging(s3, RevocationListProperties.INDEX_BUCKET, RevocationListProperties.INDEX_KEY,
        CONTENT_TYPE, why);
    this.fetcher = new CrlFetcher(truststoreReader, http);
    this.checker = new CrlChecker(clock);
  }

  /**
   * Reads the truststore and the CRLs (in parallel, each within {@code timeout}) and checks them.
   *
   * @throws CustomResourceException when the truststore cannot be read; an unreadable CRL is a finding
   */
  Checked check(S3Location truststore, List<CrlLocation> locations, Duration timeout) {
    List<X509Certificate> cas = readTruststore(truststore);
    List<CrlChecker.Input> inputs = new ArrayList<>();
    List<CrlFinding> unreadable = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, locations.size()));
    // The HTTP timeout bounds only the wait for the headers: a body that stalls is cut off here.
    Duration limit = timeout.plus(BODY_MARGIN);
    long giveUpAt = System.nanoTime() + limit.toNanos();
    try {
      List<Future<byte[]>> reads = new ArrayList<>();
      for (CrlLocation location : locations) {
        reads.add(pool.submit(() -> fetcher.fetch(location, timeout)));
      }
      for (int i = 0; i < locations.size(); i++) {
        String source = locations.get(i).text();
        try {
          inputs.add(new CrlChecker.Input(source, reads.get(i).get(Math.max(0, giveUpAt - System.nanoTime()),
              TimeUnit.NANOSECONDS)));
        } catch (TimeoutException e) {
          unreadable.add(new CrlFinding(CrlProblemCode.CRL_UNREADABLE, source, null, "could not be fetched: it "
              + "was still being read after " + CrlFetcher.seconds(limit) + " s; check that the location serves "
              + "it quickly"));
        } catch (ExecutionException e) {
          String why = e.getCause() instanceof CrlFetcher.FetchException fetch ? fetch.getMessage()
              : "could not be read (" + e.getCause() + ")";
          unreadable.add(new CrlFinding(CrlProblemCode.CRL_UNREADABLE, source, null, "could not be fetched: " + why
              + "; check the location and the function's access to it"));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CustomResourceException("interrupted while reading the CRLs", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    CrlReport checked = checker.check(cas, inputs);
    List<CrlFinding> findings = new ArrayList<>(unreadable);
    findings.addAll(checked.findings());
    CrlReport report = new CrlReport(findings, checked.issuers());
    if (!report.valid()) {
      return new Checked(report, null, null);
    }
    byte[] index = RevocationIndex.write(report.issuers());
    return new Checked(report, index, sha256(index));
  }

  /** Stages the index bytes of a valid {@link Checked}. */
  S3Staging.Staged stage(S3Location index, Checked checked) {
    return indexStaging.stage(index, checked.index(), checked.sha256());
  }

  /**
   * The earliest nextUpdate among the CRLs of the index's current version (the one the authorizer decides on), or
   * empty when none has one.
   *
   * @throws CustomResourceException when the index cannot be read or is not an index
   */
  Optional<Instant> earliestNextUpdate(S3Location index) {
    S3Staging.Download download = indexStaging.read(AuthorizerSettings.INDEX_URI, index, RevocationIndex.MAX_BYTES,
        "");
    try {
      return RevocationIndex.read(download.bytes()).earliestNextUpdate();
    } catch (IllegalArgumentException e) {
      throw new CustomResourceException(AuthorizerSettings.INDEX_URI + " " + index + " is not a revocation index ("
          + e.getMessage() + ")", e);
    }
  }

  private List<X509Certificate> readTruststore(S3Location truststore) {
    S3Staging.Download download = truststoreReader.read(RevocationListProperties.TRUSTSTORE_URI, truststore,
        TruststoreValidator.MAX_BYTES, "");
    try {
      return CrlChecker.truststore(download.bytes());
    } catch (CertificateException e) {
      throw new CustomResourceException(RevocationListProperties.TRUSTSTORE_URI + " " + truststore + " does not "
          + "read as a PEM bundle of certificates (" + e.getMessage() + "): give the truststore staged by "
          + "Custom::Truststore", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
