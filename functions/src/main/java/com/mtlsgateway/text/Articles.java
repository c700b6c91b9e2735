package com.mtlsgateway.text;

import java.util.Locale;
import java.util.Set;

/**
 * The English indefinite article for a word or phrase that messages build from data: "an Update", "a Create",
 * "an ENCRYPTED PRIVATE KEY", "an RSA PRIVATE KEY", "a DSA PRIVATE KEY", "an X509 CRL", "an OPTIONS".
 *
 * <p>The choice follows the sound of the first word. A word is read letter by letter (an initialism) when it is in
 * capitals and has a digit or no vowel ("X509", "PKCS7", "DH"), or is one of a few known initialisms that have a
 * vowel ("RSA", "URL"); its article then follows the name of its first letter ("an R", "a D", "a U"). Any other word
 * takes "an" when it starts with a vowel letter, except a few "you"-sounding starts ("a unique", "a user"). The
 * rules cover the labels, request types and HTTP methods that this project's messages name; they are not a
 * general English grammar (an "h" is taken as sounded: "a HEAD").
 */
public final class Articles {

  /** Letters whose names start with a vowel sound: "an F", "an H", "an M", "an S", "an X"... */
  private static final String AN_LETTERS = "AEFHILMNORSX";
  private static final Set<String> VOWELED_INITIALISMS = Set.of("RSA", "DSA", "ECDSA", "EC", "ECDH", "URL", "URI",
      "API", "ARN", "IAM", "ACM", "AWS", "HMAC", "OID", "UUID");
  private static final Set<String> YOU_STARTS = Set.of("uni", "use", "usa", "usu", "uti");

  private Articles() {}

  /** {@code "a"} or {@code "an"}, as goes before {@code phrase} (whose leading quotes and brackets are skipped). */
  public static String indefinite(String phrase) {
    String word = firstWord(phrase);
    if (word.isEmpty()) {
      return "a";
    }
    char first = Character.toUpperCase(word.charAt(0));
    if (Character.isDigit(first)) {
      return first == '8' || word.startsWith("11") || word.startsWith("18") ? "an" : "a";
    }
    if (isInitialism(word)) {
      return AN_LETTERS.indexOf(first) >= 0 ? "an" : "a";
    }
    String lower = word.toLowerCase(Locale.ROOT);
    if (YOU_STARTS.stream().anyMatch(lower::startsWith)) {
      return "a";
    }
    return "AEIOU".indexOf(first) >= 0 ? "an" : "a";
  }

  /** {@code phrase} after its article: {@code "an Update"}. */
  public static String withIndefinite(String phrase) {
    return indefinite(phrase) + " " + phrase;
  }

  private static String firstWord(String phrase) {
    int start = 0;
    while (start < phrase.length() && !Character.isLetterOrDigit(phrase.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < phrase.length() && Character.isLetterOrDigit(phrase.charAt(end))) {
      end++;
    }
    return phrase.substring(start, end);
  }

  private static boolean isInitialism(String word) {
    if (!word.equals(word.toUpperCase(Locale.ROOT))) {
      return false;
    }
    if (VOWELED_INITIALISMS.contains(word)) {
      return true;
    }
    boolean digit = word.chars().anyMatch(Character::isDigit);
    boolean vowel = word.chars().anyMatch(c -> "AEIOU".indexOf(c) >= 0);
    return digit || !vowel || word.length() == 1;
  }
}
