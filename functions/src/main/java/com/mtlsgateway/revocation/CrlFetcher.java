package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.S3Staging;
import com.mtlsgateway.customresource.CustomResourceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads CRLs from S3 (through {@link S3Staging#read}) and from {@code http://} and {@code https://} URLs (the JDK's
 * HTTP client: redirects followed except from https to http, at most {@value #MAX_BYTES} bytes, one timeout per
 * request). A CRL is signed, so plain http is as safe as https for its content; the signature is checked later.
 */
final class CrlFetcher {

  /** The largest CRL read (bytes): a CRL of a million entries is about 40 MB. */
  static final long MAX_BYTES = 64L * 1024 * 1024;
  /** The longest one HTTP request may take. */
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

  private final S3Staging s3;
  private final HttpClient http;

  CrlFetcher(S3Staging s3, HttpClient http) {
    this.s3 = s3;
    this.http = http;
  }

  /** The JDK client as the functions use it: HTTP/1.1, redirects as browsers follow them, 10 s to connect. */
  static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Reads one CRL.
   *
   * @param timeout the longest the read may take (for URLs; S3 reads use the SDK's own timeouts)
   * @return its bytes
   * @throws FetchException saying why it could not be read (never the bytes)
   */
  byte[] fetch(CrlLocation location, Duration timeout) {
    if (location.s3() != null) {
      S3Staging.Download download;
      try {
        download = s3.read(RevocationListProperties.REVOCATION_LIST_URIS, location.s3(), MAX_BYTES, "");
      } catch (CustomResourceException e) {
        throw new FetchException(e.getMessage());
      }
      if (download.tooLarge(MAX_BYTES)) {
        throw new FetchException("is " + download.size() + " bytes, over the " + MAX_BYTES + "-byte limit");
      }
      return download.bytes();
    }
    Duration limit = timeout.compareTo(HTTP_TIMEOUT) < 0 ? timeout : HTTP_TIMEOUT;
    HttpRequest request = HttpRequest.newBuilder(location.url()).GET()
        .timeout(limit)
        .header("Accept", "application/pkix-crl, application/x-pkcs7-crl, application/x-pem-file, */*").build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new FetchException("answered HTTP " + response.statusCode() + " (expected 200): check the URL");
        }
        byte[] bytes = body.readNBytes(Math.toIntExact(MAX_BYTES + 1));
        if (bytes.length > MAX_BYTES) {
          throw new FetchException("is over the " + MAX_BYTES + "-byte limit");
        }
        return bytes;
      }
    } catch (HttpTimeoutException e) {
      throw new FetchException("did not answer within " + seconds(limit) + " s");
    } catch (IOException e) {
      throw new FetchException("could not be read (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage().toLowerCase(Locale.ROOT)) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("was interrupted while being read");
    }
  }

  /** Whole seconds, rounded up: a limit of 1.9 s is told as 2 s. */
  static long seconds(Duration duration) {
    return (duration.toMillis() + 999) / 1000;
  }

  /** A CRL that could not be read; the message completes "RevocationListUris LOCATION ...". */
  static final class FetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FetchException(String message) {
      super(message);
    }
  }
}
