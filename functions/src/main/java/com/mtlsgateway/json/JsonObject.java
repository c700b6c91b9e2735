package com.mtlsgateway.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON object: members in insertion order, values of the kinds {@link JsonCodec} reads and writes (String, Boolean,
 * Long, BigInteger, Double, BigDecimal, Integer, null, {@link JsonObject}, {@link JsonArray}). Not thread-safe.
 *
 * <pre>{@code
 * JsonObject line = new JsonObject().put("event", "truststore.staged").put("version", 3);
 * line.putArray("findings").addObject().put("code", "EXPIRED");
 * JsonCodec.write(line); // {"event":"truststore.staged","version":3,"findings":[{"code":"EXPIRED"}]}
 * }</pre>
 */
public final class JsonObject {

  private final Map<String, Object> members = new LinkedHashMap<>();

  /**
   * Sets a member, replacing an earlier one of that name (which keeps its position).
   *
   * @param value a String, Boolean, Number (Integer, Long, BigInteger, Double, BigDecimal), null, JsonObject or
   *     JsonArray
   * @return this object
   * @throws IllegalArgumentException for a value of another type
   */
  public JsonObject put(String name, Object value) {
    members.put(Objects.requireNonNull(name, "name"), JsonCodec.checkValue(value));
    return this;
  }

  /** Sets a new, empty object as the member {@code name} and returns it. */
  public JsonObject putObject(String name) {
    JsonObject child = new JsonObject();
    put(name, child);
    return child;
  }

  /** Sets a new, empty array as the member {@code name} and returns it. */
  public JsonArray putArray(String name) {
    JsonArray child = new JsonArray();
    put(name, child);
    return child;
  }

  /** Whether a member of that name exists (its value may be null). */
  public boolean has(String name) {
    return members.containsKey(name);
  }

  /** The member's value; null when it is JSON null or absent (see {@link #has}). */
  public Object get(String name) {
    return members.get(name);
  }

  /** The member as an object, or null when it is absent or not an object. */
  public JsonObject object(String name) {
    return members.get(name) instanceof JsonObject object ? object : null;
  }

  /** The member as a string, or null when it is absent or not a string. */
  public String string(String name) {
    return members.get(name) instanceof String text ? text : null;
  }

  /** The members in order, unmodifiable. */
  public Map<String, Object> members() {
    return Collections.unmodifiableMap(members);
  }

  public int size() {
    return members.size();
  }

  /** Compact JSON, as {@link JsonCodec#write}. */
  @Override
  public String toString() {
    return JsonCodec.write(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonObject object && object.members.equals(members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }
}
