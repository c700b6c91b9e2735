package com.mtlsgateway.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** A JSON array of the values {@link JsonObject} takes. Not thread-safe. */
public final class JsonArray implements Iterable<Object> {

  private final List<Object> elements = new ArrayList<>();

  /**
   * Appends a value.
   *
   * @return this array
   * @throws IllegalArgumentException for a value of a type JSON does not have
   */
  public JsonArray add(Object value) {
    elements.add(JsonCodec.checkValue(value));
    return this;
  }

  /** Appends a new, empty object and returns it. */
  public JsonObject addObject() {
    JsonObject child = new JsonObject();
    add(child);
    return child;
  }

  /** The element at {@code index} (0-based). */
  public Object get(int index) {
    return elements.get(index);
  }

  public int size() {
    return elements.size();
  }

  /** The elements in order, unmodifiable. */
  public List<Object> elements() {
    return Collections.unmodifiableList(elements);
  }

  @Override
  public Iterator<Object> iterator() {
    return elements().iterator();
  }

  /** Compact JSON, as {@link JsonCodec#write}. */
  @Override
  public String toString() {
    return JsonCodec.write(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonArray array && array.elements.equals(elements);
  }

  @Override
  public int hashCode() {
    return elements.hashCode();
  }
}
