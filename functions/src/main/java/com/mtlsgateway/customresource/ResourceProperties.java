package com.mtlsgateway.customresource;

import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code ResourceProperties} (or {@code OldResourceProperties}) of a request. CloudFormation sends every value
 * as a string, or a list or map of strings (numbers and booleans too: crpg-ref-requests).
 *
 * <p>Reading a property through {@link #required}, {@link #optional} or {@link #flag} marks its name as known;
 * {@link #finish()} then rejects every name never read, so a misspelt property fails the deployment instead of
 * being ignored. {@code ServiceToken} and {@code ServiceTimeout}, which CloudFormation itself reads, are always
 * known. An empty string counts as absent: it is what a template passes for an unset parameter.
 *
 * <p>Not thread-safe: a handler reads it from one thread.
 */
public final class ResourceProperties {
  private static final Set<String> ALWAYS_KNOWN = Set.of("ServiceToken", "ServiceTimeout");

  private final Map<String, Object> values;
  private final Set<String> read = new TreeSet<>();

  ResourceProperties(JsonObject node) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(node.members()));
  }

  /**
   * @return the value of a string property
   * @throws InvalidPropertyException when it is absent, empty or not a string
   */
  public String required(String name) {
    return optional(name).orElseThrow(() -> new InvalidPropertyException(name, "is required",
        "set it in the resource's Properties"));
  }

  /**
   * @return the value of a string property, empty when absent or empty
   * @throws InvalidPropertyException when it is a list or map
   */
  public Optional<String> optional(String name) {
    read.add(name);
    Object node = values.get(name);
    if (node == null) {
      return Optional.empty();
    }
    String value = JsonCodec.scalarText(node);
    if (value == null) {
      throw new InvalidPropertyException(name, "must be a string, not a "
          + (node instanceof JsonArray ? "list" : "map"), "give it a single value");
    }
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /**
   * @return the value of a property as sent (a String, or a {@link JsonArray} or {@link JsonObject} of strings),
   *     empty when absent, null or an empty string; for properties such as {@code Tags} whose value is a list
   */
  public Optional<Object> node(String name) {
    read.add(name);
    Object node = values.get(name);
    if (node == null || "".equals(node)) {
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /**
   * @return the value of a boolean property written {@code "true"} or {@code "false"} (the strings CloudFormation
   *     sends for YAML {@code true}/{@code false}); {@code dflt} when absent
   * @throws InvalidPropertyException for any other value
   */
  public boolean flag(String name, boolean dflt) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return dflt;
    }
    return switch (value.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidPropertyException(name, "is \"" + abbreviate(value.get())
          + "\", not \"true\" or \"false\"", "give \"true\" or \"false\" (lower case), as CloudFormation passes a"
          + " boolean");
    };
  }

  /**
   * Rejects the properties never read.
   *
   * @throws InvalidPropertyException naming the first unknown property, and listing all unknown and known ones
   */
  public void finish() {
    List<String> unknown = new ArrayList<>();
    for (String name : values.keySet()) {
      if (!read.contains(name) && !ALWAYS_KNOWN.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      String problem = unknown.size() == 1 ? "is not known" : "is not known (nor " + unknown.subList(1,
          unknown.size()).stream().map(InvalidPropertyException::shown).collect(Collectors.joining(", ")) + ")";
      throw new InvalidPropertyException(unknown.get(0), problem,
          "check the spelling; this resource accepts " + String.join(", ", read));
    }
  }

  /** Every property as sent, including ServiceToken and ServiceTimeout; reading it marks nothing as known. */
  public Map<String, Object> raw() {
    return values;
  }

  /** Names only: values may be secrets. */
  @Override
  public String toString() {
    return "ResourceProperties" + values.keySet();
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
