package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.S3Location;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The authorizer's configuration: from its environment, and the three tunables also from the stage's variables,
 * which win. The template sets both from the stack's parameters. Stage variables exist because a change of a
 * parameter alone changes only the function's environment, and SAM publishes a new version (which the authorizer's
 * alias names) only when the function's code or template text changes; a stage update takes effect at once.
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
  /** The stage variables that override {@link #REFRESH_SECONDS}, {@link #GRACE_PERIOD_HOURS}, {@link #FAIL_MODE}. */
  public static final String STAGE_REFRESH_SECONDS = "revocationRefreshSeconds";
  public static final String STAGE_GRACE_PERIOD_HOURS = "revocationGracePeriodHours";
  public static final String STAGE_FAIL_MODE = "revocationFailMode";
  /** The grace period when none is set: the template's RevocationGracePeriodHours default. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

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
    return new AuthorizerSettings(index, Duration.ofSeconds(60), DEFAULT_GRACE, false)
        .with(environment, REFRESH_SECONDS, GRACE_PERIOD_HOURS, FAIL_MODE);
  }

  /**
   * These settings with the stage's variables applied: each of {@value #STAGE_REFRESH_SECONDS}, {@value
   * #STAGE_GRACE_PERIOD_HOURS} and {@value #STAGE_FAIL_MODE} that is set replaces the value here.
   *
   * @throws IllegalArgumentException naming the variable, the problem and the accepted values
   */
  public AuthorizerSettings withStageVariables(Map<String, String> stageVariables) {
    return with(stageVariables, STAGE_REFRESH_SECONDS, STAGE_GRACE_PERIOD_HOURS, STAGE_FAIL_MODE);
  }

  private AuthorizerSettings with(Map<String, String> values, String refreshName, String graceName,
      String modeName) {
    long refreshSeconds = number(values, refreshName, refresh.toSeconds(), 1, 3600);
    long graceHours = number(values, graceName, grace.toHours(), 0, 720);
    String text = values.get(modeName);
    boolean open = failOpen;
    if (text != null && !text.isBlank()) {
      String mode = text.strip().toUpperCase(Locale.ROOT);
      if (!mode.equals("CLOSED") && !mode.equals("OPEN")) {
        throw new IllegalArgumentException(modeName + " is \"" + text + "\": set CLOSED (deny when the check cannot "
            + "be made) or OPEN");
      }
      open = mode.equals("OPEN");
    }
    return new AuthorizerSettings(index, Duration.ofSeconds(refreshSeconds), Duration.ofHours(graceHours), open);
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
