package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.S3Location;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The authorizer's configuration, from its environment (set by the template from the stack's parameters).
 *
 * @param index {@code REVOCATION_INDEX_URI}: the index object, {@code s3://bucket/key} (its current version is read)
 * @param refresh {@code REVOCATION_REFRESH_SECONDS} (default 60, 1 to 3600): how often the index is checked for a
 *     new version; never per request
 * @param grace {@code REVOCATION_GRACE_PERIOD_HOURS} (default 24, 0 to 720): how long past its nextUpdate a CRL is
 *     still used
 * @param failOpen {@code REVOCATION_FAIL_MODE} = {@code OPEN} (default {@code CLOSED}): allow when the check cannot
 *     be made (no index, stale CRL, CA unknown to the index); a revoked serial is denied either way
 */
public record AuthorizerSettings(S3Location index, Duration refresh, Duration grace, boolean failOpen) {

  public static final String INDEX_URI = "REVOCATION_INDEX_URI";
  public static final String REFRESH_SECONDS = "REVOCATION_REFRESH_SECONDS";
  public static final String GRACE_PERIOD_HOURS = "REVOCATION_GRACE_PERIOD_HOURS";
  public static final String FAIL_MODE = "REVOCATION_FAIL_MODE";

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming the variable, the problem and the accepted values
   */
  public static AuthorizerSettings from(Map<String, String> environment) {
    String uri = environment.get(INDEX_URI);
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(INDEX_URI + " is not set: set it to the index object, s3://bucket/key (the"
          + " IndexUri output of Custom::RevocationList; the template sets it)");
    }
    S3Location index;
    try {
      index = S3Location.parse(uri.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(INDEX_URI + " " + e.getMessage());
    }
    long refresh = number(environment, REFRESH_SECONDS, 60, 1, 3600);
    long grace = number(environment, GRACE_PERIOD_HOURS, 24, 0, 720);
    String mode = environment.getOrDefault(FAIL_MODE, "CLOSED").strip().toUpperCase(Locale.ROOT);
    if (!mode.equals("CLOSED") && !mode.equals("OPEN") && !mode.isEmpty()) {
      throw new IllegalArgumentException(FAIL_MODE + " is \"" + environment.get(FAIL_MODE) + "\": set CLOSED (deny"
          + " when the check cannot be made) or OPEN");
    }
    return new AuthorizerSettings(index, Duration.ofSeconds(refresh), Duration.ofHours(grace), mode.equals("OPEN"));
  }

  private static long number(Map<String, String> environment, String name, long dflt, long min, long max) {
    String text = environment.get(name);
    if (text == null || text.isBlank()) {
      return dflt;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " is \"" + text + "\": give a whole number from " + min + " to " + max);
  }
}
