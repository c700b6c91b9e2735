package com.mtlsgateway.customresource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The test events in src/test/resources/com/mtlsgateway/customresource: JSON exactly as CloudFormation sends it
 * (PascalCase keys, string values, ServiceToken and ServiceTimeout among the ResourceProperties).
 */
final class Events {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Events() {}

  /** A fresh, editable copy of an event file, e.g. {@code "create.json"}. */
  static ObjectNode load(String name) {
    try (InputStream in = Events.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test event " + name);
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An event file with its ResponseURL pointing at {@code url}. */
  static ObjectNode load(String name, URI url) {
    ObjectNode event = load(name);
    event.put("ResponseURL", url.toString());
    return event;
  }

  static ObjectNode properties(ObjectNode event) {
    return (ObjectNode) event.get("ResourceProperties");
  }

  static byte[] bytes(ObjectNode event) {
    try {
      return MAPPER.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
