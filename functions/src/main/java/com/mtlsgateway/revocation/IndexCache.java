package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.AwsErrors;
import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.customresource.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The authorizer's copy of the revocation index: loaded once, then checked for a new version at most once per
 * refresh interval (a conditional GetObject with the ETag held, which S3 answers 304 when nothing changed), never per
 * request. A check that fails keeps the index held; the CRLs' nextUpdate and the grace period bound how long it may
 * still be used.
 *
 * <p>Permission used: s3:GetObject on the index object only.
 */
final class IndexCache {

  private final S3Client s3;
  private final S3Location location;
  private final Clock clock;
  private RevocationIndex index;
  private String etag;
  private String versionId;
  private Instant nextCheck = Instant.MIN;

  IndexCache(S3Client s3, S3Location location, Clock clock) {
    this.s3 = s3;
    this.location = location;
    this.clock = clock;
  }

  /**
   * The index held, after checking for a new version when {@code interval} has passed since the last check; null
   * when none was ever read.
   */
  synchronized RevocationIndex current(Duration interval) {
    Instant now = clock.instant();
    if (!now.isBefore(nextCheck)) {
      nextCheck = now.plus(interval);
      load();
    }
    return index;
  }

  /** Makes the next {@link #current()} check for a new version (after a SnapStart restore: time has passed). */
  synchronized void checkOnNextRequest() {
    nextCheck = Instant.MIN;
  }

  /** The S3 VersionId of the index held, or null. */
  synchronized String versionId() {
    return versionId;
  }

  private void load() {
    long started = System.nanoTime();
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(location.bucket())
        .key(location.key()).ifNoneMatch(etag))) {
      byte[] bytes = in.readNBytes(RevocationIndex.MAX_BYTES + 1);
      if (bytes.length > RevocationIndex.MAX_BYTES) {
        in.abort();
        throw new IllegalArgumentException("it is over " + RevocationIndex.MAX_BYTES + " bytes");
      }
      RevocationIndex read = RevocationIndex.read(bytes);
      index = read;
      etag = in.response().eTag();
      versionId = in.response().versionId();
      Json.log(Json.object().put("event", "revocation.index.loaded").put("indexUri", location.uri())
          .put("indexVersion", versionId).put("bytes", read.size())
          .put("issuers", read.issuers().size()).put("revokedCount", read.revokedCount())
          .put("earliestNextUpdate", read.earliestNextUpdate().map(Instant::toString).orElse(null))
          .put("millis", (System.nanoTime() - started) / 1_000_000));
    } catch (S3Exception e) {
      if (e.statusCode() != 304) {
        unreadable(AwsErrors.describe("S3 GetObject", e)
            + (e.statusCode() == 403 ? "; the authorizer needs s3:GetObject on the index object" : ""));
      }
    } catch (SdkException | IOException | UncheckedIOException e) {
      unreadable("reading it failed (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      unreadable("it is not a valid index: " + e.getMessage());
    }
  }

  private void unreadable(String why) {
    Json.log(Json.object().put("event", "revocation.index.unreadable").put("indexUri", location.uri())
        .put("reason", why).put("kept", index == null ? "no index: every request is decided by the fail mode"
            : "the index version " + versionId + " read before"));
  }
}
