package com.mtlsgateway.customresource;

/**
 * A resource property is missing, unknown or malformed. The message reads
 * {@code "Property <name> <problem>: <fix>"}, e.g.
 * {@code "Property StagingBucket is required: set it in the resource's Properties"}.
 */
public class InvalidPropertyException extends CustomResourceException {
  private static final long serialVersionUID = 1L;

  private final String property;

  /**
   * @param property the property name as written in the template
   * @param problem what is wrong, phrased to follow the name ("is required", "must be \"true\" or \"false\"")
   * @param fix what the user should change
   */
  public InvalidPropertyException(String property, String problem, String fix) {
    super("Property " + property + " " + problem + ": " + fix);
    this.property = property;
  }

  /** The property name as written in the template. */
  public String property() {
    return property;
  }
}
