package com.mtlsgateway.revocation;

import com.mtlsgateway.aws.S3Location;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where one CRL is read from: an S3 object ({@code s3://bucket/key[?versionId=...]}, as AWS Private CA writes them)
 * or an {@code http://} or {@code https://} URL (as CAs publish them in their certificates' CRL Distribution Points).
 *
 * @param text the location as given, named in findings and logs
 * @param s3 the S3 object, or null for a URL
 * @param url the URL, or null for an S3 object
 */
public record CrlLocation(String text, S3Location s3, URI url) {

  /**
   * At most this many locations: the template grants read access to each S3 one separately, and CloudFormation
   * has no loops, so it spells out this many.
   */
  public static final int MAX_LOCATIONS = 10;
  private static final String FORM = "s3://bucket/key[?versionId=...], https://host/path or http://host/path";

  /**
   * Parses one location.
   *
   * @throws IllegalArgumentException saying what is wrong and the expected form
   */
  public static CrlLocation parse(String text) {
    String scheme = text.contains("://") ? text.substring(0, text.indexOf("://")).toLowerCase(Locale.ROOT) : "";
    if (scheme.equals("s3")) {
      return new CrlLocation(text, S3Location.parse(text), null);
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("\"" + text + "\" is not a CRL location: expected " + FORM);
    }
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a valid URL (" + e.getReason() + ")");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("\"" + text + "\" has no host name: expected " + FORM);
    }
    if (url.getRawUserInfo() != null) {
      // Credentials in the URL would be written wherever the location is (template, logs, findings).
      throw new IllegalArgumentException("the URL of \"" + url.getHost() + "\" holds a user name or password: CRLs"
          + " are public documents, publish them without one");
    }
    if (url.getRawFragment() != null) {
      throw new IllegalArgumentException("\"" + text + "\" has a #fragment, which is never sent: remove it");
    }
    return new CrlLocation(text, null, url);
  }

  /**
   * Parses a comma-separated list; blanks around entries are ignored, empty entries are not allowed.
   *
   * @throws IllegalArgumentException for an empty entry, a duplicate, more than {@value #MAX_LOCATIONS} entries or
   *     an entry {@link #parse} refuses
   */
  public static List<CrlLocation> parseList(List<String> entries) {
    if (entries.size() > MAX_LOCATIONS) {
      throw new IllegalArgumentException("lists " + entries.size() + " CRLs; at most " + MAX_LOCATIONS + " are "
          + "supported (the template grants read access to each S3 one): publish fewer, larger CRLs");
    }
    List<CrlLocation> locations = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i).strip();
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("entry " + (i + 1) + " is empty: remove the extra comma");
      }
      if (!seen.add(entry)) {
        throw new IllegalArgumentException("\"" + entry + "\" is listed twice: remove one");
      }
      locations.add(parse(entry));
    }
    return locations;
  }

  /** Splits a comma-separated list (no quoting: commas never occur in these locations). */
  public static List<String> split(String commaSeparated) {
    return commaSeparated.isBlank() ? List.of() : List.of(commaSeparated.split(",", -1));
  }

  @Override
  public String toString() {
    return text;
  }
}
