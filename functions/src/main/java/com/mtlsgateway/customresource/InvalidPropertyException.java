package com.mtlsgateway.customresource;

import com.mtlsgateway.text.Reasons;

/**
 * A resource property is missing, unknown or malformed. The message reads
 * {@code "Property <name> <problem>: <fix>"}, e.g.
 * {@code "Property StagingBucket is required: set it in the resource's Properties"}. A name longer than
 * {@value #MAX_NAME_CHARS} characters is cut, with its length, so that the problem and the fix stay in the Reason.
 */
public class InvalidPropertyException extends CustomResourceException {
  private static final long serialVersionUID = 1L;

  static final int MAX_NAME_CHARS = 100;

  private final String property;

  /**
   * @param property the property name as written in the template
   * @param problem what is wrong, phrased to follow the name ("is required", "is \"yes\", not \"true\" or \"false\"")
   * @param fix what the user should change
   */
  public InvalidPropertyException(String property, String problem, String fix) {
    super("Property " + shown(property) + " " + problem + ": " + fix);
    this.property = property;
  }

  /** The name as a message shows it: cut to {@value #MAX_NAME_CHARS} characters, saying how long it is. */
  static String shown(String property) {
    return property.length() <= MAX_NAME_CHARS ? property
        : Reasons.abbreviate(property, MAX_NAME_CHARS) + " (" + property.length() + " characters)";
  }

  /** The property name as written in the template. */
  public String property() {
    return property;
  }
}
