package com.mtlsgateway.template;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a CloudFormation YAML template into a Jackson tree in which every short-form intrinsic
 * function has its long (JSON) form, as CloudFormation sees it:
 * <pre>
 *   !Ref X              -> {"Ref": "X"}
 *   !Condition C        -> {"Condition": "C"}
 *   !GetAtt A.B.C       -> {"Fn::GetAtt": ["A", "B.C"]}   (split at the first dot)
 *   !Sub / !If / ...    -> {"Fn::Sub": ...} / {"Fn::If": ...} / ...
 * </pre>
 *
 * <p>Jackson's {@link YAMLParser} reports a node's tag through {@code getTypeId()}, with the
 * leading {@code !} removed, while the current token is the tagged scalar or the start of the
 * tagged sequence or mapping (checked with jackson-dataformat-yaml 2.21.3). Standard YAML tags
 * ({@code !!str}, reported as {@code tag:yaml.org,2002:str}) are left alone. An unknown tag, a
 * duplicate key or a second document is an error, as it is for CloudFormation.
 */
final class CfnYaml {

  /** Short forms other than Ref, Condition and GetAtt: {@code !Name} means {@code Fn::Name}. */
  private static final Set<String> FUNCTIONS = Set.of(
      "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "If", "ImportValue", "Join",
      "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform");
  private static final String STANDARD_TAG_PREFIX = "tag:yaml.org,2002:";
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CfnYaml() {}

  static JsonNode load(Path file) throws IOException {
    try (YAMLParser parser = FACTORY.createParser(file.toFile())) {
      return readDocument(parser, file.toString());
    }
  }

  static JsonNode parse(String yaml) throws IOException {
    try (YAMLParser parser = FACTORY.createParser(yaml)) {
      return readDocument(parser, "<string>");
    }
  }

  private static JsonNode readDocument(YAMLParser parser, String source) throws IOException {
    if (parser.nextToken() == null) {
      throw new IOException(source + " is empty");
    }
    JsonNode root = read(parser);
    if (parser.nextToken() != null) {
      throw new IOException(source + " holds more than one YAML document");
    }
    return root;
  }

  /** Reads the value whose first token is current, leaving its last token current. */
  private static JsonNode read(YAMLParser parser) throws IOException {
    String tag = parser.getTypeId(); // must be read before moving into a collection
    JsonLocation where = parser.currentTokenLocation();
    JsonNode value = switch (parser.currentToken()) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> readArray(parser);
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> NODES.numberNode(parser.getIntValue());
        case LONG -> NODES.numberNode(parser.getLongValue());
        default -> NODES.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
      case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(parser.getBooleanValue());
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IOException("unexpected " + parser.currentToken() + " at " + describe(where));
    };
    return tag == null ? value : longForm(tag, value, where);
  }

  private static ObjectNode readObject(YAMLParser parser) throws IOException {
    ObjectNode object = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonLocation where = parser.currentTokenLocation();
      parser.nextToken();
      if (object.has(name)) {
        throw new IOException("duplicate key \"" + name + "\" at " + describe(where));
      }
      object.set(name, read(parser));
    }
    return object;
  }

  private static ArrayNode readArray(YAMLParser parser) throws IOException {
    ArrayNode array = NODES.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(read(parser));
    }
    return array;
  }

  private static JsonNode longForm(String tag, JsonNode value, JsonLocation where) throws IOException {
    if (tag.startsWith(STANDARD_TAG_PREFIX)) {
      return value;
    }
    if (tag.equals("Ref") || tag.equals("Condition")) {
      return NODES.objectNode().set(tag, value);
    }
    if (tag.equals("GetAtt")) {
      return NODES.objectNode().set("Fn::GetAtt", value.isTextual() ? splitGetAtt(value.asText(), where) : value);
    }
    if (FUNCTIONS.contains(tag)) {
      return NODES.objectNode().set("Fn::" + tag, value);
    }
    throw new IOException("unknown tag !" + tag + " at " + describe(where));
  }

  private static ArrayNode splitGetAtt(String text, JsonLocation where) throws IOException {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      throw new IOException("!GetAtt \"" + text + "\" is not Resource.Attribute at " + describe(where));
    }
    return NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1));
  }

  private static String describe(JsonLocation where) {
    return "line " + where.getLineNr() + ", column " + where.getColumnNr();
  }
}
